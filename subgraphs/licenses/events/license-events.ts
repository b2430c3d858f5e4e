/**
 * Writing license lifecycle events into the outbox (license_event). Every lifecycle mutation calls
 * recordLicenseEvent with the EntityManager of the transaction that makes the change, so the event
 * commits or rolls back with it; nothing here sends anything.
 */
import { randomUUID } from 'node:crypto';
import type { SubgraphEM } from '../../../lib/orm';
import type { License } from '../license/license.entity';
import { LicenseEvent, type LicenseEventType } from './license-event.entity';

export interface LicenseEventInput {
  type: LicenseEventType;
  /** The license as it is after the change. */
  license: License;
  /** A vendor the change took the license from (license.vendor_changed), also concerned. */
  previousVendorId?: string | null;
  occurredAt?: Date;
}

/** The license's public fields, as events and the audit trail carry them. */
export function licensePublicState(license: License) {
  return {
    key: license.key,
    packageName: license.packageName,
    type: license.type,
    programVersion: license.programVersion,
    status: license.status,
    holder: { name: license.holder.name, country: license.holder.country, language: license.holder.language, vatId: license.holder.vatId ?? null },
    vendorId: license.vendorId ?? null,
    supportPartnerId: license.supportPartnerId ?? null,
    maintenancePaidThrough: license.maintenancePaidThrough ?? null,
    version: license.version,
  };
}

/** The providers a license event concerns, without repeats: vendor, support partner, former vendor. */
export function concernedProviders(license: Pick<License, 'vendorId' | 'supportPartnerId'>, previousVendorId?: string | null): string[] {
  return [...new Set([license.vendorId, license.supportPartnerId, previousVendorId].filter((id): id is string => Boolean(id)))];
}

/** Appends one event inside `em`'s transaction (the one that makes the change). */
export async function recordLicenseEvent(em: SubgraphEM, event: LicenseEventInput): Promise<void> {
  await em.insert(LicenseEvent, {
    id: randomUUID(),
    type: event.type,
    licenseKey: event.license.key,
    vendorId: event.license.vendorId ?? null,
    supportPartnerId: event.license.supportPartnerId ?? null,
    providerIds: concernedProviders(event.license, event.previousVendorId),
    payload: licensePublicState(event.license),
    occurredAt: event.occurredAt ?? new Date(),
    relayedAt: null,
  });
}
