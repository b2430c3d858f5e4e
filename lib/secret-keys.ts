/**
 * SECRETS_KEYS: the key ring that values at rest are sealed with (lib/secret-box.ts): webhook
 * signing secrets and kept Idempotency-Key answers. The keys live in the environment of the
 * subgraphs that seal, never in a database, so a copy of a database yields no working credential.
 *
 * Rotation (docs/security-data.md "Secrets at rest"): put a new key first and keep the old ones
 * after it; new values are sealed with the first, values sealed with an older key still open, and
 * the providers subgraph re-seals its webhook secrets with the first key when it starts. Once no
 * value names an old key (kept answers expire after a day), the old key can go.
 */
import { derivedKey, secretKeyRing, type SecretKeyRing } from './secret-box';
import type { SettingValues } from './settings';

/** Not a secret: what development sealing falls back to when neither SECRETS_KEYS nor SUBGRAPH_SECRET is set. */
const DEVELOPMENT_SEED = 'onyx development only: set SECRETS_KEYS for anything else';
export const DEVELOPMENT_KEY_ID = 'dev';

export type SecretKeySettings = Pick<SettingValues, 'SECRETS_KEYS' | 'SUBGRAPH_SECRET' | 'NODE_ENV'>;

/**
 * The ring of a subgraph process: SECRETS_KEYS when set; in development one key derived from
 * SUBGRAPH_SECRET (a fixed development value without it, so that `npm start`, which makes a new
 * SUBGRAPH_SECRET every time, still opens yesterday's values); in production, without SECRETS_KEYS,
 * none (a subgraph that seals refuses to start, lib/subgraph.ts).
 */
export function secretKeysOf(settings: SecretKeySettings): SecretKeyRing | undefined {
  if (settings.SECRETS_KEYS?.length) return secretKeyRing(settings.SECRETS_KEYS.map(([id, key]) => [id, Buffer.from(key, 'base64')] as const));
  if (settings.NODE_ENV === 'production') return undefined;
  return developmentSecretKeys(settings.SUBGRAPH_SECRET);
}

/** The development ring: one key, derived (never written down). */
export const developmentSecretKeys = (subgraphSecret?: string): SecretKeyRing =>
  secretKeyRing([[DEVELOPMENT_KEY_ID, derivedKey(subgraphSecret ?? DEVELOPMENT_SEED, 'onyx secrets keys (development)')]]);

export const MISSING_SECRETS_KEYS =
  'SECRETS_KEYS must be set in production (e.g. SECRETS_KEYS=k1:$(openssl rand -base64 32)): webhook signing secrets and kept Idempotency-Key answers are sealed with it';
