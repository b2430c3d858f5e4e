/**
 * The sign-in throttle's rule (gateway/identity/sign-in-throttle.ts): how long the next attempt waits after a
 * number of attempts without success, per license at one address (5 free), per address (20 free)
 * and per license from anywhere (100 free).
 */
import { FREE_SIGN_IN_ATTEMPTS, signInDelaySeconds } from '../../gateway/identity/sign-in-throttle';

describe('signInDelaySeconds', () => {
  it('lets the attempts before the last free one through without a wait', () => {
    for (let attempts = 0; attempts < 5; attempts++) expect(signInDelaySeconds(attempts, 5)).toBe(0);
  });

  it('after the 5th of 5 free attempts the next waits 30 s, and each further one twice as long', () => {
    expect([5, 6, 7, 8, 9].map((n) => signInDelaySeconds(n, 5))).toEqual([30, 60, 120, 240, 480]);
  });

  it('never waits longer than 15 minutes', () => {
    expect(signInDelaySeconds(10, 5)).toBe(900);
    expect(signInDelaySeconds(1_000, 5)).toBe(900);
  });

  it('gives an address (a reception serving several practices) more free attempts than one license at it, and a license from anywhere far more', () => {
    expect(FREE_SIGN_IN_ATTEMPTS).toEqual({ licenseAtAddress: 5, address: 20, license: 100 });
    expect(signInDelaySeconds(19, FREE_SIGN_IN_ATTEMPTS.address)).toBe(0);
    expect(signInDelaySeconds(20, FREE_SIGN_IN_ATTEMPTS.address)).toBe(30);
    expect(signInDelaySeconds(99, FREE_SIGN_IN_ATTEMPTS.license)).toBe(0);
  });
});
