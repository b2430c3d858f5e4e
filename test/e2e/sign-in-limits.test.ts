/**
 * Sign-in limits through the gateway over HTTP, every subgraph real: of 30 parallel wrong codes for
 * one license exactly 5 are checked (the license's access trail shows 5 failed attempts) and the
 * rest wait; a licenses process checks only a few codes at once and answers SIGN_IN_BUSY (with
 * retryAfter) beyond its short queue, without counting the attempt; and the client's address:
 * X-Forwarded-For is ignored without TRUSTED_PROXIES, and behind a trusted proxy the rightmost
 * untrusted hop is the client (for the sign-in throttle, the rate limit and the access line), a
 * spoofed left entry changing nothing.
 */
import * as accessCodes from '../../lib/access-codes';
import { SignInChecks } from '../../subgraphs/licenses/access-code/sign-in-checks';
import { networkDirectory } from '../fixtures/network';
import { captureLogs } from '../support/logs';
import { startTestStack, type TestStack } from '../support/stack';

const SIGN_IN = `mutation ($licenseKey: ID!, $accessCode: String!) { signIn(licenseKey: $licenseKey, accessCode: $accessCode) { token } }`;
const WRONG = 'AAAA-BBBB-CCCC-DDDD';

async function signIn(stack: TestStack, licenseKey: string, headers: Record<string, string> = {}, accessCode = WRONG) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: SIGN_IN, variables: { licenseKey, accessCode } }),
  });
  return { status: response.status, body: (await response.json()) as any };
}
const codeOf = (answer: { body: any }) => answer.body.errors?.[0]?.extensions?.code as string | undefined;
const checked = (answer: { body: any }) => answer.body.errors?.[0]?.extensions?.reason === 'SIGN_IN_FAILED';

async function failedInTrail(stack: TestStack, licenseKey: string): Promise<number> {
  const rows: { n: number | string }[] = await stack.orms.licenses.em
    .getConnection()
    .execute(`select count(*) as n from license_access_event where license_key = ? and action = 'signInFailed'`, [licenseKey]);
  return Number(rows[0].n);
}

describe('without TRUSTED_PROXIES', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ directory: networkDirectory() });
  });
  afterAll(() => stack?.close());

  it('of 30 parallel wrong codes for one license exactly 5 are checked; the others wait', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => signIn(stack, 'L-VENDOR')));
    expect(answers.filter(checked)).toHaveLength(5);
    expect(answers.filter((a) => codeOf(a) === 'TOO_MANY_SIGN_IN_ATTEMPTS')).toHaveLength(25);
    expect(await failedInTrail(stack, 'L-VENDOR')).toBe(5);
    // One after another, too: the next one waits.
    expect(codeOf(await signIn(stack, 'L-VENDOR'))).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
  });

  it('X-Forwarded-For is ignored: another claimed address is the same client', async () => {
    expect(codeOf(await signIn(stack, 'L-VENDOR', { 'x-forwarded-for': '198.51.100.23' }))).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
    expect(await failedInTrail(stack, 'L-VENDOR')).toBe(5);
  });

  it('beyond the checks it can run and queue, the licenses subgraph answers SIGN_IN_BUSY at once; the attempt is not counted', async () => {
    // Calls through; its recorded `this` is the licenses process's own instance, whose load the test reads.
    const runSpy = jest.spyOn(SignInChecks.prototype, 'run');
    const checks = () => runSpy.mock.contexts[0] as SignInChecks | undefined;
    // Every check holds its place until the test lets go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const verify = accessCodes.verifyAccessCode;
    const verifySpy = jest.spyOn(accessCodes, 'verifyAccessCode').mockImplementation(async (typed, stored) => {
      await held;
      return verify(typed, stored);
    });
    try {
      // 2 running and 8 waiting, each on a license of its own.
      const keys = Array.from({ length: 10 }, (_, i) => `L-QUEUED-${i}`);
      const queued = keys.map((key) => signIn(stack, key));
      const load = () => checks()?.load ?? { running: 0, waiting: 0 };
      while (load().running + load().waiting < 10) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(load()).toEqual({ running: 2, waiting: 8 });
      const busy = await signIn(stack, 'L-PARTNER');
      expect(busy.body.data ?? null).toBeNull();
      expect(busy.body.errors[0]).toMatchObject({ extensions: { code: 'SIGN_IN_BUSY', retryAfter: 1 } });
      expect(await failedInTrail(stack, 'L-PARTNER')).toBe(0);
      release();
      expect((await Promise.all(queued)).filter(checked)).toHaveLength(10);
    } finally {
      release();
      runSpy.mockRestore();
      verifySpy.mockRestore();
    }
    // The busy attempt was not counted: L-PARTNER still has its 5 attempts from this address.
    const five = [];
    for (let i = 0; i < 5; i++) five.push(await signIn(stack, 'L-PARTNER'));
    expect(five.filter(checked)).toHaveLength(5);
  });
});

describe('behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ directory: networkDirectory(), gateway: { trustedProxies: ['loopback'], rateLimit: { requests: 30, windowSeconds: 60 } } });
  });
  afterAll(() => stack?.close());

  const from = (...hops: string[]) => ({ 'x-forwarded-for': hops.join(', ') });

  it('the sign-in throttle counts per client behind the proxy; a spoofed left entry changes nothing', async () => {
    for (let i = 0; i < 5; i++) expect(checked(await signIn(stack, 'L-DIRECT', from('198.51.100.7')))).toBe(true);
    expect(codeOf(await signIn(stack, 'L-DIRECT', from('198.51.100.7')))).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
    // The client put another address at the left: the proxy appended its real one, which counts.
    expect(codeOf(await signIn(stack, 'L-DIRECT', from('198.51.100.8', '198.51.100.7')))).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
    // Another practice behind the same proxy is not held back.
    expect(checked(await signIn(stack, 'L-DIRECT', from('198.51.100.8')))).toBe(true);
  });

  it('the rate limit counts per client behind the proxy, and the access line names that client', async () => {
    const logs = captureLogs('info');
    try {
      const ask = (headers: Record<string, string>) =>
        fetch(stack.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ supportTopics { id } }' }),
        });
      const statuses = [];
      for (let i = 0; i < 31; i++) statuses.push((await ask(from('203.0.113.5'))).status);
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses[30]).toBe(429);
      expect((await ask(from('203.0.113.9', '203.0.113.5'))).status).toBe(429);
      expect((await ask(from('203.0.113.6'))).status).toBe(200);
      const clients = logs
        .records()
        .filter((r) => r.event === 'request' && r.path === '/graphql')
        .map((r) => r.client);
      expect(clients).toContain('203.0.113.5');
      expect(clients).toContain('203.0.113.6');
      expect(clients).not.toContain('203.0.113.9');
      expect(clients).not.toContain('127.0.0.1');
    } finally {
      logs.restore();
    }
  });
});
