/**
 * The sign-in throttle (gateway/sign-in-throttle.ts) in memory and in Redis: attempts are counted
 * per license key and per address, the one past the free attempts imposes a wait that refuses even
 * the next attempt, a success clears the license's count but not the address's, and with Redis two
 * gateway replicas share one count.
 */
import { Redis } from 'ioredis';
import { createSignInThrottle, type SignInThrottle } from '../../gateway/sign-in-throttle';
import { testRedisUrl } from '../support/redis';

async function attempts(throttle: SignInThrottle, times: number, licenseKey: string, address: string): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < times; i++) waits.push(await throttle.admit(licenseKey, address));
  return waits;
}

describe('in memory', () => {
  it('admits 6 attempts on a license, then makes the next wait; a success on another license is not held back', async () => {
    const throttle = createSignInThrottle();
    expect(await attempts(throttle, 6, 'L-1', '10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0]);
    const wait = await throttle.admit('L-1', '10.0.0.1');
    expect(wait).toBeGreaterThan(20);
    expect(wait).toBeLessThanOrEqual(30);
    expect(await throttle.admit('L-2', '10.0.0.1')).toBe(0);
  });

  it('a success clears the license, so the holder can go on; the address keeps its failures', async () => {
    const throttle = createSignInThrottle();
    await attempts(throttle, 5, 'L-1', '10.0.0.2');
    await throttle.succeeded('L-1', '10.0.0.2');
    expect(await attempts(throttle, 5, 'L-1', '10.0.0.2')).toEqual([0, 0, 0, 0, 0]);
    // 20 free per address: 9 failures so far (the success gave its point back), 11 more pass, the 21st imposes a wait.
    const others: number[] = [];
    for (let i = 0; i < 11; i++) others.push(await throttle.admit(`L-OTHER-${i}`, '10.0.0.2'));
    expect(others).toEqual(Array(11).fill(0));
    await throttle.admit('L-THIRD', '10.0.0.2');
    expect(await throttle.admit('L-FOURTH', '10.0.0.2')).toBeGreaterThan(20);
    expect(await throttle.admit('L-FOURTH', '10.0.0.3')).toBe(0);
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

  it('two replicas share one count', async () => {
    if (!redis) return console.warn('no Redis: skipped');
    const a = createSignInThrottle(redis, prefix);
    const b = createSignInThrottle(redis, prefix);
    expect(await attempts(a, 3, 'L-R', '10.1.0.1')).toEqual([0, 0, 0]);
    expect(await attempts(b, 3, 'L-R', '10.1.0.1')).toEqual([0, 0, 0]);
    expect(await a.admit('L-R', '10.1.0.1')).toBeGreaterThan(20);
    expect(await b.admit('L-R', '10.1.0.9')).toBeGreaterThan(20);
    await b.succeeded('L-R', '10.1.0.9');
    expect(await a.admit('L-R', '10.1.0.9')).toBe(0);
  });
});
