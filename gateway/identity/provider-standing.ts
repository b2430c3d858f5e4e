/**
 * A deactivated provider's tokens and API keys stop working at once (docs/rules.md: an admin
 * deactivates a provider; it then no longer takes part, and reads nothing of its licenses, holders
 * or VAT ids). The gateway verifies a caller's credentials itself, but whether a provider is active
 * lives in the providers database: after the credentials are verified, a provider caller is
 * admitted only while the providers subgraph says it is active (PROVIDER_STANDING_PATH).
 *
 * Answers are kept per provider under the directory version they were read at, like verified API
 * keys (gateway/identity/api-keys.ts): setProviderActive bumps that version, so a deactivation counts from
 * the very next request (in one process with the providers subgraph at once; a gateway deployed
 * alone as soon as its directory feed hears of it). Without a feed every provider request asks.
 */
import { PROVIDER_STANDING_PATH, type ProviderStandingAnswer } from '../../lib/provider-standing';
import type { Identity } from '../../lib/identity';
import { CredentialsUnverifiable } from './api-keys';
import { CredentialsRefused, type IdentityVerifier } from './identity';
import type { DirectoryVersionSource } from '../shared-state/response-cache';
import { message } from '../../lib/i18n/message';
import type { SubgraphRequestSigner } from '../upstream/subgraph-signer';

export interface ProviderStandingOptions {
  /** Any URL of the providers subgraph (its GraphQL URL). */
  providersUrl: string;
  sign: SubgraphRequestSigner;
  /** The directory change feed; unset: every provider request asks the providers subgraph. */
  directory?: DirectoryVersionSource;
  timeoutMs: number;
  /** How many providers' answers are kept (per directory version). */
  maxKept?: number;
}

export interface ProviderStanding {
  /** `verify`, then refuse a provider caller whose provider is deactivated (401, like a revoked key). */
  guard(verify: IdentityVerifier): IdentityVerifier;
  dispose(): void;
}

export function createProviderStanding(options: ProviderStandingOptions): ProviderStanding {
  const { directory, sign } = options;
  const maxKept = options.maxKept ?? 10_000;
  const kept = new Map<string, { active: boolean; version: number }>();
  const unsubscribe = directory?.subscribe(() => kept.clear());

  async function ask(provider: string): Promise<boolean> {
    const url = new URL(`${PROVIDER_STANDING_PATH}?id=${encodeURIComponent(provider)}`, options.providersUrl).toString();
    let answer: ProviderStandingAnswer;
    try {
      const response = await fetch(url, { headers: sign(url, 'GET', ''), signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = (await response.json()) as ProviderStandingAnswer;
    } catch (error) {
      throw new CredentialsUnverifiable(`the providers subgraph did not answer ${PROVIDER_STANDING_PATH} (${error instanceof Error ? error.message : error})`);
    }
    // A provider not in the directory is not refused: no license names it, so it reads nothing anyway.
    return answer?.provider?.active !== false;
  }

  async function active(provider: string): Promise<boolean> {
    // The version before asking: an answer that raced a (de)activation is filed under the old version.
    const version = directory ? await (directory.confirm?.() ?? directory.current()) : undefined;
    const seen = kept.get(provider);
    if (seen && seen.version === version) return seen.active;
    const answer = await ask(provider);
    if (version !== undefined) {
      if (kept.size >= maxKept) kept.delete(kept.keys().next().value!);
      kept.set(provider, { active: answer, version });
    }
    return answer;
  }

  return {
    guard: (verify) => {
      const inGoodStanding = async (identity: Extract<Identity, { role: 'provider' }>): Promise<Identity> => {
        if (!(await active(identity.provider))) {
          throw new CredentialsRefused(message('credentials.providerDeactivated', { provider: identity.provider }));
        }
        return identity;
      };
      // Only a provider's standing is asked (and awaited); anyone else passes as verified, at once when it was.
      const checked = (identity: Identity) => (identity.role === 'provider' ? inGoodStanding(identity) : identity);
      return (req) => {
        const identity = verify(req);
        return identity instanceof Promise ? identity.then(checked) : checked(identity);
      };
    },
    dispose: () => unsubscribe?.(),
  };
}
