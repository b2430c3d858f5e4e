/**
 * The client's address, for the rate limit, the sign-in throttle and the access log. Behind a load
 * balancer or an ingress every request comes from the proxy's socket, so every practice would share
 * one budget: with TRUSTED_PROXIES set, `X-Forwarded-For` is believed, but only as far as it was
 * written by a trusted proxy. proxy-addr walks from the socket's address leftwards through the
 * header while the hop is trusted, and answers the first one that is not: the rightmost untrusted
 * address. An entry a client put at the left of the header itself is never reached, because its own
 * address (appended by the first trusted proxy) is untrusted and ends the walk. Without the setting
 * the header is ignored: anyone can send it.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** `trusted`: TRUSTED_PROXIES' entries (addresses, CIDR ranges, loopback/linklocal/uniquelocal); unset: none. */
export function clientAddressFrom(trusted: readonly string[] | undefined): ClientAddressOf {
  if (!trusted || trusted.length === 0) return (req) => req.socket?.remoteAddress ?? 'unknown';
  const trust = proxyaddr.compile([...trusted]);
  return (req) => {
    // A socket already closed has no address: nothing to believe the header for.
    if (!req.socket?.remoteAddress) return 'unknown';
    return proxyaddr(req, trust);
  };
}
