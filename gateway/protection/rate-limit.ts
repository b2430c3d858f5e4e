/**
 * Requests per caller and window, answered 429 with Retry-After past the limit. The caller is who
 * its credentials were verified to be (so a partner's integration is limited as itself, not by the
 * address of its proxy, and not once per way of spelling its Authorization header or per fresh
 * token), else its client address. Credentials the gateway refuses count against the address they
 * came from, in a bucket of their own. Counted in Redis when REDIS_URL is set, so every gateway
 * replica enforces one limit; in memory otherwise.
 */
import { sha256Base64url } from '../../lib/digest';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { message, type Message } from '../../lib/i18n/message';
import type { Identity } from '../../lib/identity';

export interface RateLimit {
  /** Requests a caller may make per window. */
  requests: number;
  windowSeconds: number;
}

const digest = (parts: unknown[]) => sha256Base64url(JSON.stringify(parts));

/**
 * The bucket of a verified caller: an API key by its id, a token's caller by role, subject and
 * provider (the claims that say who it is; a holder's license list may change between tokens),
 * an anonymous caller by its address.
 */
export function rateLimitKey(identity: Identity, address: string | undefined): string {
  if (identity.role === 'anonymous') return `address:${address ?? 'unknown'}`;
  if (identity.role === 'provider' && identity.keyId) return `api-key:${identity.keyId}`;
  // The verifier hands back the same identity object for a token it knows: hashed once, not per request.
  let key = callerKeys.get(identity);
  if (key === undefined)
    callerKeys.set(identity, (key = `caller:${digest([identity.role, identity.sub, identity.role === 'provider' ? identity.provider : null])}`));
  return key;
}

const callerKeys = new WeakMap<Identity, string>();

/** The bucket of credentials the gateway refused, per address: a flood of made-up tokens is limited too. */
export const refusedCredentialsKey = (address: string | undefined) => `refused:${address ?? 'unknown'}`;

export interface CallerRateLimiter {
  /**
   * Counts a request in `key`'s bucket; the seconds to wait when it is over its limit, else
   * undefined. Counted in memory it answers at once; in Redis, with a promise.
   */
  check(key: string): number | undefined | Promise<number | undefined>;
  describe(retryAfter: number): Message;
}

/**
 * The limit counted in this process: a window per key from its first request, as
 * rate-limiter-flexible's RateLimiterMemory counts, but answered at once. The library answers every
 * check with a promise and a result object: a microtask hop per request, measured at a few percent
 * of a cache hit's CPU time. Windows that ended are dropped once a window.
 */
function countInMemory(limit: RateLimit, now: () => number): (key: string) => number | undefined {
  const windowMs = limit.windowSeconds * 1000;
  const windows = new Map<string, { count: number; endsAt: number }>();
  let nextSweep = 0;
  return (key) => {
    const at = now();
    if (at >= nextSweep) {
      for (const [other, window] of windows) if (window.endsAt <= at) windows.delete(other);
      nextSweep = at + windowMs;
    }
    let window = windows.get(key);
    if (!window || window.endsAt <= at) windows.set(key, (window = { count: 0, endsAt: at + windowMs }));
    window.count++;
    return window.count > limit.requests ? Math.max(1, Math.ceil((window.endsAt - at) / 1000)) : undefined;
  };
}

export function createRateLimiter(limit: RateLimit, redis?: Redis, now: () => number = Date.now): CallerRateLimiter {
  const describe = (retryAfter: number) => message('gateway.rateLimited', { requests: limit.requests, window: limit.windowSeconds, retryAfter });
  if (!redis) return { check: countInMemory(limit, now), describe };
  const options = { points: limit.requests, duration: limit.windowSeconds, keyPrefix: 'gateway-rate-limit' };
  // While Redis is unreachable each replica keeps counting on its own instead of failing requests.
  const limiter = new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
  return {
    check: (key) =>
      limiter.consume(key).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        },
      ),
    describe,
  };
}
