/**
 * Failed sign-ins are limited per license key and per client address, with growing delays: a few
 * attempts are free (a receptionist mistypes), then the next waits 30 seconds, and each further one
 * twice as long as the one before, up to 15 minutes. A success clears the license's count (the holder has its code); the
 * address keeps its count (one right code must not buy more guesses at other licenses).
 *
 * Counted with rate-limiter-flexible, in Redis when REDIS_URL is set (every gateway replica sees the
 * same count), else in memory; while Redis is unreachable each replica counts on its own, as the
 * request rate limit does. Every attempt is counted before it is checked, so parallel guesses cannot
 * all slip in before the first failure is counted; only a success gives its point back.
 */
import { sha256Base64url } from '../lib/digest';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Attempts free of any wait: per license key (a practice mistyping) and per address (a reception serving several practices). */
export const FREE_SIGN_IN_ATTEMPTS = { license: 5, address: 20 } as const;
export const FIRST_SIGN_IN_DELAY_SECONDS = 30;
export const MAX_SIGN_IN_DELAY_SECONDS = 15 * 60;
/** How long failed attempts are remembered. */
const FAILURES_KEPT_SECONDS = 24 * 60 * 60;

/**
 * The rule: how long the next attempt must wait after the `attempts`-th one without success, when
 * `free` attempts are free: none within them, then 30, 60, 120, … seconds, at most 15 minutes.
 */
export function signInDelaySeconds(attempts: number, free: number): number {
  if (attempts <= free) return 0;
  return Math.min(FIRST_SIGN_IN_DELAY_SECONDS * 2 ** (attempts - free - 1), MAX_SIGN_IN_DELAY_SECONDS);
}

export interface SignInThrottle {
  /** Counts an attempt; 0 when it may go ahead, else the seconds to wait (the attempt is not counted then). */
  admit(licenseKey: string, address: string): Promise<number>;
  /** The attempt signed in: the license's count is cleared, the address gets its point back. */
  succeeded(licenseKey: string, address: string): Promise<void>;
}

/** `prefix`: where the counts live in Redis (tests give each run its own). */
export function createSignInThrottle(redis?: Redis, prefix = 'sign-in'): SignInThrottle {
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { keyPrefix, points, duration };
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
  };
  // The count of attempts without success, and the wait it has imposed (a block of one point).
  const attempts = limiter(`${prefix}-attempts`, Number.MAX_SAFE_INTEGER, FAILURES_KEPT_SECONDS);
  const waits = limiter(`${prefix}-wait`, 1, 1);
  const keys = (licenseKey: string, address: string) => [
    { key: `license:${sha256Base64url(licenseKey)}`, free: FREE_SIGN_IN_ATTEMPTS.license },
    { key: `address:${address}`, free: FREE_SIGN_IN_ATTEMPTS.address },
  ];

  return {
    async admit(licenseKey, address) {
      const both = keys(licenseKey, address);
      let wait = 0;
      for (const { key } of both) {
        const blocked = await waits.get(key);
        if (blocked && blocked.consumedPoints > 1) wait = Math.max(wait, Math.ceil(blocked.msBeforeNext / 1000));
      }
      if (wait > 0) return wait;
      for (const { key, free } of both) {
        const counted = await attempts.consume(key);
        const delay = signInDelaySeconds(counted.consumedPoints, free);
        if (delay > 0) await waits.block(key, delay);
      }
      return 0;
    },
    async succeeded(licenseKey, address) {
      const [license, from] = keys(licenseKey, address);
      await Promise.all([attempts.delete(license.key), waits.delete(license.key), attempts.reward(from.key, 1)]);
    },
  };
}
