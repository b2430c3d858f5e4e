/**
 * The sign-in throttle's rule (gateway/sign-in-throttle.ts): how long the next attempt waits after a
 * number of attempts without success, per license (5 free) and per address (20 free).
 */
import { FREE_SIGN_IN_ATTEMPTS, signInDelaySeconds } from '../../gateway/sign-in-throttle';

describe('signInDelaySeconds', () => {
  it('lets the free attempts through without a wait', () => {
    for (let attempts = 0; attempts <= 5; attempts++) expect(signInDelaySeconds(attempts, 5)).toBe(0);
  });

  it('then waits 30 s and doubles with every further attempt', () => {
    expect([6, 7, 8, 9, 10].map((n) => signInDelaySeconds(n, 5))).toEqual([30, 60, 120, 240, 480]);
  });

  it('never waits longer than 15 minutes', () => {
    expect(signInDelaySeconds(11, 5)).toBe(900);
    expect(signInDelaySeconds(1_000, 5)).toBe(900);
  });

  it('gives an address (a reception serving several practices) more free attempts than one license', () => {
    expect(FREE_SIGN_IN_ATTEMPTS).toEqual({ license: 5, address: 20 });
    expect(signInDelaySeconds(6, FREE_SIGN_IN_ATTEMPTS.address)).toBe(0);
    expect(signInDelaySeconds(21, FREE_SIGN_IN_ATTEMPTS.address)).toBe(30);
  });
});
