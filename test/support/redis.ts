/**
 * Redis for the tests that need one: REDIS_URL, else the local server on 127.0.0.1:6379 when it
 * answers. A fresh machine has none and those tests are skipped there; CI sets REQUIRE_REDIS=1 so
 * that a missing Redis fails instead of skipping.
 */
import { Redis } from 'ioredis';

let probed: Promise<string | undefined> | undefined;

export function testRedisUrl(): Promise<string | undefined> {
  probed ??= (async () => {
    const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
    const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return url;
    } catch (error) {
      if (process.env.REQUIRE_REDIS)
        throw new Error(`REQUIRE_REDIS is set but Redis at ${url} does not answer: ${error instanceof Error ? error.message : error}`);
      return undefined;
    } finally {
      client.disconnect();
    }
  })();
  return probed;
}
