/**
 * Writing access codes and their trail, shared by the resolvers (issueLicenseAccessCode, signIn)
 * and the directory import, which issues a holder's first code in the same transaction as the
 * license. Both run inside the caller's transaction, so a code is never stored without its event.
 */
import crypto from 'node:crypto';
import { hashAccessCode } from '../../../lib/access-codes';
import type { SubgraphEM } from '../../../lib/orm';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code.entity';

/** Longest key kept in the trail for a failed attempt (keys are at most 100 characters). */
export const MAX_KEY = 100;

/** Appends one event inside `em`'s transaction. */
export async function recordAccessEvent(em: SubgraphEM, event: Omit<LicenseAccessEvent, 'id' | 'at'>): Promise<void> {
  await em.insert(LicenseAccessEvent, { at: new Date(), ...event, licenseKey: event.licenseKey.slice(0, MAX_KEY) });
}

/**
 * Revokes the license's code in force (if any) and stores `code`'s hash as the new one; returns the
 * new code's id. Runs inside the caller's transaction (issueLicenseAccessCode, the import).
 */
export async function replaceAccessCode(em: SubgraphEM, licenseKey: string, code: string, issuedBy: string): Promise<string> {
  const now = new Date();
  await em.nativeUpdate(LicenseAccessCode, { licenseKey, revokedAt: null }, { revokedAt: now });
  const id = crypto.randomUUID();
  await em.insert(LicenseAccessCode, { id, licenseKey, hash: await hashAccessCode(code), issuedAt: now, issuedBy, revokedAt: null });
  return id;
}
