/**
 * Identity and access through the gateway over HTTP, every subgraph real: tokens the gateway
 * refuses (401 before the cache), and the matrix of docs/rules.md for licenses, their holders and
 * supportContact per role (anonymous, holder, provider, admin), negative cells included; then a
 * subgraph with SUBGRAPH_SECRET, where only the identity the gateway signed counts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { identityFromClaims, subgraphCaller } from '../../lib/identity';
import { IDENTITY_HEADER, identityHeaderValue, signSubgraphRequest } from '../../lib/subgraph-signature';
import { jwtSecret } from '../../gateway/identity/identity';
import { networkDirectory } from '../fixtures/network';
import { gatewayBeside, startTestStack, tokenFor, TEST_JWT_SECRET, type TestStack } from '../support/stack';
import { startTestSubgraph } from '../support/subgraph';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const ANONYMOUS = null;
const HOLDER = { sub: 'praxis-vendor', role: 'holder', licenses: ['L-VENDOR', 'L-US'] };
const DISTRIBUTOR = { sub: 'alpha-desk', role: 'provider', provider: 'alpha' };
const SUPPORT_PARTNER = { sub: 'emil-desk', role: 'provider', provider: 'emil' };
const OTHER_PROVIDER = { sub: 'dora-desk', role: 'provider', provider: 'dora' };
const ADMIN = { sub: 'ops', role: 'admin' };

async function post(headers: Record<string, string>, query = '{ supportTopics { id } }') {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as any };
}

const sign = (claims: Record<string, unknown>, secret = TEST_JWT_SECRET, alg = 'HS256') =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));

describe('credentials at the gateway', () => {
  const refusals: [string, () => Promise<Record<string, string>>, RegExp][] = [
    [
      'a token signed with another secret',
      async () => ({
        authorization: `Bearer ${await sign({ sub: 'x', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }, 'another-secret-that-is-32-bytes-long!!')}`,
      }),
      /signature is invalid/,
    ],
    ['an expired token', async () => ({ authorization: `Bearer ${await tokenFor(ADMIN, Math.floor(Date.now() / 1000) - 120)}` }), /expired/],
    ['a token without exp', async () => ({ authorization: `Bearer ${await sign({ sub: 'x', role: 'admin' })}` }), /"exp"/],
    [
      'a token of another algorithm',
      async () => ({
        authorization: `Bearer ${await sign({ sub: 'x', role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }, TEST_JWT_SECRET + TEST_JWT_SECRET, 'HS512')}`,
      }),
      /HS256/,
    ],
    ['an unknown role', async () => ({ authorization: `Bearer ${await tokenFor({ sub: 'x', role: 'root' })}` }), /"role"/],
    ['a provider token without its provider', async () => ({ authorization: `Bearer ${await tokenFor({ sub: 'x', role: 'provider' })}` }), /"provider"/],
    ['a holder token without licenses', async () => ({ authorization: `Bearer ${await tokenFor({ sub: 'x', role: 'holder' })}` }), /"licenses"/],
    ['a token that is not a JWT', async () => ({ authorization: 'Bearer not.a.jwt' }), /malformed/],
    ['another scheme', async () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }), /Bearer/],
    ['an API key no admin issued', async () => ({ 'x-api-key': 'made-up' }), /API key/],
  ];
  test.each(refusals)('%s is 401 UNAUTHENTICATED in GraphQL JSON', async (_name, headers, message) => {
    // The same query is in the response cache for anonymous callers: a refusal never reads it.
    expect((await post({})).status).toBe(200);
    const answer = await post(await headers());
    expect(answer.status).toBe(401);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  test('no credentials is the anonymous caller, who reads the public directory', async () => {
    const answer = await stack.graphql('{ supportTopics { id } providers(country: "AT") { id } }', undefined, ANONYMOUS);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.supportTopics.length).toBeGreaterThan(0);
    expect(answer.body.data.providers.map((p: { id: string }) => p.id)).toContain('alpha');
  });

  test('the public directory reads the same for every role (matrix row: topics, categories, public profiles, current offers)', async () => {
    const PUBLIC = `{ supportCategories { id name } supportTopics { id name level }
      providers { id name roles active country email phone website serviceCountries languages offers(current: true) { id title unit price { amount currency } } } }`;
    const anonymous = await stack.graphql(PUBLIC, undefined, ANONYMOUS);
    expect(anonymous.body.errors).toBeUndefined();
    expect(anonymous.body.data.providers.some((p: { offers: unknown[] }) => p.offers.length > 0)).toBe(true);
    for (const as of [HOLDER, DISTRIBUTOR, SUPPORT_PARTNER, ADMIN]) expect((await stack.graphql(PUBLIC, undefined, as)).body).toEqual(anonymous.body);
  });

  test('claims are checked before the identity is built', () => {
    expect(identityFromClaims({ sub: 'a', role: 'provider', provider: 'alpha', licenses: ['x'] })).toEqual({ role: 'provider', sub: 'a', provider: 'alpha' });
    expect(() => identityFromClaims({ sub: 'a', role: 'holder', licenses: [1] })).toThrow(/licenses/);
  });

  test("a person's name comes with the identity (name, else preferred_username) for the audit trail; never a holder's", () => {
    expect(identityFromClaims({ sub: 'p', role: 'provider', provider: 'alpha', name: 'Dana Distributor', preferred_username: 'dana' })).toEqual({
      role: 'provider',
      sub: 'p',
      provider: 'alpha',
      name: 'Dana Distributor',
    });
    expect(identityFromClaims({ sub: 'a', role: 'admin', preferred_username: 'ada@manufacturer.example' })).toEqual({
      role: 'admin',
      sub: 'a',
      name: 'ada@manufacturer.example',
    });
    // Control characters are dropped (the name travels in a header and is shown to people); blank is none.
    expect(identityFromClaims({ sub: 'a', role: 'admin', name: 'Ada\r\nAdmin' })).toEqual({ role: 'admin', sub: 'a', name: 'AdaAdmin' });
    expect(identityFromClaims({ sub: 'a', role: 'admin', name: '  ', preferred_username: 42 })).toEqual({ role: 'admin', sub: 'a' });
    expect(identityFromClaims({ sub: 'h', role: 'holder', licenses: ['K'], name: 'Praxis' })).toEqual({ role: 'holder', sub: 'h', licenses: ['K'] });
  });

  test('JWT_SECRET: production refuses to start without a strong one, naming it; development generates one', () => {
    expect(() => jwtSecret({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set/);
    expect(() => jwtSecret({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 bytes/);
    expect(() => jwtSecret({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    let generated = '';
    expect(jwtSecret({ NODE_ENV: 'development' }, (secret) => (generated = secret))).toBe(generated);
    expect(generated).toHaveLength(64);
  });
});

describe('JWKS_URL: tokens of an identity provider (the production alternative to a shared secret)', () => {
  let keySet: http.Server;
  let jwksStack: TestStack;
  let providerKey: CryptoKey;
  let keySetRequests = 0;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    providerKey = privateKey as CryptoKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] });
    keySet = http.createServer((_req, res) => {
      keySetRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => keySet.listen(0, '127.0.0.1', resolve));
    const jwksUrl = new URL(`http://127.0.0.1:${(keySet.address() as AddressInfo).port}/.well-known/jwks.json`);
    jwksStack = await startTestStack({
      directory: networkDirectory(),
      gateway: { jwksUrl, jwtIssuer: 'https://idp.example.org', jwtAudience: 'onyx-support-directory' },
    });
  });
  afterAll(async () => {
    await jwksStack?.close();
    await new Promise((resolve) => keySet?.close(resolve));
  });

  const ask = async (authorization: string) => {
    const response = await fetch(jwksStack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: LICENSES }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const rs256 = (key: CryptoKey, kid: string, claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer('https://idp.example.org')
      .setAudience('onyx-support-directory')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  test("a token signed with the identity provider's key is a caller like any other; HS256 tokens still count", async () => {
    const answer = await ask(`Bearer ${await rs256(providerKey, 'idp-1', DISTRIBUTOR)}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.licenses.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(await visibleKeys(DISTRIBUTOR));
    expect(keySetRequests).toBeGreaterThan(0);
    expect((await ask(`Bearer ${await tokenFor(ADMIN)}`)).status).toBe(200);
  });

  test('a token signed with a key the identity provider does not publish is 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    for (const kid of ['idp-1', 'unknown-kid']) {
      const answer = await ask(`Bearer ${await rs256(privateKey as CryptoKey, kid, ADMIN)}`);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0]).toEqual({
        message: expect.stringMatching(/signature is invalid|not one of the identity provider's keys/),
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
  });
});

const LICENSE = `query ($key: ID!) { license(key: $key) { key holder { name } vendor { id } } }`;
const LICENSES = `{ licenses(first: 500) { totalCount edges { node { key } } } }`;
const CONTACT = `query ($key: ID!) { supportContact(licenseKey: $key, topic: "server-installation") { contacts { id } } }`;

type Caller = Parameters<TestStack['graphql']>[2];
const visibleKeys = async (as: Caller) => {
  const answer = await stack.graphql(LICENSES, undefined, as);
  expect(answer.body.errors).toBeUndefined();
  const keys = answer.body.data.licenses.edges.map((e: { node: { key: string } }) => e.node.key);
  expect(answer.body.data.licenses.totalCount).toBe(keys.length);
  return keys;
};

describe('who may see which license (docs/rules.md "Who may see and change what")', () => {
  const ALL = ['L-DIRECT', 'L-GONE', 'L-PARTNER', 'L-SUSPENDED', 'L-US', 'L-VENDOR'];
  test.each([
    ['anonymous: none', ANONYMOUS, []],
    ['a holder: its own', HOLDER, ['L-US', 'L-VENDOR']],
    ['a distributor: those it sold', DISTRIBUTOR, ['L-PARTNER', 'L-SUSPENDED', 'L-VENDOR']],
    ['a support partner: those it is designated for', SUPPORT_PARTNER, ['L-PARTNER']],
    ['a provider with no licenses: none', OTHER_PROVIDER, []],
    ['an admin: all', ADMIN, ALL],
  ] as [string, Caller, string[]][])('licenses lists, with totalCount to match, for %s', async (_name, as, expected) => {
    expect(await visibleKeys(as)).toEqual(expected);
  });

  test('a filtered list stays within what the caller may see', async () => {
    const answer = await stack.graphql(`{ licenses(country: "AT") { totalCount edges { node { key } } } }`, undefined, HOLDER);
    expect(answer.body.data.licenses).toEqual({ totalCount: 1, edges: [{ node: { key: 'L-VENDOR' } }] });
  });

  test.each([
    [ANONYMOUS, 'L-VENDOR', false],
    [HOLDER, 'L-VENDOR', true],
    [HOLDER, 'L-DIRECT', false],
    [DISTRIBUTOR, 'L-VENDOR', true],
    [DISTRIBUTOR, 'L-DIRECT', false],
    [SUPPORT_PARTNER, 'L-PARTNER', true],
    [SUPPORT_PARTNER, 'L-VENDOR', false],
    [OTHER_PROVIDER, 'L-PARTNER', false],
    [ADMIN, 'L-DIRECT', true],
  ] as [Caller, string, boolean][])(
    'license and its holder: %j reading %s sees it: %s; otherwise exactly what a missing license gets',
    async (as, key, sees) => {
      const answer = await stack.graphql(LICENSE, { key }, as);
      expect(answer.body.errors).toBeUndefined();
      if (sees) expect(answer.body.data.license).toMatchObject({ key, holder: { name: `Praxis ${key}` } });
      else {
        expect(answer.body.data.license).toBeNull();
        const missing = await stack.graphql(LICENSE, { key: 'L-NONE' }, as);
        expect(missing.body).toEqual(answer.body);
      }
    },
  );

  test.each([
    [ANONYMOUS, 'L-VENDOR', false],
    [HOLDER, 'L-VENDOR', true],
    [HOLDER, 'L-PARTNER', false],
    [DISTRIBUTOR, 'L-PARTNER', true],
    [SUPPORT_PARTNER, 'L-PARTNER', true],
    [SUPPORT_PARTNER, 'L-DIRECT', false],
    [OTHER_PROVIDER, 'L-VENDOR', false],
    [ADMIN, 'L-US', true],
  ] as [Caller, string, boolean][])('supportContact: %j for %s answers: %s; otherwise NOT_FOUND exactly like a missing license', async (as, key, sees) => {
    const answer = await stack.graphql(CONTACT, { key }, as);
    if (sees) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.supportContact.contacts.length).toBeGreaterThan(0);
      return;
    }
    const codes = answer.body.errors.map((e: any) => e.extensions.code);
    expect(codes).toEqual(['NOT_FOUND']);
    expect(answer.body.errors[0].message).toBe(`License "${key}" not found`);
    const missing = await stack.graphql(CONTACT, { key: 'L-NONE' }, as);
    expect(JSON.stringify(missing.body).replaceAll('L-NONE', key)).toBe(JSON.stringify(answer.body));
  });

  test('cached answers are never shared between callers', async () => {
    // The admin's answer is cached first; the holder's same request must not be served from it.
    expect(await visibleKeys(ADMIN)).toHaveLength(6);
    expect(await visibleKeys(HOLDER)).toEqual(['L-US', 'L-VENDOR']);
    expect(await visibleKeys(ANONYMOUS)).toEqual([]);
  });
});

describe('a subgraph with SUBGRAPH_SECRET believes only the identity the gateway signed', () => {
  const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
  const body = JSON.stringify({ query: '{ licenses { totalCount } }' });
  const admin = identityFromClaims(ADMIN);

  test('signed identities count; a made-up or altered identity header gets nothing', async () => {
    const licenses = await startTestSubgraph('licenses', { secret: SECRET });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const send = async (headers: Record<string, string>) => {
        const response = await fetch(licenses.server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        return { status: response.status, body: (await response.json()) as any };
      };
      const asAdmin = await send(signSubgraphRequest({ method: 'POST', path: '/graphql', body, identity: admin, secret: SECRET }));
      expect(asAdmin.body.data.licenses.totalCount).toBe(6);
      const unsignedClaim = await send({ [IDENTITY_HEADER]: JSON.stringify(admin) });
      expect(unsignedClaim.status).toBe(401);
      const anonymous = signSubgraphRequest({ method: 'POST', path: '/graphql', body, secret: SECRET });
      const smuggled = await send({ ...anonymous, [IDENTITY_HEADER]: JSON.stringify(admin) });
      expect(smuggled.status).toBe(401);
      expect((await send(anonymous)).body.data.licenses.totalCount).toBe(0);
    } finally {
      jest.restoreAllMocks();
      await licenses.close();
    }
  });

  test("through the gateway, each caller's identity arrives signed: the matrix holds with SUBGRAPH_SECRET on", async () => {
    const saved = process.env.SUBGRAPH_SECRET;
    process.env.SUBGRAPH_SECRET = SECRET;
    let signedStack: TestStack | undefined;
    try {
      signedStack = await startTestStack({ directory: networkDirectory() });
      const keys = async (as: Caller) =>
        (await signedStack!.graphql(LICENSES, undefined, as)).body.data.licenses.edges.map((e: { node: { key: string } }) => e.node.key);
      expect(await keys(HOLDER)).toEqual(['L-US', 'L-VENDOR']);
      expect(await keys(SUPPORT_PARTNER)).toEqual(['L-PARTNER']);
      expect(await keys(ADMIN)).toHaveLength(6);
      expect(await keys(ANONYMOUS)).toEqual([]);
      const contact = await signedStack.graphql(CONTACT, { key: 'L-PARTNER' }, SUPPORT_PARTNER);
      expect(contact.body.errors).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.SUBGRAPH_SECRET;
      else process.env.SUBGRAPH_SECRET = saved;
      await signedStack?.close();
    }
  });

  test('with the response cache off, the identity travels just the same', async () => {
    const server = await gatewayBeside(stack);
    try {
      const list = async (authorization?: string) => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query: LICENSES }),
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      expect((await list(`Bearer ${await tokenFor(HOLDER)}`)).body.data.licenses.totalCount).toBe(2);
      expect((await list()).body.data.licenses.totalCount).toBe(0);
      expect((await list('Bearer not.a.jwt')).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  test('without the secret the header is ignored, in every mode: the caller is anonymous', () => {
    const req = { headers: { [IDENTITY_HEADER]: JSON.stringify(admin) } };
    expect(subgraphCaller(req, undefined)).toEqual({ role: 'anonymous' });
    expect(subgraphCaller(req, SECRET)).toEqual(admin);
  });

  test("a person's name travels with the identity the gateway forwards, non-ASCII letters included", () => {
    const person = identityFromClaims({ ...ADMIN, name: 'Łucja Żółć' });
    const header = identityHeaderValue(person);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(subgraphCaller({ headers: { [IDENTITY_HEADER]: header } }, SECRET)).toEqual({ ...admin, name: 'Łucja Żółć' });
  });
});
