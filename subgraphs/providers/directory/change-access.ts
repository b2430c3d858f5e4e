/**
 * Who may change what in the directory (docs/rules.md "Who may see and change what"), checked by the
 * providers subgraph itself against the caller the gateway forwarded: a provider edits its own
 * profile and offers; an admin withdraws offers and (de)activates providers, but never sets a price
 * or edits a profile (prices are the provider's alone); anonymous callers and holders change nothing.
 * Anonymous: UNAUTHENTICATED; everyone else who may not: FORBIDDEN.
 */
import { forbidden } from '../../../lib/errors';
import { signedIn, type Identity } from '../../../lib/identity';
import { message, type Message } from '../../../lib/i18n/message';

const isProvider = (caller: Identity, providerId: string) => caller.role === 'provider' && caller.provider === providerId;

/** Own profile and own offers' prices: the provider itself, nobody else (not even an admin). */
export function requireProviderItself(caller: Identity, providerId: string, action: Message): void {
  const who = signedIn(caller, action);
  if (isProvider(who, providerId)) return;
  if (who.role === 'admin') throw forbidden(message('access.providerItself', { action, provider: providerId }));
  if (who.role === 'provider') throw forbidden(message('access.otherProvider', { action, caller: who.provider, provider: providerId }));
  throw forbidden(message('access.notAsHolder', { action }));
}

/** Withdrawing an offer: its provider, or an admin. */
export function requireProviderOrAdmin(caller: Identity, providerId: string, action: Message): void {
  const who = signedIn(caller, action);
  if (who.role === 'admin' || isProvider(who, providerId)) return;
  if (who.role === 'provider') throw forbidden(message('access.otherProvider', { action, caller: who.provider, provider: providerId }));
  throw forbidden(message('access.notAsHolder', { action }));
}

/**
 * Whose audit entries the caller may read: an admin any provider's (null: all), a provider its own.
 * `providerId` is what the caller asked for (null: "everything I may see").
 */
export function auditScope(caller: Identity, providerId: string | null): string | null {
  const who = signedIn(caller, message('action.readAuditTrail'));
  if (who.role === 'admin') return providerId;
  if (who.role === 'provider') {
    if (providerId !== null && providerId !== who.provider)
      throw forbidden(message('access.otherProviderAudit', { caller: who.provider, provider: providerId }));
    return who.provider;
  }
  throw forbidden(message('access.notAsHolder', { action: message('action.readAuditTrail') }));
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
