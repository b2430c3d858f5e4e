import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * The access code of a license's holder, as stored: only its scrypt hash (lib/access-codes.ts).
 * Issuing a new code revokes the one in force; revoked codes stay, so the access trail can name
 * them, but never sign anyone in.
 */
@Entity({ tableName: 'license_access_code' })
@Index({ name: 'license_access_code_license_key', properties: ['licenseKey', 'revokedAt'] })
export class LicenseAccessCode {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ length: 100 })
  licenseKey!: string;

  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`. */
  @Property({ length: 200 })
  hash!: string;

  @Property({ type: 'datetime' })
  issuedAt!: Date;

  /** Who issued it: `admin:<sub>`, `provider:<id>`, or `import:<operating-system user>`. */
  @Property({ length: 250 })
  issuedBy!: string;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}

/**
 * One event in a license's access trail: a code issued (by whom), a sign-in, a failed sign-in.
 * Written in the transaction of the change it records; never changed, and removed only after
 * RETENTION_ACCESS_EVENT_DAYS (events/license-event-retention.ts).
 */
@Entity({ tableName: 'license_access_event' })
// Retention deletes the oldest (events/license-event-retention.ts).
@Index({ name: 'license_access_event_at', properties: ['at'] })
@Index({ name: 'license_access_event_license_key', properties: ['licenseKey', 'id'] })
@ObjectType({ description: "One event in a license's access trail: an access code issued, a sign-in, or a failed sign-in." })
export class LicenseAccessEvent {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  @Field(() => ID, { description: 'Position of the event in the trail (later events have higher ids).' })
  id!: number;

  @Property({ type: 'datetime' })
  at!: Date;

  /** As typed by the caller (a failed sign-in may name a key that does not exist), at most 100 characters. */
  @Property({ length: 100 })
  @Field(() => ID, { description: 'The license key the event is about (for a failed sign-in: as it was typed).' })
  licenseKey!: string;

  @Property({ length: 40 })
  @Field({
    description:
      'What happened: issueLicenseAccessCode, import (a code set by the directory import), transferLicense (a code revoked by the transfer), signIn, signInFailed.',
  })
  action!: string;

  @Property({ length: 20 })
  @Field({ description: 'The role of who did it: admin, provider, operator (an import), or anonymous (a sign-in attempt).' })
  actorRole!: string;

  @Property({ length: 200, nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "The caller's token subject, or the operating-system user of an import; null for an anonymous sign-in attempt.",
  })
  actorSub?: string | null;

  @Property({ length: 100, nullable: true })
  @Field(() => String, { nullable: true, description: 'The provider the caller acted for (role provider).' })
  actorProvider?: string | null;

  /** Id of the access code issued, or the code a sign-in used. */
  @Property({ length: 36, nullable: true })
  codeId?: string | null;
}

@ObjectType({ description: 'An access code just issued: the only answer that ever holds the code itself. Give it to the holder now; it cannot be read again.' })
export class IssuedAccessCode {
  @Field(() => ID, { description: 'The license the code signs in to.' })
  licenseKey!: string;

  @Field({
    description: 'The code, in groups of four (hyphens and case do not matter when typed). Shown this once; any earlier code of the license no longer works.',
  })
  accessCode!: string;
}

@ObjectType({ description: 'A holder\'s sign-in: a short-lived token for the license, to send as "Authorization: Bearer <token>".' })
export class SignedIn {
  @Field({
    description:
      'A holder token for the license (role holder, licenses: [the key], the holder audience), minted and signed by the gateway; it ends with the access code it was signed in with (a new code or a transfer).',
  })
  token!: string;

  @Field({ description: 'When the token expires (ISO 8601, UTC); sign in again after that.' })
  expiresAt!: string;
}
