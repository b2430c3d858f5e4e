/**
 * JWKS_URL tokens are the identity provider's tokens for this API only: the gateway refuses to
 * start without JWT_ISSUER and JWT_AUDIENCE, and refuses (401) a token of another issuer or for
 * another audience, one without `iat` or issued in the future, and one that lives longer than
 * JWT_MAX_LIFETIME_SECONDS (exp - iat). An RS256 key set is served on loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createGatewayService } from '../../gateway/gateway';
import { gatewaySettings } from '../../gateway/settings';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, TEST_JWT_SECRET, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const ISSUER = 'https://login.example.org/realms/onyx';
const AUDIENCE = 'onyx-support-directory';
const ADMIN = { sub: 'idp-admin', role: 'admin' };
const LICENSES = '{ licenses(first: 10) { totalCount } }';

let keySet: http.Server;
let jwksUrl: URL;
let stack: TestStack;
let privateKey: CryptoKey;
beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] });
  keySet = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => keySet.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(keySet.address() as AddressInfo).port}/.well-known/jwks.json`);
  stack = await startTestStack({ directory: networkDirectory(), gateway: { jwksUrl, jwtIssuer: ISSUER, jwtAudience: AUDIENCE } });
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => keySet?.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);
/** An RS256 token of the identity provider with exactly these claims (iss, aud, iat, exp included). */
const idpToken = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(privateKey);
const good = (): JWTPayload => ({ ...ADMIN, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300 });

async function ask(token: string) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: LICENSES }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

test("a token of the identity provider for this API reads as its role; the gateway's own HS256 tokens still count", async () => {
  const answer = await ask(await idpToken(good()));
  expect(answer.status).toBe(200);
  expect(answer.body.data.licenses.totalCount).toBeGreaterThan(0);
  expect((await ask(await tokenFor(ADMIN))).status).toBe(200);
});

test.each<[string, (claims: JWTPayload) => JWTPayload, RegExp]>([
  ["another application's issuer", (c) => ({ ...c, iss: 'https://login.example.org/realms/other' }), /"iss"/],
  ["another application's audience", (c) => ({ ...c, aud: 'billing-app' }), /"aud"/],
  ['no issuer', ({ iss: _iss, ...c }) => c, /"iss"/],
  ['no audience', ({ aud: _aud, ...c }) => c, /"aud"/],
  ['no iat', ({ iat: _iat, ...c }) => c, /"iat"/],
  ['an iat in the future', (c) => ({ ...c, iat: now() + 3600, exp: now() + 7200 }), /"iat"/],
  ['a lifetime over 24 hours', (c) => ({ ...c, exp: now() + 48 * 3600 }), /lifetime/],
  ['issued over 24 hours ago', (c) => ({ ...c, iat: now() - 25 * 3600, exp: now() + 300 }), /"iat"|lifetime/],
])('%s is 401 UNAUTHENTICATED, even with "role": "admin"', async (_name, change, message) => {
  const answer = await ask(await idpToken(change(good())));
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({ errors: [{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }] });
});

test('a clock a few seconds ahead at the identity provider is tolerated', async () => {
  expect((await ask(await idpToken({ ...good(), iat: now() + 5 }))).status).toBe(200);
});

test('JWKS_URL without JWT_ISSUER or JWT_AUDIENCE stops the gateway, naming them', async () => {
  const env = { JWT_SECRET: TEST_JWT_SECRET, JWKS_URL: jwksUrl.toString() };
  expect(() => parsedSettings(env)).toThrow(/JWT_ISSUER/);
  expect(() => parsedSettings({ ...env, JWT_ISSUER: ISSUER })).toThrow(/JWT_AUDIENCE/);
  expect(() => gatewaySettings({ JWT_SECRET: TEST_JWT_SECRET, JWKS_URL: jwksUrl.toString() })).toThrow(/JWT_ISSUER/);
  expect(() => parsedSettings({ ...env, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_MAX_LIFETIME_SECONDS: 'a day' })).toThrow(/JWT_MAX_LIFETIME_SECONDS/);
  expect(gatewaySettings(parsedSettings({ ...env, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }))).toMatchObject({
    jwtIssuer: ISSUER,
    jwtAudience: AUDIENCE,
    jwtMaxLifetimeSeconds: 86_400,
  });
  // Built in code, the same: no gateway that would accept any issuer's tokens.
  await expect(createGatewayService({ jwksUrl, jwtSecret: TEST_JWT_SECRET, supergraphSdl: undefined, subgraphUrls: {} })).rejects.toThrow(/JWT_ISSUER/);
});
