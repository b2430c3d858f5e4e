/**
 * `X-API-Key` at the gateway (docs/guide.md "Identity and access"): the providers subgraph, which holds the keys'
 * hashes, says which provider a key acts as, over the same signed channel as every subgraph request
 * (GET /api-key-identity?hash=…). The key itself never leaves the gateway; only its hash does.
 *
 * Verified keys are kept briefly, each under the directory version it was verified at. Issuing and
 * revoking a key bump that version, so a revoked key is refused from the next request on: in one
 * process with the providers subgraph at once; a gateway deployed alone as soon as its directory
 * change feed hears of it (Redis notice or the next poll, within a second). Unknown keys are never
 * kept (a flood of made-up keys cannot push real ones out), and without a feed nothing is kept.
 */
import { API_KEY_IDENTITY_PATH, hashApiKey, looksLikeApiKey, type ApiKeyIdentityAnswer } from '../../lib/api-keys';
import type { Identity } from '../../lib/identity';
import type { DirectoryVersionSource } from '../shared-state/response-cache';
import type { SubgraphRequestSigner } from '../upstream/subgraph-signer';

/** Thrown when a key cannot be checked right now (the providers subgraph does not answer): 503, not 401. */
export class CredentialsUnverifiable extends Error {}

export interface ApiKeyVerifierOptions {
  /** Any URL of the providers subgraph (its GraphQL URL). */
  providersUrl: string;
  sign: SubgraphRequestSigner;
  /** The directory change feed; unset: every request asks the providers subgraph. */
  directory?: DirectoryVersionSource;
  timeoutMs: number;
  /** How long a verified key is believed without asking again (default 60 s). */
  keepMs?: number;
  maxKept?: number;
  now?: () => number;
}

/** The identity of a key in force; undefined for a key that is unknown or revoked. */
export type ApiKeyVerifier = (key: string) => Promise<Extract<Identity, { role: 'provider' }> | undefined>;

export interface ApiKeyVerification {
  verify: ApiKeyVerifier;
  /** Stops following the directory feed (the gateway is closing). */
  dispose(): void;
}

export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerification {
  const { directory, sign } = options;
  const keepMs = options.keepMs ?? 60_000;
  const maxKept = options.maxKept ?? 10_000;
  const now = options.now ?? Date.now;
  const kept = new Map<string, { identity: Extract<Identity, { role: 'provider' }>; version: number; until: number }>();
  // Memory only: entries of an older version would be misses anyway.
  const unsubscribe = directory?.subscribe(() => kept.clear());

  async function ask(hash: string) {
    const url = new URL(`${API_KEY_IDENTITY_PATH}?hash=${hash}`, options.providersUrl).toString();
    let answer: ApiKeyIdentityAnswer;
    try {
      const response = await fetch(url, { headers: sign(url, 'GET', ''), signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = (await response.json()) as ApiKeyIdentityAnswer;
    } catch (error) {
      throw new CredentialsUnverifiable(`the providers subgraph did not answer ${API_KEY_IDENTITY_PATH} (${error instanceof Error ? error.message : error})`);
    }
    const { apiKey } = answer ?? {};
    if (apiKey === null) return undefined;
    if (typeof apiKey?.id !== 'string' || typeof apiKey.providerId !== 'string')
      throw new CredentialsUnverifiable(`the providers subgraph gave no API key identity on ${API_KEY_IDENTITY_PATH}`);
    return { role: 'provider' as const, sub: `api-key:${apiKey.id}`, provider: apiKey.providerId, keyId: apiKey.id };
  }

  const verify: ApiKeyVerifier = async (key) => {
    if (!looksLikeApiKey(key)) return undefined;
    const hash = hashApiKey(key);
    // The version before asking: an answer that raced a revocation is filed under the old version.
    const version = directory ? await (directory.confirm?.() ?? directory.current()) : undefined;
    const seen = kept.get(hash);
    if (seen && seen.version === version && seen.until > now()) return seen.identity;
    kept.delete(hash);
    const identity = await ask(hash);
    if (identity && version !== undefined) {
      if (kept.size >= maxKept) kept.delete(kept.keys().next().value!);
      kept.set(hash, { identity, version, until: now() + keepMs });
    }
    return identity;
  };
  return { verify, dispose: () => unsubscribe?.() };
}
