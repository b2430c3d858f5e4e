/**
 * Failed sign-ins are limited with growing delays: a few attempts are free (a receptionist
 * mistypes), then the next waits 30 seconds, and each further one twice as long as the one before,
 * up to 15 minutes. Three counts, each with its own allowance, and an attempt is checked only when
 * all three admit it:
 *
 * - per license key AND client address (5): a practice mistyping, or one attacker guessing one
 *   license's code. Refused here first, so one attacker cannot lock the practice out: the
 *   practice, at another address, still has its own allowance;
 * - per client address (20): one address guessing at many licenses (a reception serving several
 *   practices still gets through);
 * - per license key alone (100, far more): many addresses guessing one license's code.
 *
 * A success clears the license's counts (the holder has its code); the address gets that attempt's
 * point back but keeps the rest (one right code must not buy more guesses at other licenses).
 *
 * Count and decide in one atomic limiter call, so that parallel guesses cannot slip in: of any
 * burst, no more attempts than the allowance are ever checked. Each count is rate-limiter-flexible's
 * brute-force pattern (its ExpressBruteFlexible, whose Express middleware shape we cannot use):
 * `consume` on the free allowance (points: free - 1) admits or refuses atomically; past it, a
 * `penalty` on a one-point block whose lifetime is the wait admits exactly the attempt that creates
 * the block (consumedPoints 1) and refuses every other until it expires; a third count of these
 * blocks makes each wait twice the one before. In Redis when REDIS_URL is set (every gateway
 * replica shares the counts; each call one atomic script), else in memory; while Redis is
 * unreachable each replica counts on its own, as the request rate limit does.
 */
import { sha256Base64url } from '../../lib/digest';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Attempts without success that are free of any wait, per count. */
export const FREE_SIGN_IN_ATTEMPTS = { licenseAtAddress: 5, address: 20, license: 100 } as const;
export const FIRST_SIGN_IN_DELAY_SECONDS = 30;
export const MAX_SIGN_IN_DELAY_SECONDS = 15 * 60;
/** How long failed attempts are remembered. */
const FAILURES_KEPT_SECONDS = 24 * 60 * 60;

/**
 * The rule: how long the next attempt must wait after the `attempts`-th one without success, when
 * `free` attempts are free: none before the last free one, then 30, 60, 120, … seconds, at most 15
 * minutes. So with 5 free, the 6th attempt waits 30 s after the 5th.
 */
export function signInDelaySeconds(attempts: number, free: number): number {
  if (attempts < free) return 0;
  return Math.min(FIRST_SIGN_IN_DELAY_SECONDS * 2 ** (attempts - free), MAX_SIGN_IN_DELAY_SECONDS);
}

export interface SignInAdmission {
  /** 0: the attempt may be checked; else the seconds to wait before the next one. */
  wait: number;
  /**
   * The attempt was admitted but never checked (the licenses subgraph could not take it): the free
   * points it used are given back. An attempt admitted past a wait keeps its place.
   */
  notChecked(): Promise<void>;
}

export interface SignInThrottle {
  /** Counts an attempt and decides it: admitted (wait 0) or refused with the wait. */
  admit(licenseKey: string, address: string): Promise<SignInAdmission>;
  /** The attempt signed in: the license's counts are cleared, the address gets its point back. */
  succeeded(licenseKey: string, address: string): Promise<void>;
}

/** One count with its allowance: the free attempts, then one attempt per growing wait. */
interface Count {
  /** Attempts free of any wait. */
  allowance: number;
  free: RateLimiterAbstract;
  block: RateLimiterAbstract;
  blocks: RateLimiterAbstract;
}

type Decision = { admitted: true; free: boolean } | { admitted: false; wait: number };

const refusedBy = (error: unknown): RateLimiterRes => {
  if (error instanceof RateLimiterRes) return error;
  throw error;
};

async function decide(count: Count, key: string): Promise<Decision> {
  try {
    await count.free.consume(key);
    return { admitted: true, free: true };
  } catch (error) {
    refusedBy(error);
  }
  const blocksSoFar = (await count.blocks.get(key))?.consumedPoints ?? 0;
  let gate: RateLimiterRes;
  try {
    gate = await count.block.penalty(key, 1, { customDuration: signInDelaySeconds(count.allowance + blocksSoFar, count.allowance) });
  } catch (error) {
    gate = refusedBy(error);
  }
  // The one attempt that created the block goes ahead; the block's lifetime is the next one's wait.
  if (gate.consumedPoints !== 1) return { admitted: false, wait: Math.max(1, Math.ceil(gate.msBeforeNext / 1000)) };
  await count.blocks.penalty(key, 1);
  return { admitted: true, free: false };
}

/** `prefix`: where the counts live in Redis (tests give each run its own). */
export function createSignInThrottle(redis?: Redis, prefix = 'sign-in'): SignInThrottle {
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${prefix}-${keyPrefix}`, points, duration };
    return redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
  };
  const count = (name: string, free: number): Count => ({
    allowance: free,
    // The last free attempt passes through the block (which starts the first wait).
    free: limiter(`${name}-free`, free - 1, FAILURES_KEPT_SECONDS),
    block: limiter(`${name}-block`, 1, MAX_SIGN_IN_DELAY_SECONDS),
    blocks: limiter(`${name}-blocks`, Number.MAX_SAFE_INTEGER, FAILURES_KEPT_SECONDS),
  });
  const counts = {
    licenseAtAddress: count('license-address', FREE_SIGN_IN_ATTEMPTS.licenseAtAddress),
    address: count('address', FREE_SIGN_IN_ATTEMPTS.address),
    license: count('license', FREE_SIGN_IN_ATTEMPTS.license),
  };
  const keys = (licenseKey: string, address: string) => {
    const license = sha256Base64url(licenseKey);
    return { licenseAtAddress: `${license}@${address}`, address, license };
  };
  const clear = (c: Count, key: string) => Promise.all([c.free.delete(key), c.block.delete(key), c.blocks.delete(key)]);

  return {
    async admit(licenseKey, address) {
      const key = keys(licenseKey, address);
      const admittedFree: Array<[Count, string]> = [];
      const notChecked = () => Promise.all(admittedFree.map(([c, k]) => c.free.reward(k, 1))).then(() => undefined);
      // The most particular count first: an attempt it refuses is counted nowhere else.
      for (const name of ['licenseAtAddress', 'address', 'license'] as const) {
        const decision = await decide(counts[name], key[name]);
        if (!decision.admitted) {
          // Admitted by the counts before, refused here: not checked, so their free points go back.
          await notChecked();
          return { wait: decision.wait, notChecked: () => Promise.resolve() };
        }
        if (decision.free) admittedFree.push([counts[name], key[name]]);
      }
      return { wait: 0, notChecked };
    },
    async succeeded(licenseKey, address) {
      const key = keys(licenseKey, address);
      await Promise.all([clear(counts.licenseAtAddress, key.licenseAtAddress), clear(counts.license, key.license), counts.address.free.reward(key.address, 1)]);
    },
  };
}
