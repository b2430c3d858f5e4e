import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * One change to the directory (docs/rules.md: "Every change is recorded: who, when, what, before and
 * after"): written in the same transaction as the change, by the self-service mutations and by the
 * import alike (see recordAuditEntry). Entries are never changed or removed.
 */
@Entity({ tableName: 'audit_entry' })
@Index({ name: 'audit_entry_provider_id', properties: ['providerId', 'id'] })
@ObjectType({ description: 'One recorded change to the directory: who, when, what, before and after.' })
export class AuditEntry {
  /** Ascending with every entry: the newest-first order of the trail, and its cursor. */
  @PrimaryKey({ type: 'integer', autoincrement: true })
  @Field(() => ID, { description: 'Position of the entry in the trail (later entries have higher ids).' })
  id!: number;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ length: 20 })
  @Field({ description: 'The role of who made the change: provider, admin, or operator (an `npm run import`).' })
  actorRole!: string;

  /** Shown through AuditTrailResolver.actorSub: to admins, and to a provider for its own changes. */
  @Property({ length: 200, nullable: true })
  actorSub?: string | null;

  @Property({ length: 100, nullable: true })
  @Field(() => String, { nullable: true, description: 'The provider the caller acted for (role provider).' })
  actorProvider?: string | null;

  /** Shown through AuditTrailResolver.actorKeyId, like actorSub. */
  @Property({ length: 100, nullable: true })
  actorKeyId?: string | null;

  @Property({ length: 50 })
  @Field({
    description:
      'What was done: updateProvider, saveOffer, withdrawOffer, setProviderActive, createProvider, setProviderRoles, registerLicense, transferLicense, suspendLicense, reinstateLicense, changeLicenseVendor, recordMaintenancePayment, import, …',
  })
  action!: string;

  /** The provider the subject belongs to: whose trail the entry is in (a provider sees its own). */
  @Property({ length: 100 })
  @Field(() => ID, { description: 'The provider the changed record belongs to.' })
  providerId!: string;

  @Property({ length: 20 })
  @Field({ description: 'The kind of record changed: provider, offer, apiKey, license, webhookEndpoint, webhookDelivery.' })
  subjectType!: string;

  @Property({ length: 100 })
  @Field(() => ID, { description: 'The id of the changed record.' })
  subjectId!: string;

  @Property({ type: 'json', nullable: true })
  before?: Record<string, unknown> | null;

  @Property({ type: 'json', nullable: true })
  after?: Record<string, unknown> | null;

  /**
   * The person's name from their identity provider's token; shown through AuditTrailResolver.actorName,
   * like actorSub. Last: added by a later migration, and SQLite appends added columns.
   */
  @Property({ length: 200, nullable: true })
  actorName?: string | null;
}
