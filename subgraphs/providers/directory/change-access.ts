/**
 * Who may change what in the directory (docs/rules.md "Who may see and change what"), checked by the
 * providers subgraph itself against the caller the gateway forwarded: a provider edits its own
 * profile and offers; an admin withdraws offers and (de)activates providers, but never sets a price
 * or edits a profile (prices are the provider's alone); anonymous callers and holders change nothing.
 * Anonymous: UNAUTHENTICATED; everyone else who may not: FORBIDDEN.
 */
import { forbidden, signInRequired } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';

export function signedIn(caller: Identity, what: string): Exclude<Identity, { role: 'anonymous' }> {
  if (caller.role === 'anonymous') throw signInRequired(`Sign in to ${what}: anonymous callers change nothing`);
  return caller;
}

const isProvider = (caller: Identity, providerId: string) => caller.role === 'provider' && caller.provider === providerId;

/** Own profile and own offers' prices: the provider itself, nobody else (not even an admin). */
export function requireProviderItself(caller: Identity, providerId: string, what: string): void {
  const who = signedIn(caller, what);
  if (isProvider(who, providerId)) return;
  if (who.role === 'admin') throw forbidden(`An admin cannot ${what}: only provider "${providerId}" itself can (prices and profiles are the provider's own)`);
  if (who.role === 'provider') throw forbidden(`Provider "${who.provider}" cannot ${what} of provider "${providerId}": a provider changes only its own`);
  throw forbidden(`A license holder cannot ${what}`);
}

/** Withdrawing an offer: its provider, or an admin. */
export function requireProviderOrAdmin(caller: Identity, providerId: string, what: string): void {
  const who = signedIn(caller, what);
  if (who.role === 'admin' || isProvider(who, providerId)) return;
  if (who.role === 'provider') throw forbidden(`Provider "${who.provider}" cannot ${what} of provider "${providerId}": a provider changes only its own`);
  throw forbidden(`A license holder cannot ${what}`);
}

/**
 * Whose audit entries the caller may read: an admin any provider's (null: all), a provider its own.
 * `providerId` is what the caller asked for (null: "everything I may see").
 */
export function auditScope(caller: Identity, providerId: string | null): string | null {
  const who = signedIn(caller, 'read the audit trail');
  if (who.role === 'admin') return providerId;
  if (who.role === 'provider') {
    if (providerId !== null && providerId !== who.provider)
      throw forbidden(`Provider "${who.provider}" cannot read the audit trail of provider "${providerId}": a provider sees its own entries only`);
    return who.provider;
  }
  throw forbidden('A license holder cannot read the audit trail');
}

/**
 * Whether `caller` may see who made an audit entry (the token's subject, the API key used), not just
 * the role: an admin always; a provider for the changes made as that provider (its own people and
 * keys); of an admin's or an import operator's change, a provider sees the role only ("roles, not
 * people": an admin's subject and the operating-system user of an import are nobody else's business).
 */
export function mayIdentifyActor(caller: Identity, actor: { role: string; provider: string | null }): boolean {
  if (caller.role === 'admin') return true;
  return caller.role === 'provider' && actor.role === 'provider' && actor.provider === caller.provider;
}
