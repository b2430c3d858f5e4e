/**
 * Who may change a license (docs/rules.md, "Who may see and change what"), one pure function per rule.
 * Each is asked only once the caller may see the license (license-access.ts): a license the caller
 * may not see is NOT_FOUND before any of these, exactly like a missing one. Anonymous callers are
 * UNAUTHENTICATED; everyone else who may not is FORBIDDEN.
 */
import { isActiveDistributor, maintenanceReseller } from '../../../lib/distributor-duties';
import { forbidden, signInRequired } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import type { ProviderReferenceFacts } from '../../../lib/license-changes';
import type { License } from './license.entity';

type SignedIn = Exclude<Identity, { role: 'anonymous' }>;

export function signedIn(caller: Identity, what: string): SignedIn {
  if (caller.role === 'anonymous') throw signInRequired(`Sign in to ${what}: anonymous callers change nothing`);
  return caller;
}

/**
 * Registering: an admin for anyone, a distributor for its own customers (it becomes the vendor).
 * Answers the provider id that must be the vendor of every license the caller registers (null: an
 * admin, who names any vendor or none).
 */
export function registeringVendor(caller: Identity): string | null {
  const who = signedIn(caller, 'register licenses');
  if (who.role === 'admin') return null;
  if (who.role === 'provider') return who.provider;
  throw forbidden('A license holder cannot register licenses');
}

/** A provider registers only while it is an active distributor. */
export function requireActiveDistributor(provider: ProviderReferenceFacts | undefined, id: string): void {
  if (!isActiveDistributor(provider)) {
    throw forbidden(`Provider "${id}" is not an active distributor: only distributors register licenses, for their own customers`);
  }
}

/** Transferring to another holder: the license's vendor, or an admin. */
export function requireMayTransfer(caller: Identity, license: Pick<License, 'key' | 'vendorId'>): void {
  const who = signedIn(caller, 'transfer a license');
  if (who.role === 'admin' || (who.role === 'provider' && who.provider === license.vendorId)) return;
  throw forbidden(`Only the vendor of license "${license.key}" or an admin may transfer it`);
}

/** Suspending, reinstating, changing the vendor: an admin only. */
export function requireAdminFor(caller: Identity, what: string): void {
  const who = signedIn(caller, what);
  if (who.role !== 'admin') throw forbidden(`Only an admin may ${what}`);
}

/**
 * Recording a maintenance payment: the billing party (the vendor while it is an active
 * distributor: the reseller bills its licenses), or an admin (for the manufacturer, which bills
 * the others).
 */
export function requireBillingParty(caller: Identity, license: Pick<License, 'key' | 'vendorId'>, vendor: ProviderReferenceFacts | undefined): void {
  const who = signedIn(caller, 'record a maintenance payment');
  if (who.role === 'admin') return;
  const billsIt = who.role === 'provider' && who.provider === license.vendorId && maintenanceReseller(vendor) !== null;
  if (!billsIt)
    throw forbidden(
      `Only the party that bills the maintenance of license "${license.key}" (its reseller while it is an active distributor, else the manufacturer's admin) may record its payment`,
    );
}
