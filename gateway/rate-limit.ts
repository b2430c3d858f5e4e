/**
 * Requests per caller and window, answered 429 with Retry-After past the limit. The caller is its
 * credentials when it sends any (so a partner's integration is limited as itself, not by the
 * address of its proxy), else its client address. Counted in Redis when REDIS_URL is set, so
 * every gateway replica enforces one limit; in memory otherwise.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimit {
  /** Requests a caller may make per window. */
  requests: number;
  windowSeconds: number;
}

export function rateLimitKey(req: IncomingMessage): string {
  const credentials = req.headers.authorization ?? req.headers['x-api-key'];
  if (credentials) return `credentials:${createHash('sha256').update(String(credentials)).digest('base64url')}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

export interface CallerRateLimiter {
  /** Counts the request; the seconds to wait when the caller is over its limit, else undefined. */
  check(req: IncomingMessage): Promise<number | undefined>;
  describe(retryAfter: number): string;
}

export function createRateLimiter(limit: RateLimit, redis?: Redis): CallerRateLimiter {
  const options = { points: limit.requests, duration: limit.windowSeconds, keyPrefix: 'gateway-rate-limit' };
  // While Redis is unreachable each replica keeps counting on its own instead of failing requests.
  const limiter = redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
  return {
    check: (req) =>
      limiter.consume(rateLimitKey(req)).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        },
      ),
    describe: (retryAfter) => `Too many requests: at most ${limit.requests} per ${limit.windowSeconds} s. Retry after ${retryAfter} s.`,
  };
}
