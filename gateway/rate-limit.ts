/**
 * Requests per caller and minute, answered 429 with Retry-After past the limit. The caller is its
 * credentials when it sends any (so a partner's integration is limited as itself, not by the
 * address of its proxy), else its client address. Counted in Redis when REDIS_URL is set, so
 * every gateway replica enforces one limit; in memory otherwise.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { refusal } from './request-guard';

export interface RateLimit {
  /** Requests a caller may make per window. */
  requests: number;
  windowSeconds: number;
}

export function rateLimitKey(request: Request, serverContext: { req?: IncomingMessage } | undefined): string {
  const credentials = request.headers.get('authorization') ?? request.headers.get('x-api-key');
  if (credentials) return `credentials:${createHash('sha256').update(credentials).digest('base64url')}`;
  return `address:${serverContext?.req?.socket?.remoteAddress ?? 'unknown'}`;
}

export function useRateLimit(limit: RateLimit, redis?: Redis, graphqlPath = '/graphql'): GatewayPlugin {
  const options = { points: limit.requests, duration: limit.windowSeconds, keyPrefix: 'gateway-rate-limit' };
  const limiter = redis
    ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return {
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== graphqlPath) return;
      return limiter.consume(rateLimitKey(request, serverContext as { req?: IncomingMessage })).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          endResponse(refusal(429, 'RATE_LIMITED', `Too many requests: at most ${limit.requests} per ${limit.windowSeconds} s. Retry after ${retryAfter} s.`, { 'retry-after': String(retryAfter) }));
        },
      );
    },
  };
}
