import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Where a key stands: its first run goes on, committed its change, or is done and its answer kept. */
export type IdempotencyState = 'running' | 'committed' | 'done';

/**
 * One Idempotency-Key of one caller in the database of a subgraph that ran a mutation with it
 * (lib/idempotent-mutations.ts): claimed before the mutation runs, marked committed in the
 * mutation's own transaction, completed with the subgraph's sealed answer, kept for 24 hours.
 * Neither the key nor the answer is readable here: the key is a hash, the answer is sealed with a
 * server key and the client's key (lib/idempotency.ts).
 */
@Entity({ tableName: 'idempotency_record' })
@Index({ name: 'idempotency_record_expires_at', properties: ['expiresAt'] })
export class IdempotencyRecord {
  /** The caller it belongs to (lib/idempotency.ts idempotencyScope). */
  @PrimaryKey({ type: 'string', length: 300 })
  scope!: string;

  /** SHA-256 (hex) of the Idempotency-Key. */
  @PrimaryKey({ type: 'string', length: 64 })
  keyHash!: string;

  /** SHA-256 (hex) of the operation and variables it was first used with. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  @Property({ type: 'string', length: 16 })
  state!: IdempotencyState;

  /** The run that holds the key now (a random id): only its transactions may commit under it. */
  @Property({ type: 'string', length: 36 })
  claim!: string;

  @Property({ type: 'datetime' })
  claimedAt!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** The subgraph's answer (JSON), sealed (lib/secret-box.ts); null until done. */
  @Property({ type: 'text', nullable: true })
  answer?: string | null;
}
