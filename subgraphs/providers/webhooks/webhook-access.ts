/**
 * Who may manage webhook endpoints and read their delivery log (docs/rules.md, the access matrix: "webhook
 * endpoints and their delivery log": a provider its own, an admin all). Anonymous callers are
 * UNAUTHENTICATED; holders, and providers asking about another provider, FORBIDDEN.
 */
import { forbidden } from '../../../lib/errors';
import { signedIn, type Identity } from '../../../lib/identity';
import { message, type Message } from '../../../lib/i18n/message';

export function requireWebhookAccess(caller: Identity, providerId: string, action: Message): void {
  const who = signedIn(caller, action);
  if (who.role === 'admin' || (who.role === 'provider' && who.provider === providerId)) return;
  if (who.role === 'provider') throw forbidden(message('access.otherProviderWebhooks', { action, caller: who.provider, provider: providerId }));
  throw forbidden(message('access.notAsHolder', { action }));
}
