/**
 * The sign-in throttle (gateway/identity/sign-in-throttle.ts) in memory and in Redis: attempts are counted
 * and decided in one atomic call per count, so of a parallel burst no more than the allowance is
 * admitted; the 6th attempt on a license from one address waits (30 s), then one attempt per
 * doubling wait; the same license from another address has its own allowance (one attacker cannot
 * lock the practice out), up to the much higher count per license alone; a success clears the
 * license's counts but not the address's; an attempt admitted but not checked gets its points back;
 * with Redis two gateway replicas share one count.
 */
import { Redis } from 'ioredis';
import { createSignInThrottle, FREE_SIGN_IN_ATTEMPTS, type SignInThrottle } from '../../gateway/identity/sign-in-throttle';
import { testRedisUrl } from '../support/redis';

async function attempts(throttle: SignInThrottle, times: number, licenseKey: string, address: string): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < times; i++) waits.push((await throttle.admit(licenseKey, address)).wait);
  return waits;
}

const admittedOf = async (throttle: SignInThrottle, n: number, licenseKey: string, address: (i: number) => string) =>
  (await Promise.all(Array.from({ length: n }, (_, i) => throttle.admit(licenseKey, address(i))))).filter((a) => a.wait === 0).length;

describe('in memory', () => {
  it('admits 5 attempts on a license from one address; the 6th waits 30 s; a success on another license is not held back', async () => {
    const throttle = createSignInThrottle();
    expect(await attempts(throttle, 5, 'L-1', '10.0.0.1')).toEqual([0, 0, 0, 0, 0]);
    const wait = (await throttle.admit('L-1', '10.0.0.1')).wait;
    expect(wait).toBeGreaterThan(20);
    expect(wait).toBeLessThanOrEqual(30);
    expect((await throttle.admit('L-2', '10.0.0.1')).wait).toBe(0);
  });

  it('of 30 parallel attempts on one license from one address exactly 5 are admitted', async () => {
    expect(await admittedOf(createSignInThrottle(), 30, 'L-BURST', () => '10.0.0.9')).toBe(5);
  });

  it('the same license from another address still has its own 5: one attacker does not lock the practice out', async () => {
    const throttle = createSignInThrottle();
    await attempts(throttle, 8, 'L-PRACTICE', '198.51.100.66');
    expect(await attempts(throttle, 5, 'L-PRACTICE', '10.0.0.20')).toEqual([0, 0, 0, 0, 0]);
  });

  it('from many addresses, a license alone is held back only after far more attempts', async () => {
    const throttle = createSignInThrottle();
    // 5 attempts from each of 20 addresses: the license's 100 free attempts.
    expect(await admittedOf(throttle, 100, 'L-SPREAD', (i) => `10.2.${i % 20}.1`)).toBe(FREE_SIGN_IN_ATTEMPTS.license);
    expect((await throttle.admit('L-SPREAD', '10.3.0.1')).wait).toBeGreaterThan(20);
  });

  it('a success clears the license, so the holder can go on; the address keeps its failures', async () => {
    const throttle = createSignInThrottle();
    await attempts(throttle, 4, 'L-1', '10.0.0.2');
    await throttle.admit('L-1', '10.0.0.2');
    await throttle.succeeded('L-1', '10.0.0.2');
    expect(await attempts(throttle, 5, 'L-1', '10.0.0.2')).toEqual([0, 0, 0, 0, 0]);
    // 20 free per address: 9 failures so far (the success gave its point back), 11 more pass, the 21st waits.
    const others: number[] = [];
    for (let i = 0; i < 11; i++) others.push((await throttle.admit(`L-OTHER-${i}`, '10.0.0.2')).wait);
    expect(others).toEqual(Array(11).fill(0));
    expect((await throttle.admit('L-FOURTH', '10.0.0.2')).wait).toBeGreaterThan(20);
    expect((await throttle.admit('L-FOURTH', '10.0.0.3')).wait).toBe(0);
  });

  it('an attempt admitted but not checked gives its points back', async () => {
    const throttle = createSignInThrottle();
    for (let i = 0; i < 10; i++) await (await throttle.admit('L-BUSY', '10.0.0.4')).notChecked();
    expect(await attempts(throttle, 4, 'L-BUSY', '10.0.0.4')).toEqual([0, 0, 0, 0]);
  });
});

describe('in Redis (REDIS_URL, else the local server)', () => {
  let redis: Redis | undefined;
  const prefix = `test-sign-in-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    const url = await testRedisUrl();
    if (url) redis = new Redis(url, { maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('two replicas share one count, and of a parallel burst over both only 5 are admitted', async () => {
    if (!redis) return console.warn('no Redis: skipped');
    const a = createSignInThrottle(redis, prefix);
    const b = createSignInThrottle(redis, prefix);
    expect(await attempts(a, 3, 'L-R', '10.1.0.1')).toEqual([0, 0, 0]);
    expect(await attempts(b, 2, 'L-R', '10.1.0.1')).toEqual([0, 0]);
    expect((await a.admit('L-R', '10.1.0.1')).wait).toBeGreaterThan(20);
    await b.succeeded('L-R', '10.1.0.1');
    expect((await a.admit('L-R', '10.1.0.1')).wait).toBe(0);
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).admit('L-R-BURST', '10.1.0.2')));
    expect(burst.filter((x) => x.wait === 0)).toHaveLength(5);
  });
});
