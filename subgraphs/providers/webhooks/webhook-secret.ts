/**
 * An endpoint's signing secret at rest: the one place it is written and read. Signing needs the
 * secret itself (a hash would not do, unlike an API key), so it is stored sealed with SECRETS_KEYS
 * (lib/secret-keys.ts), bound to its endpoint's id: a copy of the database yields no secret, and a
 * sealed value copied onto another endpoint does not open there.
 *
 * Rows written before sealing hold the secret as it is: they are still read, and the providers
 * subgraph seals them when it starts (resealWebhookSecrets), as it re-seals values of an older key
 * with the newest one after a rotation.
 */
import { isSealedSecret, openSealedSecret, sealedKeyId, sealSecret, type SecretKeyRing } from '../../../lib/secret-box';
import { developmentSecretKeys } from '../../../lib/secret-keys';
import type { WebhookSettings } from '../../../lib/config';
import { logEvent } from '../../../lib/log';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { WebhookEndpoint } from './webhook.entities';

/** The ring of the process (set by the providers subgraph from SECRETS_KEYS); the development ring for settings made without one. */
const keysOf = (settings: Pick<WebhookSettings, 'secretKeys'>): SecretKeyRing => settings.secretKeys ?? developmentSecretKeys();
const boundTo = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** What is stored for a new endpoint's secret. */
export const sealedWebhookSecret = (settings: Pick<WebhookSettings, 'secretKeys'>, endpointId: string, secret: string): string =>
  sealSecret(secret, keysOf(settings), boundTo(endpointId));

/** The secret to sign an endpoint's deliveries with; SealedSecretUnreadable when its key left SECRETS_KEYS. */
export function webhookSigningSecret(settings: Pick<WebhookSettings, 'secretKeys'>, endpoint: Pick<WebhookEndpoint, 'id' | 'secret'>): string {
  if (!isSealedSecret(endpoint.secret)) return endpoint.secret;
  return openSealedSecret(endpoint.secret, keysOf(settings), boundTo(endpoint.id)).toString('utf8');
}

/**
 * Seals the secrets stored as they are and re-seals those of an older key with the newest one;
 * returns how many it changed. Each row changes only if it still holds what was read (another
 * replica starting at the same time did the same, or the endpoint went).
 */
export async function resealWebhookSecrets(orm: SubgraphORM, settings: Pick<WebhookSettings, 'secretKeys'>): Promise<number> {
  const em = orm.em.fork() as SubgraphEM;
  const current = keysOf(settings).current.id;
  let changed = 0;
  for (const endpoint of await em.find(WebhookEndpoint, {}, { fields: ['id', 'secret'] })) {
    if (sealedKeyId(endpoint.secret) === current) continue;
    let secret: string;
    try {
      secret = webhookSigningSecret(settings, endpoint);
    } catch (error) {
      logEvent('error', 'webhook_secret_unreadable', { endpointId: endpoint.id, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    changed += await em.nativeUpdate(
      WebhookEndpoint,
      { id: endpoint.id, secret: endpoint.secret },
      { secret: sealedWebhookSecret(settings, endpoint.id, secret) },
    );
  }
  if (changed > 0) logEvent('info', 'webhook_secrets_sealed', { count: changed, keyId: current });
  return changed;
}
