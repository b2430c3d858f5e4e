/**
 * gateway/protection/rate-limit.ts counted in this process: a window per caller from its first request, the
 * seconds left in it when the caller is over its limit, a fresh window once it has passed, and
 * windows that ended forgotten. (Through the gateway: hardening.test.ts, caller-keys.test.ts.)
 */
import { createRateLimiter } from '../../gateway/protection/rate-limit';
import { inEnglish } from '../support/english';

test('a window per caller from its first request; over the limit, the seconds left in it; then a new window', () => {
  let now = 1_000_000;
  const limiter = createRateLimiter({ requests: 2, windowSeconds: 60 }, undefined, () => now);
  expect([limiter.check('a'), limiter.check('a')]).toEqual([undefined, undefined]);
  now += 20_500;
  expect(limiter.check('a')).toBe(40); // 39.5 s left, rounded up
  expect(limiter.check('b')).toBeUndefined(); // another caller has a window of its own
  now += 39_499;
  expect(limiter.check('a')).toBe(1);
  now += 1;
  expect(limiter.check('a')).toBeUndefined(); // the window passed: counted anew
  expect(limiter.check('a')).toBeUndefined();
  expect(limiter.check('a')).toBe(60);
  expect(inEnglish(limiter.describe(60))).toBe('Too many requests: at most 2 per 60 s. Retry after 60 s.');
});
