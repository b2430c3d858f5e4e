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
import { signingSecrets } from './webhook-rules';

/** The ring of the process (set by the providers subgraph from SECRETS_KEYS); the development ring for settings made without one. */
const keysOf = (settings: Pick<WebhookSettings, 'secretKeys'>): SecretKeyRing => settings.secretKeys ?? developmentSecretKeys();
const boundTo = (endpointId: string) => `webhook-endpoint:${endpointId}`;

/** What is stored for a new endpoint's secret. */
export const sealedWebhookSecret = (settings: Pick<WebhookSettings, 'secretKeys'>, endpointId: string, secret: string): string =>
  sealSecret(secret, keysOf(settings), boundTo(endpointId));

/** A stored secret of an endpoint, opened; SealedSecretUnreadable when its key left SECRETS_KEYS. */
function openedSecret(settings: Pick<WebhookSettings, 'secretKeys'>, endpointId: string, stored: string): string {
  if (!isSealedSecret(stored)) return stored;
  return openSealedSecret(stored, keysOf(settings), boundTo(endpointId)).toString('utf8');
}

/** The secret to sign an endpoint's deliveries with; SealedSecretUnreadable when its key left SECRETS_KEYS. */
export const webhookSigningSecret = (settings: Pick<WebhookSettings, 'secretKeys'>, endpoint: Pick<WebhookEndpoint, 'id' | 'secret'>): string =>
  openedSecret(settings, endpoint.id, endpoint.secret);

/**
 * The secrets that sign a delivery at `at`, opened: the current one, and during a rotation's grace
 * period the previous one too (which of them sign is the rule's, webhook-rules.ts signingSecrets).
 */
export const webhookSigningSecrets = (
  settings: Pick<WebhookSettings, 'secretKeys'>,
  endpoint: Pick<WebhookEndpoint, 'id' | 'secret' | 'previousSecret' | 'previousSecretUntil'>,
  at: Date,
): string[] => signingSecrets(endpoint, at).map((stored) => openedSecret(settings, endpoint.id, stored));

/**
 * Seals the secrets stored as they are and re-seals those of an older key with the newest one;
 * returns how many it changed. Each row changes only if it still holds what was read (another
 * replica starting at the same time did the same, or the endpoint went).
 */
export async function resealWebhookSecrets(orm: SubgraphORM, settings: Pick<WebhookSettings, 'secretKeys'>): Promise<number> {
  const em = orm.em.fork() as SubgraphEM;
  const current = keysOf(settings).current.id;
  let changed = 0;
  for (const endpoint of await em.find(WebhookEndpoint, {}, { fields: ['id', 'secret', 'previousSecret'] })) {
    const stale = (stored: string | null | undefined) => !!stored && sealedKeyId(stored) !== current;
    if (!stale(endpoint.secret) && !stale(endpoint.previousSecret)) continue;
    let resealed: Partial<Pick<WebhookEndpoint, 'secret' | 'previousSecret'>>;
    try {
      const reseal = (stored: string) => sealedWebhookSecret(settings, endpoint.id, openedSecret(settings, endpoint.id, stored));
      resealed = {
        ...(stale(endpoint.secret) ? { secret: reseal(endpoint.secret) } : {}),
        ...(stale(endpoint.previousSecret) ? { previousSecret: reseal(endpoint.previousSecret!) } : {}),
      };
    } catch (error) {
      logEvent('error', 'webhook_secret_unreadable', { endpointId: endpoint.id, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    changed += await em.nativeUpdate(WebhookEndpoint, { id: endpoint.id, secret: endpoint.secret, previousSecret: endpoint.previousSecret ?? null }, resealed);
  }
  if (changed > 0) logEvent('info', 'webhook_secrets_sealed', { count: changed, keyId: current });
  return changed;
}
