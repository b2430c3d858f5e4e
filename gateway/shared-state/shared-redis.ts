/**
 * The gateway's connection to the Redis its replicas share (REDIS_URL): the response cache, the
 * rate limit, the sign-in throttle and automatic persisted queries. Each of those has an in-process
 * fallback (a miss, the replica's own count, its own memory), so a Redis that is away must cost a
 * request nothing: commands fail at once while the connection is down (`enableOfflineQueue: false`,
 * no retries per request) and within COMMAND_TIMEOUT_MS when Redis hangs, instead of each one
 * waiting out ioredis's reconnection retries (measured before: a public query took 3.96 s with Redis
 * down 3 s). The client reconnects by itself, at most RECONNECT_MAX_MS apart, and sharing resumes
 * without a restart. The degradation is logged once when it starts and once when it ends.
 */
import { Redis } from 'ioredis';
import { logEvent } from '../../lib/log';

/** A command that has no answer in this time fails (its caller falls back); Redis answers in well under 1 ms. */
export const COMMAND_TIMEOUT_MS = 500;
/** Longest pause between reconnection attempts: sharing resumes within about this long after Redis is back. */
export const RECONNECT_MAX_MS = 500;
/** How long start-up waits for the first connection; without it the gateway starts degraded. */
const FIRST_CONNECTION_MS = 2_000;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function connectSharedRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_MAX_MS),
  });
  let degraded = false;
  redis.on('error', (error: unknown) => {
    if (degraded) return;
    degraded = true;
    logEvent('warn', 'redis_unavailable', {
      message: `Redis is unreachable (${describe(error)}): until it is back this replica counts rate limits and sign-in attempts on its own, caches answers and persisted queries in memory only, and learns of directory changes by polling`,
    });
  });
  redis.on('ready', () => {
    if (!degraded) return;
    degraded = false;
    // At the level of the outage's line, so that whoever is alerted by one sees the other.
    logEvent('warn', 'redis_available', {
      message: 'Redis is reachable again: rate limits, sign-in throttles, cached answers and persisted queries are shared again',
    });
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FIRST_CONNECTION_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}
