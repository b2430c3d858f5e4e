/**
 * Who may change a license (docs/rules.md, "Who may see and change what"), one pure function per rule.
 * Each is asked only once the caller may see the license (license-access.ts): a license the caller
 * may not see is NOT_FOUND before any of these, exactly like a missing one. Anonymous callers are
 * UNAUTHENTICATED; everyone else who may not is FORBIDDEN.
 */
import { isActiveDistributor, maintenanceReseller } from '../../../lib/distributor-duties';
import { forbidden } from '../../../lib/errors';
import { signedIn, type Identity } from '../../../lib/identity';
import { message, type Message } from '../../../lib/i18n/message';
import type { ProviderReferenceFacts } from '../../../lib/license-changes';
import type { License } from './license.entity';

/**
 * Registering: an admin for anyone, a distributor for its own customers (it becomes the vendor).
 * Answers the provider id that must be the vendor of every license the caller registers (null: an
 * admin, who names any vendor or none).
 */
export function registeringVendor(caller: Identity): string | null {
  const who = signedIn(caller, message('action.registerLicenses'));
  if (who.role === 'admin') return null;
  if (who.role === 'provider') return who.provider;
  throw forbidden(message('access.notAsHolder', { action: message('action.registerLicenses') }));
}

/** A provider registers only while it is an active distributor. */
export function requireActiveDistributor(provider: ProviderReferenceFacts | undefined, id: string): void {
  if (!isActiveDistributor(provider)) {
    throw forbidden(message('access.notActiveDistributor', { provider: id }));
  }
}

/** Transferring to another holder: the license's vendor, or an admin. */
export function requireMayTransfer(caller: Identity, license: Pick<License, 'key' | 'vendorId'>): void {
  const who = signedIn(caller, message('action.transferLicense'));
  if (who.role === 'admin' || (who.role === 'provider' && who.provider === license.vendorId)) return;
  throw forbidden(message('access.vendorTransfers', { key: license.key }));
}

/** Suspending, reinstating, changing the vendor: an admin only. */
export function requireAdminFor(caller: Identity, action: Message): void {
  const who = signedIn(caller, action);
  if (who.role !== 'admin') throw forbidden(message('access.adminOnly', { action }));
}

/**
 * Recording a maintenance payment: the billing party (the vendor while it is an active
 * distributor: the reseller bills its licenses), or an admin (for the manufacturer, which bills
 * the others).
 */
export function requireBillingParty(caller: Identity, license: Pick<License, 'key' | 'vendorId'>, vendor: ProviderReferenceFacts | undefined): void {
  const who = signedIn(caller, message('action.recordPayment'));
  if (who.role === 'admin') return;
  const billsIt = who.role === 'provider' && who.provider === license.vendorId && maintenanceReseller(vendor) !== null;
  if (!billsIt) throw forbidden(message('access.billingPartyRecords', { key: license.key }));
}
