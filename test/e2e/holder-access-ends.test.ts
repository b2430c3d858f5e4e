/**
 * What ends when (docs/sign-in.md), through the gateway over HTTP with every subgraph real: a
 * transfer locks the previous practice out (its code no longer signs in, every token it signed in
 * with before is 401 UNAUTHENTICATED, also for a query the response cache had answered for it),
 * an import that gives a license another holder does the same, a reissued code ends the tokens of
 * the old one, and holder tokens are a kind of their own
 * (their own audience, a jti, the code they were signed in with), never taken for another kind.
 * The licenses subgraph checks the code again on the data itself, for a request that raced past
 * the gateway. Also: a change to a license is judged on the one row its transaction reads, so a
 * vendor replaced meanwhile cannot act on the license any more.
 */
import { decodeJwt } from 'jose';
import { HOLDER_TOKEN_AUDIENCE } from '../../gateway/identity/identity';
import { signSubgraphRequest } from '../../lib/subgraph-signature';
import { ProvidersLink } from '../../subgraphs/licenses/directory/providers-link';
import { networkDirectory } from '../fixtures/network';
import { ADMIN, startTestStack, tokenFor, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const ALPHA = { sub: 'alpha-desk', role: 'provider', provider: 'alpha' };
const ISSUE = `mutation ($licenseKey: ID!) { issueLicenseAccessCode(licenseKey: $licenseKey) { accessCode } }`;
const SIGN_IN = `mutation ($licenseKey: ID!, $accessCode: String!) { signIn(licenseKey: $licenseKey, accessCode: $accessCode) { token expiresAt } }`;
const LICENSE = `query ($key: ID!) { license(key: $key) { key version holder { name vatId } } }`;
const TRANSFER = `mutation ($key: ID!, $version: Int!, $holder: LicenseHolderInput!) { transferLicense(key: $key, version: $version, holder: $holder) { version holder { name } } }`;

async function issue(licenseKey: string, as: object = ALPHA): Promise<string> {
  const answer = await stack.graphql(ISSUE, { licenseKey }, as as never);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.issueLicenseAccessCode.accessCode;
}

const signIn = (licenseKey: string, accessCode: string) => stack.graphql(SIGN_IN, { licenseKey, accessCode }, null);

async function tokenOf(licenseKey: string, accessCode: string): Promise<string> {
  const answer = await signIn(licenseKey, accessCode);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.signIn.token;
}

/** POSTs with a bearer token as it is. */
async function withToken(token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const refusedToken = (answer: { status: number; body: any }) => {
  expect(answer.status).toBe(401);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
};
const failedSignIn = (answer: { body: any }) => {
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_FAILED' });
};

describe('a transfer locks the previous practice out', () => {
  it('old code fails, old token 401 (also for an answer the cache holds), the new holder signs in with a new code', async () => {
    const oldCode = await issue('L-VENDOR');
    const oldToken = await tokenOf('L-VENDOR', oldCode);
    // Read twice: the second answer comes from the response cache.
    for (let i = 0; i < 2; i++) {
      const read = await withToken(oldToken, LICENSE, { key: 'L-VENDOR' });
      expect(read.body.data.license.holder).toEqual({ name: 'Praxis L-VENDOR', vatId: null });
    }
    const version = (await stack.graphql(LICENSE, { key: 'L-VENDOR' })).body.data.license.version;
    const transferred = await stack.graphql(
      TRANSFER,
      { key: 'L-VENDOR', version, holder: { name: 'New Practice GmbH', country: 'AT', language: 'de', vatId: 'ATU13585627' } },
      ALPHA,
    );
    expect(transferred.body.errors).toBeUndefined();

    refusedToken(await withToken(oldToken, LICENSE, { key: 'L-VENDOR' }));
    // Not only the licenses: the token is refused for anything, public fields included.
    refusedToken(await withToken(oldToken, '{ supportTopics { id } }'));
    failedSignIn(await signIn('L-VENDOR', oldCode));

    const newCode = await issue('L-VENDOR');
    failedSignIn(await signIn('L-VENDOR', oldCode));
    const newToken = await tokenOf('L-VENDOR', newCode);
    const read = await withToken(newToken, LICENSE, { key: 'L-VENDOR' });
    expect(read.body.data.license.holder).toEqual({ name: 'New Practice GmbH', vatId: 'ATU13585627' });
    refusedToken(await withToken(oldToken, LICENSE, { key: 'L-VENDOR' }));

    // The trail says why the old code stopped working.
    const trail = await stack.graphql(`{ licenseAccessTrail(licenseKey: "L-VENDOR") { edges { node { action actorProvider } } } }`, {});
    expect(trail.body.data.licenseAccessTrail.edges.map((e: any) => e.node.action)).toEqual([
      'signIn',
      'signInFailed',
      'issueLicenseAccessCode',
      'signInFailed',
      'transferLicense',
      'signIn',
      'issueLicenseAccessCode',
    ]);
  });
});

describe('an import that gives a license another holder is a transfer too', () => {
  it('the codes in force are revoked and the tokens signed in with them end; the import may set the new code', async () => {
    const oldCode = await issue('L-GONE', ADMIN);
    const oldToken = await tokenOf('L-GONE', oldCode);
    const directory = networkDirectory();
    const record = (directory.licenses as Record<string, any>[]).find((l) => l.key === 'L-GONE')!;
    record.holder = { ...record.holder, name: 'Nachfolgepraxis L-GONE' };
    record.accessCode = 'K7QM-2XPD-9RTA-W4HN';
    const { importDirectory } = await import('../../app/directory/import-directory');
    expect((await importDirectory(directory, stack.orms)).ok).toBe(true);
    refusedToken(await withToken(oldToken, LICENSE, { key: 'L-GONE' }));
    failedSignIn(await signIn('L-GONE', oldCode));
    const read = await withToken(await tokenOf('L-GONE', 'K7QM-2XPD-9RTA-W4HN'), LICENSE, { key: 'L-GONE' });
    expect(read.body.data.license.holder.name).toBe('Nachfolgepraxis L-GONE');
  });
});

describe('a reissued code ends the tokens of the old one', () => {
  it('token of the old code 401, old code fails, the new code and its token work', async () => {
    const first = await issue('L-PARTNER', ADMIN);
    const firstToken = await tokenOf('L-PARTNER', first);
    expect((await withToken(firstToken, LICENSE, { key: 'L-PARTNER' })).body.data.license.key).toBe('L-PARTNER');
    const second = await issue('L-PARTNER');
    refusedToken(await withToken(firstToken, LICENSE, { key: 'L-PARTNER' }));
    failedSignIn(await signIn('L-PARTNER', first));
    const secondToken = await tokenOf('L-PARTNER', second);
    expect((await withToken(secondToken, LICENSE, { key: 'L-PARTNER' })).body.data.license.key).toBe('L-PARTNER');
    expect(decodeJwt(secondToken).codeId).not.toBe(decodeJwt(firstToken).codeId);
  });
});

describe('holder tokens are a kind of their own', () => {
  it('carry the holder audience, a jti of their own and the code they were signed in with', async () => {
    const code = await issue('L-DIRECT', ADMIN);
    const [a, b] = [await tokenOf('L-DIRECT', code), await tokenOf('L-DIRECT', code)];
    const [claimsA, claimsB] = [decodeJwt(a), decodeJwt(b)];
    expect(claimsA).toMatchObject({ aud: HOLDER_TOKEN_AUDIENCE, role: 'holder', licenses: ['L-DIRECT'], sub: 'holder:L-DIRECT' });
    expect(claimsA.jti).toEqual(expect.any(String));
    expect(claimsA.jti).not.toBe(claimsB.jti);
    expect(claimsA.codeId).toBe(claimsB.codeId);
  });

  it.each([
    ['an admin token for the holder audience', { sub: 'x', role: 'admin', aud: HOLDER_TOKEN_AUDIENCE }],
    ['a provider token for the holder audience', { sub: 'x', role: 'provider', provider: 'alpha', aud: [HOLDER_TOKEN_AUDIENCE, 'other'] }],
    [
      'a holder-audience token without the code it was signed in with',
      { sub: 'x', role: 'holder', licenses: ['L-DIRECT'], aud: HOLDER_TOKEN_AUDIENCE, jti: 'j' },
    ],
    [
      'a holder-audience token for two licenses',
      { sub: 'x', role: 'holder', licenses: ['L-DIRECT', 'L-US'], aud: HOLDER_TOKEN_AUDIENCE, jti: 'j', codeId: 'c' },
    ],
    [
      'a holder-audience token naming a code that is not in force',
      { sub: 'x', role: 'holder', licenses: ['L-DIRECT'], aud: HOLDER_TOKEN_AUDIENCE, jti: 'j', codeId: 'c' },
    ],
  ])('%s is refused (401)', async (_what, claims) => {
    refusedToken(await withToken(await tokenFor(claims), '{ supportTopics { id } }'));
  });

  it('a holder token read as an admin token reads nothing of other licenses', async () => {
    const code = await issue('L-DIRECT', ADMIN);
    const token = await tokenOf('L-DIRECT', code);
    expect((await withToken(token, LICENSE, { key: 'L-US' })).body.data.license).toBeNull();
    const issued = await withToken(token, ISSUE, { licenseKey: 'L-DIRECT' });
    expect(issued.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('the licenses subgraph itself refuses a holder whose code is no longer in force', async () => {
    const code = await issue('L-US', ADMIN);
    const { codeId } = decodeJwt(await tokenOf('L-US', code)) as { codeId: string };
    const ask = async (identity: object) => {
      const body = JSON.stringify({ query: '{ license(key: "L-US") { key } }' });
      const response = await fetch(`http://127.0.0.1:${stack.subgraphs.licenses.port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signSubgraphRequest({ method: 'POST', path: '/graphql', body, identity, secret: stack.subgraphSecret }),
        },
        body,
      });
      return ((await response.json()) as any).data.license;
    };
    const holder = { role: 'holder', sub: 'holder:L-US', licenses: ['L-US'], codeId };
    expect(await ask(holder)).toEqual({ key: 'L-US' });
    await issue('L-US', ADMIN);
    expect(await ask(holder)).toBeNull();
  });
});

describe('a change is judged on the row its transaction reads', () => {
  it('a vendor replaced between the first read and the change cannot record a payment on the license', async () => {
    const start = (await stack.graphql(LICENSE, { key: 'L-SUSPENDED' })).body.data.license.version;
    const references = ProvidersLink.prototype.references;
    let vendorChange: Promise<unknown> | undefined;
    // While alpha's change asks the directory about alpha, an admin moves the license to beta (the
    // version it will then be at is what alpha sends). The admin's change is given two seconds:
    // where the license's row is read in the change's own transaction it waits for that one.
    const spy = jest.spyOn(ProvidersLink.prototype, 'references').mockImplementation(async function (this: ProvidersLink, ids, caller) {
      if (caller.role === 'provider' && caller.provider === 'alpha' && !vendorChange) {
        vendorChange = stack.graphql(`mutation { changeLicenseVendor(key: "L-SUSPENDED", version: ${start}, vendorId: "beta") { version } }`, {});
        await Promise.race([vendorChange, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }
      return references.call(this, ids, caller);
    });
    try {
      const answer = await stack.graphql(
        `mutation { recordMaintenancePayment(key: "L-SUSPENDED", version: ${start + 1}, paidThrough: "2031-12-31") { maintenancePaidThrough } }`,
        {},
        ALPHA,
      );
      expect(['NOT_FOUND', 'CONFLICT']).toContain(answer.body.errors?.[0]?.extensions?.code);
      await vendorChange;
    } finally {
      spy.mockRestore();
    }
    const after = (await stack.graphql(`{ license(key: "L-SUSPENDED") { vendor { id } maintenancePaidThrough } }`)).body.data.license;
    expect(after).toEqual({ vendor: { id: 'beta' }, maintenancePaidThrough: '2020-12-31' });
  });
});
