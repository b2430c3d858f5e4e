/**
 * The tokens `npm start` prints for the demo directory: each is accepted by the gateway and its
 * request shows what that role may see, and no more. Beside them, the people of the development
 * identity provider (DEV_IDENTITY_PROVIDER=on), who act for the same partners; the sign-in itself
 * is tested in Chromium (test/web/oidc.test.ts).
 */
import fs from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { decodeJwt } from 'jose';
import { demoAccessCodes, demoPeople, demoPeopleText, demoTokens, type DemoToken } from '../../app/demo-tokens';
import { startDevIdentityProvider } from '../../app/dev-identity-provider';
import { discoverJwksUri } from '../../gateway/identity/oidc-discovery';
import { startTestStack, TEST_JWT_SECRET, type TestStack } from '../support/stack';

let stack: TestStack;
let tokens: DemoToken[];
beforeAll(async () => {
  stack = await startTestStack({ directory: JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8')) });
  tokens = await demoTokens(stack.orms.licenses, TEST_JWT_SECRET);
});
afterAll(() => stack?.close());

async function ask(demo: DemoToken, query = demo.query) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.token}` },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  return body.data;
}
const byRole = (label: string) => tokens.find((t) => t.label.startsWith(label))!;
const LIST = '{ licenses(first: 500) { totalCount edges { node { key vendor { id } supportPartner { id } } } } }';

test('an admin, a distributor, a support partner and a holder of the demo data', () => {
  expect(tokens.map((t) => t.claims.role)).toEqual(['admin', 'provider', 'holder', 'provider']);
  expect(tokens.map((t) => t.label)).toEqual(['admin', 'distributor nordkiefer-demo', 'holder of OC3-DEMO-0001', 'support partner donau-demo']);
});

test("each role's request answers, and shows only what the role may see", async () => {
  const all = await ask(byRole('admin'), LIST);
  expect(all.licenses.totalCount).toBe(11);
  for (const demo of tokens) await ask(demo);

  const sold = (await ask(byRole('distributor'), LIST)).licenses;
  expect(sold.totalCount).toBeGreaterThan(0);
  expect(sold.totalCount).toBeLessThan(11);
  for (const { node } of sold.edges) expect([node.vendor?.id, node.supportPartner?.id]).toContain('nordkiefer-demo');

  const supported = (await ask(byRole('support partner'), LIST)).licenses;
  expect(supported.edges.map((e: any) => e.node.key)).toContain('OC3-DEMO-0004');
  for (const { node } of supported.edges) expect([node.vendor?.id, node.supportPartner?.id]).toContain('donau-demo');

  const own = (await ask(byRole('holder'), LIST)).licenses;
  expect(own.edges.map((e: any) => e.node.key)).toEqual(['OC3-DEMO-0001']);
  expect((await ask(byRole('holder'))).supportContact.contacts.length).toBeGreaterThan(0);
});

test("the demo licenses' access codes it prints sign in, each to its own license; a reissued code is no longer printed", async () => {
  const directory = JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8'));
  const codes = await demoAccessCodes(stack.orms.licenses, directory);
  expect(codes.map((c) => c.licenseKey)).toEqual(['OC3-DEMO-0001', 'OC3-DEMO-0004', 'OC3-DEMO-0006', 'OC3-DEMO-0007']);
  for (const { licenseKey, accessCode } of codes) {
    const answer = await stack.graphql(
      `mutation ($k: ID!, $c: String!) { signIn(licenseKey: $k, accessCode: $c) { token } }`,
      { k: licenseKey, c: accessCode },
      null,
    );
    expect(decodeJwt(answer.body.data.signIn.token)).toMatchObject({ role: 'holder', licenses: [licenseKey] });
  }
  await stack.graphql(`mutation { issueLicenseAccessCode(licenseKey: "OC3-DEMO-0004") { accessCode } }`);
  expect((await demoAccessCodes(stack.orms.licenses, directory)).map((c) => c.licenseKey)).toEqual(['OC3-DEMO-0001', 'OC3-DEMO-0006', 'OC3-DEMO-0007']);
});

test("the development identity provider's people: an admin and staff of the partners the demo tokens act for, with passwords of their own", async () => {
  const people = await demoPeople(stack.orms.licenses);
  expect(people.map((p) => [p.username, p.claims.role, p.claims.provider])).toEqual([
    ['admin', 'admin', undefined],
    ['staff@nordkiefer-demo', 'provider', 'nordkiefer-demo'],
    ['staff@donau-demo', 'provider', 'donau-demo'],
  ]);
  const partners = tokens.filter((t) => t.claims.role === 'provider').map((t) => t.claims.provider);
  expect(people.filter((p) => p.claims.provider).map((p) => p.claims.provider)).toEqual(partners);
  expect(new Set(people.map((p) => p.password)).size).toBe(people.length);
  const text = demoPeopleText(people, { issuer: 'http://127.0.0.1:4004', pagesOrigin: 'http://127.0.0.1:4000' });
  for (const person of people) expect(text).toContain(`username ${person.username}  password ${person.password}`);
});

test('the development identity provider serves a discovery document the gateway accepts, on loopback only, never in production', async () => {
  const options = { port: 0, clientId: 'pages', pageUrls: ['http://127.0.0.1:4000/partner'], audience: 'http://127.0.0.1:4000/graphql', people: [] };
  await expect(startDevIdentityProvider({ ...options, nodeEnv: 'production' })).rejects.toThrow(/production/);
  await expect(startDevIdentityProvider({ ...options, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  const provider = await startDevIdentityProvider(options);
  try {
    expect((await discoverJwksUri(provider.issuer)).origin).toBe(provider.issuer);
  } finally {
    await provider.close();
  }
});
