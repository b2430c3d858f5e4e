/**
 * The tokens `npm start` prints for the demo directory: each is accepted by the gateway and its
 * request shows what that role may see, and no more.
 */
import fs from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { decodeJwt } from 'jose';
import { demoAccessCodes, demoTokens, type DemoToken } from '../../app/demo-tokens';
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
