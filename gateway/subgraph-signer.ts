/**
 * The gateway's side of SUBGRAPH_SECRET: one signer shared by the subgraph fetch, the API key
 * lookup and the readiness probe. Its own module so that those three depend on it, not on each
 * other (the API key lookup used to import it from subgraph-fetch.ts, which imports identity.ts,
 * which imports the API key lookup: a cycle).
 */
import { identityHeaderValue, signSubgraphRequest } from '../lib/subgraph-signature';
import type { Identity } from '../lib/identity';

/**
 * Signs a request to a subgraph (SUBGRAPH_SECRET, lib/subgraph-signature.ts): method, path, body
 * and the caller's identity forwarded to it (none: the gateway's own calls, anonymous callers).
 * Without a secret no identity is sent: a subgraph believes none it cannot verify (lib/identity.ts).
 */
export type SubgraphRequestSigner = (url: string, method: string, body: string, identity?: Identity) => Record<string, string>;

const forwarded = (identity: Identity | undefined) => (!identity || identity.role === 'anonymous' ? '' : identityHeaderValue(identity));

export function subgraphRequestSigner(secret: string | undefined): SubgraphRequestSigner {
  if (!secret) return (): Record<string, string> => ({});
  return (url, method, body, identity) => {
    const { pathname, search } = new URL(url);
    return signSubgraphRequest({ method, path: pathname + search, body, identity: forwarded(identity), secret });
  };
}
