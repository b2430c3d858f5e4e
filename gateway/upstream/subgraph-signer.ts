/**
 * The gateway's side of SUBGRAPH_SECRET: one signer shared by the subgraph fetch, the API key
 * lookup and the readiness probe. Its own module so that those three depend on it, not on each
 * other (the API key lookup used to import it from subgraph-fetch.ts, which imports identity.ts,
 * which imports the API key lookup: a cycle).
 */
import { identityHeaderValue, subgraphSigner } from '../../lib/subgraph-signature';
import type { Identity } from '../../lib/identity';

/**
 * Signs a request to a subgraph (SUBGRAPH_SECRET, lib/subgraph-signature.ts): method, path, body
 * and the caller's identity forwarded to it (none: the gateway's own calls, anonymous callers).
 * Without a secret no identity is sent: a subgraph believes none it cannot verify (lib/identity.ts).
 */
export type SubgraphRequestSigner = (url: string, method: string, body: string, identity?: Identity) => Record<string, string>;

/** Per verified identity object (the verifier hands the same one back for a known token): serialized once. */
const headerValues = new WeakMap<Identity, string>();
const forwarded = (identity: Identity | undefined) => {
  if (!identity || identity.role === 'anonymous') return '';
  let value = headerValues.get(identity);
  if (value === undefined) headerValues.set(identity, (value = identityHeaderValue(identity)));
  return value;
};

/** The request targets of the subgraph URLs (a handful): parsed once, not on every call. */
const MAX_TARGETS_KEPT = 1_000;

export function subgraphRequestSigner(secret: string | undefined): SubgraphRequestSigner {
  if (!secret) return (): Record<string, string> => ({});
  const signed = subgraphSigner(secret);
  const targets = new Map<string, string>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (target === undefined) {
      const { pathname, search } = new URL(url);
      target = pathname + search;
      if (targets.size >= MAX_TARGETS_KEPT) targets.clear();
      targets.set(url, target);
    }
    return target;
  };
  return (url, method, body, identity) => signed(method, targetOf(url), body, forwarded(identity));
}
