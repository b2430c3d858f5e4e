/**
 * Deactivation stops a provider at once: from the next request on, its tokens and its API keys are
 * refused (401 UNAUTHENTICATED naming the deactivation) and read none of its licenses, holder names
 * or VAT ids; reactivated, both work again. Through the gateway in one process with the subgraphs,
 * and through a gateway deployed alone (no directory feed, no response cache).
 */
import { createGatewayService } from '../../gateway/gateway';
import { listen, type RunningServer } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, TEST_JWT_SECRET, tokenFor, type TestStack } from '../support/stack';

const ALPHA = { sub: 'alpha-desk', role: 'provider', provider: 'alpha' } as const;
const LICENSES = '{ licenses(first: 50) { totalCount edges { node { key holder { name vatId } } } } }';
const SET_ACTIVE = 'mutation ($active: Boolean!) { setProviderActive(id: "alpha", active: $active) { active } }';

let stack: TestStack;
let alone: RunningServer;
let apiKey: string;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
  const urls = { providers: stack.subgraphs.providers.url, licenses: stack.subgraphs.licenses.url, support: stack.subgraphs.support.url };
  alone = await listen(
    await createGatewayService({
      subgraphUrls: urls,
      subgraphSecret: stack.subgraphSecret,
      responseCache: false,
      rateLimit: false,
      jwtSecret: TEST_JWT_SECRET,
    }),
    0,
  );
  apiKey = (await stack.graphql('mutation { issueApiKey(providerId: "alpha", label: "ERP") { key } }')).body.data.issueApiKey.key;
});
afterAll(async () => {
  await alone?.close();
  await stack?.close();
});

async function ask(url: string, credentials: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentials },
    body: JSON.stringify({ query: LICENSES }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const credentials = async () => ({ token: { authorization: `Bearer ${await tokenFor(ALPHA)}` }, key: { 'x-api-key': apiKey } });

test("a deactivated provider's token and API key are refused at once, at every gateway; reactivated, they work again", async () => {
  const { token, key } = await credentials();
  for (const url of [stack.url, alone.url]) {
    for (const with_ of [token, key]) {
      const answer = await ask(url, with_);
      expect(answer.status).toBe(200);
      expect(answer.body.data.licenses.totalCount).toBeGreaterThan(0);
    }
  }

  expect((await stack.graphql(SET_ACTIVE, { active: false })).body.data.setProviderActive).toEqual({ active: false });
  for (const url of [stack.url, alone.url]) {
    for (const with_ of [token, key]) {
      const answer = await ask(url, with_);
      expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(answer.body.errors[0].message).toMatch(/"alpha" is deactivated/);
      expect(answer.body.data).toBeUndefined();
      expect(answer.text).not.toMatch(/Praxis|L-VENDOR/);
    }
  }
  // Admins and other providers are not affected.
  expect((await stack.graphql(LICENSES)).body.data.licenses.totalCount).toBe(6);
  expect((await stack.graphql(LICENSES, undefined, { sub: 'dora-desk', role: 'provider', provider: 'dora' })).body.errors).toBeUndefined();

  expect((await stack.graphql(SET_ACTIVE, { active: true })).body.data.setProviderActive).toEqual({ active: true });
  for (const url of [stack.url, alone.url]) {
    for (const with_ of [token, key]) expect((await ask(url, with_)).body.data.licenses.totalCount).toBeGreaterThan(0);
  }
});

test('a provider inactive in the directory file is refused from the start', async () => {
  const gone = await ask(stack.url, { authorization: `Bearer ${await tokenFor({ sub: 'gone-desk', role: 'provider', provider: 'gone' })}` });
  expect({ status: gone.status, code: gone.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
});
