/**
 * Writing access codes and their trail, shared by the resolvers (issueLicenseAccessCode, signIn)
 * and the directory import, which issues a holder's first code in the same transaction as the
 * license. Both run inside the caller's transaction, so a code is never stored without its event.
 */
import crypto from 'node:crypto';
import { hashAccessCode } from '../../../lib/access-codes';
import type { Identity } from '../../../lib/identity';
import type { SubgraphEM } from '../../../lib/orm';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code.entity';

/** Longest key kept in the trail for a failed attempt (keys are at most 100 characters). */
export const MAX_KEY = 100;

export type Actor = Pick<LicenseAccessEvent, 'actorRole' | 'actorSub' | 'actorProvider'>;

export function actorOf(caller: Identity): Actor {
  switch (caller.role) {
    case 'anonymous':
      return { actorRole: 'anonymous', actorSub: null, actorProvider: null };
    case 'provider':
      return { actorRole: 'provider', actorSub: caller.sub, actorProvider: caller.provider };
    default:
      return { actorRole: caller.role, actorSub: caller.sub, actorProvider: null };
  }
}

/** Appends one event inside `em`'s transaction. */
export async function recordAccessEvent(em: SubgraphEM, event: Omit<LicenseAccessEvent, 'id' | 'at'>): Promise<void> {
  await em.insert(LicenseAccessEvent, { at: new Date(), ...event, licenseKey: event.licenseKey.slice(0, MAX_KEY) });
}

/**
 * Revokes the license's code in force (if any) and stores `code`'s hash as the new one (or the
 * stored form the import was given, already checked); returns the new code's id. Runs inside the
 * caller's transaction (issueLicenseAccessCode, the import).
 */
export async function replaceAccessCode(em: SubgraphEM, licenseKey: string, code: string | { hash: string }, issuedBy: string): Promise<string> {
  const hash = typeof code === 'string' ? await hashAccessCode(code) : code.hash;
  const now = new Date();
  await em.nativeUpdate(LicenseAccessCode, { licenseKey, revokedAt: null }, { revokedAt: now });
  const id = crypto.randomUUID();
  await em.insert(LicenseAccessCode, { id, licenseKey, hash, issuedAt: now, issuedBy, revokedAt: null });
  return id;
}

/**
 * replaceAccessCode for many licenses at once, each with a stored form already made (the import,
 * a batch at a time): one statement revokes the codes in force, one stores the new ones, one
 * records an event for each, in the caller's transaction.
 */
export async function replaceAccessCodes(
  em: SubgraphEM,
  codes: { licenseKey: string; hash: string }[],
  issuedBy: string,
  actor: Actor,
  action: string,
): Promise<void> {
  if (codes.length === 0) return;
  const now = new Date();
  await em.nativeUpdate(LicenseAccessCode, { licenseKey: { $in: codes.map((c) => c.licenseKey) }, revokedAt: null }, { revokedAt: now });
  const rows = codes.map(({ licenseKey, hash }) => ({ id: crypto.randomUUID(), licenseKey, hash, issuedAt: now, issuedBy, revokedAt: null }));
  await em.insertMany(LicenseAccessCode, rows);
  await em.insertMany(
    LicenseAccessEvent,
    rows.map(({ id, licenseKey }) => ({ at: now, licenseKey, action, ...actor, codeId: id })),
  );
}

/**
 * A transfer (transferLicense, or an import that gives a license another holder): every code of
 * the license in force is revoked, in the transfer's transaction, so the
 * previous holder's code signs nobody in and every token signed in with it ends
 * (lib/holder-credentials.ts). The new holder gets a new code from the admin or the vendor.
 */
export async function revokeAccessCodes(em: SubgraphEM, licenseKey: string, actor: Actor, action: string): Promise<void> {
  const revoked = await em.find(LicenseAccessCode, { licenseKey, revokedAt: null }, { fields: ['id'] });
  if (revoked.length === 0) return;
  await em.nativeUpdate(LicenseAccessCode, { licenseKey, revokedAt: null }, { revokedAt: new Date() });
  for (const { id } of revoked) await recordAccessEvent(em, { licenseKey, action, ...actor, codeId: id });
}
