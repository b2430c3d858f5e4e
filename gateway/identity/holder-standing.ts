/**
 * A holder token ends with the access code it was signed in with (docs/sign-in.md "What ends
 * when"): reissuing the code or transferring the license (which revokes its codes) refuses every
 * token signed in before, 401 UNAUTHENTICATED like an expired one. The gateway verifies tokens
 * itself, but which code is in force lives in the licenses database: after the token is verified,
 * a holder who signed in is admitted only while the licenses subgraph names its code as the one in
 * force (HOLDER_CREDENTIAL_PATH, lib/holder-credentials.ts).
 *
 * Answers are kept per license under the directory version they were read at, like provider
 * standing and verified API keys (gateway/identity/provider-standing.ts): a reissue and a transfer bump
 * that version after they commit, so from the very next request on (in one process with the
 * subgraphs at once; a gateway deployed alone as soon as its directory feed hears of it, by Redis
 * or the next poll, within a second) the old token is refused. The check runs in the front door
 * before the response cache is consulted, so no cached answer is ever served to an ended token;
 * and the licenses subgraph checks the code again on the data itself (subgraphs/licenses/context.ts)
 * for a request that raced the change past this check. Without a feed every such request asks.
 *
 * Hand-written: Hive Gateway's JWT plugin verifies signatures and claims, not state held elsewhere.
 */
import { HOLDER_CREDENTIAL_PATH, type HolderCredentialAnswer } from '../../lib/holder-credentials';
import type { Identity } from '../../lib/identity';
import { CredentialsUnverifiable } from './api-keys';
import { CredentialsRefused, type IdentityVerifier } from './identity';
import type { DirectoryVersionSource } from '../shared-state/response-cache';
import { message } from '../../lib/i18n/message';
import type { SubgraphRequestSigner } from '../upstream/subgraph-signer';

export interface HolderStandingOptions {
  /** Any URL of the licenses subgraph (its GraphQL URL). */
  licensesUrl: string;
  sign: SubgraphRequestSigner;
  /** The directory change feed; unset: every request of a signed-in holder asks the licenses subgraph. */
  directory?: DirectoryVersionSource;
  timeoutMs: number;
  /** How many licenses' answers are kept (per directory version). */
  maxKept?: number;
}

export interface HolderStanding {
  /** `verify`, then refuse a signed-in holder whose access code is no longer in force (401). */
  guard(verify: IdentityVerifier): IdentityVerifier;
  /**
   * The id of the license's code in force, read now (never from what is kept): the sign-in reads it
   * before the code is checked, so the token it mints can only name a code that was in force then.
   */
  codeInForce(licenseKey: string): Promise<string | null>;
  dispose(): void;
}

export function createHolderStanding(options: HolderStandingOptions): HolderStanding {
  const { directory, sign } = options;
  const maxKept = options.maxKept ?? 10_000;
  const kept = new Map<string, { codeId: string | null; version: number }>();
  const unsubscribe = directory?.subscribe(() => kept.clear());

  async function ask(licenseKey: string): Promise<string | null> {
    const url = new URL(`${HOLDER_CREDENTIAL_PATH}?license=${encodeURIComponent(licenseKey)}`, options.licensesUrl).toString();
    let answer: HolderCredentialAnswer;
    try {
      const response = await fetch(url, { headers: sign(url, 'GET', ''), signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      answer = (await response.json()) as HolderCredentialAnswer;
    } catch (error) {
      throw new CredentialsUnverifiable(`the licenses subgraph did not answer ${HOLDER_CREDENTIAL_PATH} (${error instanceof Error ? error.message : error})`);
    }
    const codeId = answer?.accessCodeId;
    if (codeId !== null && typeof codeId !== 'string')
      throw new CredentialsUnverifiable(`the licenses subgraph gave no access code on ${HOLDER_CREDENTIAL_PATH}`);
    return codeId;
  }

  async function inForce(licenseKey: string): Promise<string | null> {
    // The version before asking: an answer that raced a reissue is filed under the old version.
    const version = directory ? await (directory.confirm?.() ?? directory.current()) : undefined;
    const seen = kept.get(licenseKey);
    if (seen && seen.version === version) return seen.codeId;
    const codeId = await ask(licenseKey);
    if (version !== undefined) {
      if (kept.size >= maxKept) kept.delete(kept.keys().next().value!);
      kept.set(licenseKey, { codeId, version });
    }
    return codeId;
  }

  return {
    guard: (verify) => {
      const inGoodStanding = async (identity: Extract<Identity, { role: 'holder' }>): Promise<Identity> => {
        if ((await inForce(identity.licenses[0])) !== identity.codeId) {
          throw new CredentialsRefused(message('credentials.holderTokenEnded'));
        }
        return identity;
      };
      // Only a holder who signed in with a code is asked about (and awaited); anyone else passes as verified.
      const checked = (identity: Identity) => (identity.role === 'holder' && identity.codeId !== undefined ? inGoodStanding(identity) : identity);
      return (req) => {
        const identity = verify(req);
        return identity instanceof Promise ? identity.then(checked) : checked(identity);
      };
    },
    codeInForce: ask,
    dispose: () => unsubscribe?.(),
  };
}
