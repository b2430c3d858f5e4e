import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One Idempotency-Key of one caller (lib/idempotency.ts): claimed when its first request starts,
 * completed with that request's answer, kept for 24 hours.
 */
@Entity({ tableName: 'idempotency_key' })
@Index({ name: 'idempotency_key_expires_at', properties: ['expiresAt'] })
export class IdempotencyKey {
  /** The caller it belongs to. */
  @PrimaryKey({ type: 'string', length: 300 })
  scope!: string;

  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  /** SHA-256 (hex) of the operation and variables it was first used with. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  @Property({ type: 'datetime' })
  claimedAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** Null while the first request runs. */
  @Property({ type: 'integer', nullable: true })
  status?: number | null;

  @Property({ type: 'string', length: 200, nullable: true })
  contentType?: string | null;

  /** base64 of the answer. */
  @Property({ type: 'text', nullable: true })
  body?: string | null;
}
