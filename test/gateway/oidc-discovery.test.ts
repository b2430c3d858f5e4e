/**
 * OIDC_ISSUER without JWKS_URL (gateway/identity/oidc-discovery.ts): the gateway takes the keys of the
 * identity provider's tokens from the key set its discovery document names, checks `iss` (JWT_ISSUER,
 * by default OIDC_ISSUER) and `aud` (JWT_AUDIENCE) as for JWKS_URL, and starts and serves everyone
 * else while the provider cannot be reached. A discovery document and an RS256 key set are served
 * on loopback; the settings' rules are checked through the settings table, as an entry point reads them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { gatewaySettings } from '../../gateway/settings';
import { identityProviderOrigins, signInSettingsAnswer } from '../../gateway/identity/page-sign-in';
import type { RunningServer } from '../../lib/http';
import { readSettings } from '../../lib/settings-table';
import { networkDirectory } from '../fixtures/network';
import { gatewayBeside, startTestStack, TEST_JWT_SECRET, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const AUDIENCE = 'https://directory.example/graphql';
const VIEWER = '{ viewer { id } }';

let server: http.Server;
let issuer: string;
let stack: TestStack;
let privateKey: CryptoKey;
/** What the discovery document says its issuer is (a provider misconfigured for another issuer: changed). */
let documentIssuer: () => string;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'op-1', alg: 'RS256', use: 'sig' }] });
  server = http.createServer((req, res) => {
    const json = (body: string) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (req.url === '/.well-known/openid-configuration')
      return json(
        JSON.stringify({ issuer: documentIssuer(), jwks_uri: `${issuer}/keys`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` }),
      );
    if (req.url === '/keys') return json(jwks);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  documentIssuer = () => issuer;
  stack = await startTestStack({
    directory: networkDirectory(),
    // As the entry point would set it up from OIDC_ISSUER, OIDC_CLIENT_ID and JWT_AUDIENCE.
    gateway: (({ oidc, jwtIssuer, jwtAudience }) => ({ oidc, jwtIssuer, jwtAudience }))(
      gatewaySettings(parsedSettings({ JWT_SECRET: TEST_JWT_SECRET, OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'pages', JWT_AUDIENCE: AUDIENCE })),
    ),
  });
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);
const staffToken = (claims: JWTPayload = {}) =>
  new SignJWT({ sub: 'person-1', role: 'provider', provider: 'dora', name: 'Dora Staff', iss: issuer, aud: AUDIENCE, iat: now(), exp: now() + 300, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'op-1', typ: 'at+jwt' })
    .sign(privateKey);

async function ask(url: string, token: string | undefined, query = VIEWER) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any };
}

test('a token of OIDC_ISSUER for JWT_AUDIENCE is verified with the keys its discovery document names (JWT_ISSUER defaults to the issuer)', async () => {
  const answer = await ask(stack.url, await staffToken());
  expect(answer.status).toBe(200);
  expect(answer.body.data.viewer.id).toBe('dora');
});

test.each<[string, JWTPayload, RegExp]>([
  ['another audience', { aud: 'https://another-api.example' }, /"aud"/],
  ['another issuer', { iss: 'https://login.example/other' }, /"iss"/],
])('a token for %s is 401 UNAUTHENTICATED', async (_what, claims, message) => {
  const answer = await ask(stack.url, await staffToken(claims));
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({ errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] });
});

test("a discovery document for another issuer is not believed: the provider's tokens are refused, everyone else is served, until it is put right", async () => {
  let other: RunningServer | undefined;
  documentIssuer = () => 'https://impostor.example';
  try {
    // A gateway of its own: the first one has read (and keeps) the right document.
    other = await gatewayBeside(stack, { oidc: { issuer, clientId: 'pages' }, jwtIssuer: issuer, jwtAudience: AUDIENCE });
    const refused = await ask(other.url, await staffToken());
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0]).toEqual({ message: expect.stringMatching(/could not be read/), extensions: { code: 'UNAUTHENTICATED' } });
    expect((await ask(other.url, undefined)).body).toEqual({ data: { viewer: null } });
    // The provider's document put right: the gateway reads it again for a later token, without a restart.
    documentIssuer = () => issuer;
    const token = await staffToken();
    for (let accepted = false; !accepted; await new Promise((resolve) => setTimeout(resolve, 1000))) accepted = (await ask(other.url, token)).status === 200;
  } finally {
    documentIssuer = () => issuer;
    await other?.close();
  }
});

test('an identity provider that cannot be reached stops nobody but its own tokens', async () => {
  const nowhere = 'http://127.0.0.1:9'; // the discard port: nothing answers
  const other = await gatewayBeside(stack, { oidc: { issuer: nowhere, clientId: 'pages' }, jwtIssuer: nowhere, jwtAudience: AUDIENCE });
  try {
    const refused = await ask(other.url, await staffToken({ iss: nowhere }));
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].message).toMatch(/could not be read.*try again later/);
    expect((await ask(other.url, undefined)).status).toBe(200);
  } finally {
    await other.close();
  }
});

test('with JWKS_URL set, its keys are used and the discovery document is not read', async () => {
  const nowhere = 'http://127.0.0.1:9';
  const other = await gatewayBeside(stack, {
    oidc: { issuer: nowhere, clientId: 'pages' },
    jwksUrl: new URL(`${issuer}/keys`),
    jwtIssuer: nowhere,
    jwtAudience: AUDIENCE,
  });
  try {
    expect((await ask(other.url, await staffToken({ iss: nowhere }))).body.data.viewer.id).toBe('dora');
  } finally {
    await other.close();
  }
});

describe('settings', () => {
  const base = { JWT_SECRET: TEST_JWT_SECRET };
  const problems = (env: Record<string, string>) => readSettings(['gateway', 'start'], { ...base, ...env }).problems;

  test('OIDC_ISSUER needs OIDC_CLIENT_ID and JWT_AUDIENCE; an explicit JWT_ISSUER wins over it', () => {
    expect(problems({ OIDC_ISSUER: 'https://login.example/realms/onyx' })).toEqual(['OIDC_CLIENT_ID and JWT_AUDIENCE must be set with OIDC_ISSUER']);
    const env = { ...base, OIDC_ISSUER: 'https://login.example/realms/onyx', OIDC_CLIENT_ID: 'pages', JWT_AUDIENCE: AUDIENCE };
    expect(gatewaySettings(parsedSettings(env))).toMatchObject({
      oidc: { issuer: 'https://login.example/realms/onyx', clientId: 'pages' },
      jwtIssuer: 'https://login.example/realms/onyx',
      pastedCredentials: false,
    });
    expect(gatewaySettings(parsedSettings({ ...env, JWT_ISSUER: 'https://login.example/realms/onyx/' })).jwtIssuer).toBe('https://login.example/realms/onyx/');
    expect(gatewaySettings(parsedSettings({ ...env, OIDC_PASTED_CREDENTIALS: 'on' })).pastedCredentials).toBe(true);
  });

  test.each([
    ['http://login.example/realms/onyx', /https/],
    ['https://login.example/realms/onyx?tenant=1', /query/],
    ['not a url', /not a URL/],
  ])('OIDC_ISSUER=%s is refused', (value, message) => {
    const found = problems({ OIDC_ISSUER: value, OIDC_CLIENT_ID: 'pages', JWT_AUDIENCE: AUDIENCE });
    expect(found).toEqual([expect.stringMatching(message)]);
    expect(found[0]).toMatch(/^OIDC_ISSUER=/);
  });

  test('an http issuer on loopback is a development identity provider, and is accepted', () => {
    expect(problems({ OIDC_ISSUER: 'http://127.0.0.1:4004', OIDC_CLIENT_ID: 'pages', JWT_AUDIENCE: AUDIENCE })).toEqual([]);
    expect(problems({ OIDC_ISSUER: 'http://localhost:4004', OIDC_CLIENT_ID: 'pages', JWT_AUDIENCE: AUDIENCE })).toEqual([]);
  });

  test('the development identity provider is refused with NODE_ENV=production', () => {
    expect(problems({ DEV_IDENTITY_PROVIDER: 'on', NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/DEV_IDENTITY_PROVIDER=on is refused with NODE_ENV=production/),
    ]);
    expect(problems({ DEV_IDENTITY_PROVIDER: 'on' })).toEqual([]);
  });
});

describe('what the pages are told', () => {
  test('without OIDC_ISSUER: a pasted key or token, as before', () => {
    expect(signInSettingsAnswer({ pastedCredentials: false })).toEqual({ oidc: null, pastedCredentials: true });
    expect(identityProviderOrigins({})).toEqual([]);
  });

  test('with it: the issuer, the client and the audience; pasted credentials only when allowed', () => {
    const oidc = { issuer: 'https://login.example/realms/onyx', clientId: 'pages' };
    expect(signInSettingsAnswer({ oidc, audience: AUDIENCE, pastedCredentials: false })).toEqual({
      oidc: { ...oidc, resource: AUDIENCE, scope: 'openid profile offline_access', audienceParameter: 'resource' },
      pastedCredentials: false,
    });
    expect(signInSettingsAnswer({ oidc, audience: AUDIENCE, pastedCredentials: true }).pastedCredentials).toBe(true);
    // Entra ID v2 refuses `resource` and names the API by a scope; Auth0 reads `audience`.
    const entra = gatewaySettings(
      parsedSettings({
        JWT_SECRET: TEST_JWT_SECRET,
        OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
        OIDC_CLIENT_ID: 'pages',
        JWT_AUDIENCE: 'api://onyx-directory',
        OIDC_SCOPE: 'api://onyx-directory/directory',
        OIDC_AUDIENCE_PARAMETER: 'none',
      }),
    );
    expect(signInSettingsAnswer({ oidc: entra.oidc, audience: entra.jwtAudience, pastedCredentials: false }).oidc).toMatchObject({
      scope: 'openid profile offline_access api://onyx-directory/directory',
      audienceParameter: 'none',
    });
    expect(readSettings(['gateway'], { OIDC_AUDIENCE_PARAMETER: 'aud' }).problems).toEqual([
      expect.stringMatching(/^OIDC_AUDIENCE_PARAMETER="aud": must be one of resource, audience, none/),
    ]);
    expect(readSettings(['gateway'], { OIDC_SCOPE: 'a  "b"' }).problems).toEqual([expect.stringMatching(/^OIDC_SCOPE=.*scopes separated by single spaces/)]);
    // What the Content-Security-Policy's connect-src must allow besides the gateway.
    expect(identityProviderOrigins({ oidc })).toEqual(['https://login.example']);
  });
});
