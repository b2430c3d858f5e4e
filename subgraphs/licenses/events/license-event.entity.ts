import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export const LICENSE_EVENT_TYPES = [
  'license.registered',
  'license.transferred',
  'license.suspended',
  'license.reinstated',
  'license.vendor_changed',
  'maintenance.recorded',
] as const;
export type LicenseEventType = (typeof LICENSE_EVENT_TYPES)[number];

/**
 * The outbox of license lifecycle events: one row per change, written in the same transaction as
 * the change (recordLicenseEvent), so an event exists exactly when its change committed. A relay
 * (the webhooks) reads the rows not yet relayed, in order, and marks them.
 */
@Entity({ tableName: 'license_event' })
@Index({ name: 'license_event_unrelayed', properties: ['relayedAt', 'occurredAt'] })
export class LicenseEvent {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  type!: LicenseEventType;

  @Property({ length: 100 })
  licenseKey!: string;

  /** The vendor at the time of the event (after the change). */
  @Property({ length: 100, nullable: true })
  vendorId?: string | null;

  @Property({ length: 100, nullable: true })
  supportPartnerId?: string | null;

  /** Every provider concerned: vendor, support partner, and on a vendor change the previous vendor. */
  @Property({ type: 'json' })
  providerIds!: string[];

  /** The license's public fields after the change. */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  relayedAt?: Date | null;
}
