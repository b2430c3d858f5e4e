/**
 * Who may manage webhook endpoints and read their delivery log (docs/rules.md, the access matrix: "webhook
 * endpoints and their delivery log": a provider its own, an admin all). Anonymous callers are
 * UNAUTHENTICATED; holders, and providers asking about another provider, FORBIDDEN.
 */
import { forbidden } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import { signedIn } from '../directory/change-access';

export function requireWebhookAccess(caller: Identity, providerId: string, what: string): void {
  const who = signedIn(caller, what);
  if (who.role === 'admin' || (who.role === 'provider' && who.provider === providerId)) return;
  if (who.role === 'provider')
    throw forbidden(`Provider "${who.provider}" cannot ${what} of provider "${providerId}": a provider manages its own webhooks only`);
  throw forbidden(`A license holder cannot ${what}`);
}
