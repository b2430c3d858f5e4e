/**
 * The licenses subgraph's outbox: every change to a license writes one event here, with the
 * EntityManager of the transaction that makes the change (recordLicenseEvent), so the event exists
 * exactly when the change does. The relay (license-event-relay.ts) hands unrelayed events to the
 * providers subgraph, which turns them into webhook deliveries; this subgraph never reads the
 * providers' database, nor it this one.
 */
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import type { SubgraphEM } from '../../../lib/orm';

export const LICENSE_EVENT_TYPES = [
  'license.registered',
  'license.transferred',
  'license.suspended',
  'license.reinstated',
  'license.vendor_changed',
  'maintenance.recorded',
] as const;
export type LicenseEventType = (typeof LICENSE_EVENT_TYPES)[number];

@Entity({ tableName: 'license_event' })
@Index({ name: 'license_event_unrelayed', properties: ['relayedAt', 'occurredAt'] })
export class LicenseEvent {
  /** A UUID: what the relay and the webhooks are idempotent by (the webhook-id of its deliveries). */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  type!: LicenseEventType;

  @Property({ length: 100 })
  licenseKey!: string;

  /** The providers concerned (vendor, support partner, a former vendor…): whose webhooks hear of it. */
  @Property({ type: 'json' })
  providerIds!: string[];

  /** What happened, as the webhook's `data` tells it (the license's state after the change…). */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  /** When the providers subgraph confirmed it has the event; null until then. */
  @Property({ type: 'datetime', nullable: true })
  relayedAt?: Date | null;
}

export interface LicenseEventRecord {
  type: LicenseEventType;
  licenseKey: string;
  providerIds: string[];
  payload: Record<string, unknown>;
  /** Default: now. */
  occurredAt?: Date;
}

/** Appends one event inside `em`'s transaction (the one that changes the license); returns its id. */
export async function recordLicenseEvent(em: SubgraphEM, event: LicenseEventRecord): Promise<string> {
  const id = randomUUID();
  await em.insert(LicenseEvent, {
    id,
    type: event.type,
    licenseKey: event.licenseKey,
    providerIds: [...new Set(event.providerIds)],
    payload: event.payload,
    occurredAt: event.occurredAt ?? new Date(),
    relayedAt: null,
  });
  return id;
}
