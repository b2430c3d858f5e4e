/**
 * Holder sign-in through the gateway over HTTP, every subgraph real (SQLite, or PostgreSQL with
 * DATABASE_URL): who may issue a license's access code (admin, the distributor that sold it; not
 * its support partner, another provider, a holder or anonymous), that the code is shown once and
 * stored only as a scrypt hash, that reissuing revokes the old code, that `signIn` gives a holder
 * token the gateway accepts for that license alone, that a wrong code and an unknown key get the
 * same answer, that every attempt is in the license's access trail, that the import sets codes, and
 * that failed attempts are throttled with a wait.
 */
import { decodeJwt } from 'jose';
import { networkDirectory } from '../fixtures/network';
import { ADMIN, startTestStack, type TestStack } from '../support/stack';
import { inEnglish } from '../support/english';

let stack: TestStack;
beforeAll(async () => {
  const directory = networkDirectory();
  // One license with a code from the import (the code as a practice might type it: lower case, spaces).
  (directory.licenses as Record<string, unknown>[]).find((l) => l.key === 'L-DIRECT')!.accessCode = 'k7qm 2xpd 9rta w4hn';
  stack = await startTestStack({ directory });
});
afterAll(() => stack?.close());

const ISSUE = `mutation ($licenseKey: ID!) { issueLicenseAccessCode(licenseKey: $licenseKey) { licenseKey accessCode } }`;
const SIGN_IN = `mutation ($licenseKey: ID!, $accessCode: String!) { signIn(licenseKey: $licenseKey, accessCode: $accessCode) { token expiresAt } }`;
const TRAIL = `query ($licenseKey: ID!) { licenseAccessTrail(licenseKey: $licenseKey) { totalCount edges { node { action actorRole actorSub actorProvider licenseKey at } } } }`;
const LICENSE = `query ($key: ID!) { license(key: $key) { key holder { name } } }`;

const ALPHA = { sub: 'alpha-desk', role: 'provider', provider: 'alpha' };
const EMIL = { sub: 'emil-desk', role: 'provider', provider: 'emil' };
const BETA = { sub: 'beta-desk', role: 'provider', provider: 'beta' };
const HOLDER = { sub: 'praxis', role: 'holder', licenses: ['L-PARTNER'] };

async function signIn(licenseKey: string, accessCode: string) {
  return stack.graphql(SIGN_IN, { licenseKey, accessCode }, null);
}

/** POSTs with a bearer token as is (a token signIn gave). */
async function withToken(token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('issueLicenseAccessCode follows the access matrix', () => {
  it.each([
    ['an admin', ADMIN],
    ['the distributor that sold the license', ALPHA],
  ])('%s issues a code, shown once in groups of four', async (_who, as) => {
    const answer = await stack.graphql(ISSUE, { licenseKey: 'L-PARTNER' }, as);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.issueLicenseAccessCode).toEqual({
      licenseKey: 'L-PARTNER',
      accessCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/),
    });
  });

  it.each([
    ['its designated support partner (sees the license, may not issue)', EMIL, 'FORBIDDEN'],
    ['another provider (may not see it: as if it did not exist)', BETA, 'NOT_FOUND'],
    ['a holder', HOLDER, 'FORBIDDEN'],
    ['an anonymous caller', null, 'UNAUTHENTICATED'],
  ])('%s is refused', async (_who, as, code) => {
    const answer = await stack.graphql(ISSUE, { licenseKey: 'L-PARTNER' }, as);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors[0].extensions.code).toBe(code);
  });

  it('a license that does not exist is NOT_FOUND, naming the key, for the admin too', async () => {
    const answer = await stack.graphql(ISSUE, { licenseKey: 'L-NOPE' });
    expect(answer.body.errors[0]).toMatchObject({ message: expect.stringContaining('"L-NOPE"'), extensions: { code: 'NOT_FOUND' } });
  });
});

describe('signIn', () => {
  it('gives a short-lived holder token for that license alone, which the gateway accepts', async () => {
    const { accessCode } = (await stack.graphql(ISSUE, { licenseKey: 'L-VENDOR' })).body.data.issueLicenseAccessCode;
    const answer = await signIn('L-VENDOR', accessCode);
    expect(answer.body.errors).toBeUndefined();
    const { token, expiresAt } = answer.body.data.signIn;
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ role: 'holder', licenses: ['L-VENDOR'], sub: 'holder:L-VENDOR' });
    expect(new Date(expiresAt).getTime()).toBe(claims.exp! * 1000);
    // The default lifetime: 240 minutes from the token's issue.
    expect(claims.exp! - claims.iat!).toBe(240 * 60);
    expect((await withToken(token, LICENSE, { key: 'L-VENDOR' })).body.data.license).toEqual({ key: 'L-VENDOR', holder: { name: 'Praxis L-VENDOR' } });
    expect((await withToken(token, LICENSE, { key: 'L-PARTNER' })).body.data.license).toBeNull();
    const contact = await withToken(token, `{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } } }`, {});
    expect(contact.body.data.supportContact.contacts).toEqual([{ id: 'alpha' }]);
  });

  it('fills the token under the aliases the client chose, through fragments too', async () => {
    const { accessCode } = (await stack.graphql(ISSUE, { licenseKey: 'L-GONE' })).body.data.issueLicenseAccessCode;
    const query = `mutation ($c: String!) { practice: signIn(licenseKey: "L-GONE", accessCode: $c) { ...T until: expiresAt } } fragment T on SignedIn { bearer: token }`;
    const answer = await stack.graphql(query, { c: accessCode.toLowerCase().replaceAll('-', ' ') }, null);
    expect(answer.body.errors).toBeUndefined();
    expect(decodeJwt(answer.body.data.practice.bearer)).toMatchObject({ licenses: ['L-GONE'] });
    expect(answer.body.data.practice.until).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reissuing revokes the old code; the database holds only scrypt hashes', async () => {
    const first = (await stack.graphql(ISSUE, { licenseKey: 'L-SUSPENDED' })).body.data.issueLicenseAccessCode.accessCode;
    const second = (await stack.graphql(ISSUE, { licenseKey: 'L-SUSPENDED' }, ALPHA)).body.data.issueLicenseAccessCode.accessCode;
    expect(second).not.toBe(first);
    expect((await signIn('L-SUSPENDED', first)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await signIn('L-SUSPENDED', second)).body.data.signIn.token).toBeTruthy();
    const rows: { hash: string; revoked_at: unknown }[] = await stack.orms.licenses.em
      .getConnection()
      .execute(`select hash, revoked_at from license_access_code where license_key = 'L-SUSPENDED'`);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
    for (const { hash } of rows) {
      expect(hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      for (const code of [first, second]) expect(hash).not.toContain(code.replaceAll('-', ''));
    }
  });

  it('answers a wrong code and an unknown key alike, and records both in the trail', async () => {
    const wrongCode = await signIn('L-PARTNER', 'AAAA-BBBB-CCCC-DDDD');
    const unknownKey = await signIn('L-DOES-NOT-EXIST', 'AAAA-BBBB-CCCC-DDDD');
    const notACode = await signIn('L-PARTNER', 'x'.repeat(10_000));
    for (const answer of [wrongCode, unknownKey, notACode]) {
      expect(answer.status).toBe(200);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors).toHaveLength(1);
    }
    const shape = (a: typeof wrongCode) => ({ message: a.body.errors[0].message, code: a.body.errors[0].extensions.code });
    expect(shape(unknownKey)).toEqual(shape(wrongCode));
    expect(shape(notACode)).toEqual(shape(wrongCode));
    expect(shape(wrongCode)).toEqual({ message: expect.stringContaining('license key or the access code is not right'), code: 'UNAUTHENTICATED' });

    const trail = await stack.graphql(TRAIL, { licenseKey: 'L-PARTNER' }, ALPHA);
    const actions = trail.body.data.licenseAccessTrail.edges.map((e: any) => e.node);
    // Newest first: two failed sign-ins after the two codes issued in the matrix test.
    expect(actions.map((e: any) => e.action)).toEqual(['signInFailed', 'signInFailed', 'issueLicenseAccessCode', 'issueLicenseAccessCode']);
    expect(actions[0]).toMatchObject({ actorRole: 'anonymous', actorSub: null, licenseKey: 'L-PARTNER' });
    expect(actions[2]).toMatchObject({ actorRole: 'provider', actorProvider: 'alpha', actorSub: 'alpha-desk' });
    expect(actions[3]).toMatchObject({ actorRole: 'admin', actorSub: 'test-admin' });
    // The unknown key's attempt is in the trail too, for the admin (no distributor sold it).
    const rows: unknown[] = await stack.orms.licenses.em
      .getConnection()
      .execute(`select action from license_access_event where license_key = 'L-DOES-NOT-EXIST'`);
    expect(rows).toEqual([{ action: 'signInFailed' }]);
  });

  it('only the admin and the selling distributor read the trail', async () => {
    for (const [as, code] of [
      [EMIL, 'FORBIDDEN'],
      [BETA, 'NOT_FOUND'],
      [HOLDER, 'FORBIDDEN'],
      [null, 'UNAUTHENTICATED'],
    ] as const) {
      expect((await stack.graphql(TRAIL, { licenseKey: 'L-PARTNER' }, as)).body.errors[0].extensions.code).toBe(code);
    }
    expect((await stack.graphql(TRAIL, { licenseKey: 'L-PARTNER' })).body.data.licenseAccessTrail.totalCount).toBe(4);
  });

  it('the code the import set signs in, typed any way; re-importing the same code changes nothing', async () => {
    expect(decodeJwt((await signIn('L-DIRECT', 'K7QM-2XPD-9RTA-W4HN')).body.data.signIn.token)).toMatchObject({ licenses: ['L-DIRECT'] });
    const { importDirectory } = await import('../../app/directory/import-directory');
    const again = networkDirectory();
    (again.licenses as Record<string, unknown>[]).find((l) => l.key === 'L-DIRECT')!.accessCode = 'K7QM-2XPD-9RTA-W4HN';
    expect((await importDirectory(again, stack.orms)).ok).toBe(true);
    const trail = (await stack.graphql(TRAIL, { licenseKey: 'L-DIRECT' })).body.data.licenseAccessTrail.edges.map((e: any) => e.node.action);
    expect(trail).toEqual(['signIn', 'import']);
    const bad = networkDirectory();
    (bad.licenses as Record<string, unknown>[]).find((l) => l.key === 'L-DIRECT')!.accessCode = 'ILLEGAL-U';
    const refused = inEnglish(await importDirectory(bad, stack.orms));
    expect(refused).toMatchObject({
      ok: false,
      problems: [{ path: 'licenses[1] (L-DIRECT).accessCode', reason: expect.stringContaining('access code has 16 letters and digits') }],
    });
  });

  it('signs in the same whoever calls (admin, a provider, a holder of another license): the token is for the license, the trail names the caller', async () => {
    for (const as of [ADMIN, BETA, HOLDER]) {
      const answer = await stack.graphql(SIGN_IN, { licenseKey: 'L-DIRECT', accessCode: 'K7QM-2XPD-9RTA-W4HN' }, as);
      expect(decodeJwt(answer.body.data.signIn.token)).toMatchObject({ role: 'holder', licenses: ['L-DIRECT'], sub: 'holder:L-DIRECT' });
    }
    const trail = (await stack.graphql(TRAIL, { licenseKey: 'L-DIRECT' })).body.data.licenseAccessTrail.edges.map((e: any) => e.node);
    expect(trail.slice(0, 3).map((e: any) => [e.action, e.actorRole, e.actorSub])).toEqual([
      ['signIn', 'holder', 'praxis'],
      ['signIn', 'provider', 'beta-desk'],
      ['signIn', 'admin', 'test-admin'],
    ]);
  });

  it('refuses two signIns in one request (aliases would try many codes at once)', async () => {
    const answer = await stack.graphql(
      `mutation { a: signIn(licenseKey: "L-US", accessCode: "AAAA-AAAA-AAAA-AAAA") { token } b: signIn(licenseKey: "L-US", accessCode: "BBBB-BBBB-BBBB-BBBB") { token } }`,
      {},
      null,
    );
    expect(answer.body.errors[0]).toMatchObject({ message: expect.stringContaining('once per request'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  // Last: it leaves the test address with failed attempts.
  it('after 5 failed attempts on a license the next one waits, with the right code too, for a known and an unknown key alike', async () => {
    const { accessCode } = (await stack.graphql(ISSUE, { licenseKey: 'L-US' })).body.data.issueLicenseAccessCode;
    for (const key of ['L-US', 'L-UNKNOWN-THROTTLED']) {
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await signIn(key, 'AAAA-AAAA-AAAA-AAAA')).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      const refused = await signIn(key, key === 'L-US' ? accessCode : 'AAAA-AAAA-AAAA-AAAA');
      expect(refused.body.data ?? null).toBeNull();
      expect(refused.body.errors[0]).toMatchObject({
        message: expect.stringMatching(/^Too many sign-in attempts for this license or from this address\. Try again in \d+ s\.$/),
        extensions: { code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter: expect.any(Number) },
      });
      expect(refused.body.errors[0].extensions.retryAfter).toBeGreaterThan(1);
      expect(refused.body.errors[0].extensions.retryAfter).toBeLessThanOrEqual(30);
    }
  });
});
