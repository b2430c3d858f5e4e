/**
 * What the partner portal asks of the API besides the pinned core, over HTTP through the gateway:
 * `viewer` (which provider a key or token acts for) and `licenses(search:)` (key or practice name,
 * letters without case, within the caller's access). Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/build';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
  stack = await startTestStack({ directory: demo });
});
afterAll(async () => {
  await stack?.close();
});

const withKey = async (key: string, query: string) => {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe('viewer', () => {
  test('is the provider an API key acts for', async () => {
    const issued = await stack.graphql(`mutation { issueApiKey(providerId: "mundwerk-demo", label: "viewer test") { key } }`);
    const { body } = await withKey(issued.body.data.issueApiKey.key, '{ viewer { id name version } }');
    expect(body.data.viewer).toMatchObject({ id: 'mundwerk-demo', name: expect.any(String), version: expect.any(Number) });
  });

  test('is the provider of a provider token, and null for admins, holders and anonymous callers', async () => {
    expect((await stack.graphql('{ viewer { id } }', {}, { sub: 'p', role: 'provider', provider: 'nordkiefer-demo' })).body.data.viewer).toEqual({
      id: 'nordkiefer-demo',
    });
    expect((await stack.graphql('{ viewer { id } }')).body.data.viewer).toBeNull();
    expect((await stack.graphql('{ viewer { id } }', {}, { sub: 'h', role: 'holder', licenses: ['OC3-DEMO-0001'] })).body.data.viewer).toBeNull();
    expect((await stack.graphql('{ viewer { id } }', {}, null)).body.data.viewer).toBeNull();
  });
});

describe('licenses(search:)', () => {
  const keys = async (search: string, as?: Parameters<TestStack['graphql']>[2]) => {
    const { body } = await stack.graphql(`query ($search: String) { licenses(search: $search) { totalCount edges { node { key } } } }`, { search }, as);
    if (body.errors) return body.errors[0];
    return body.data.licenses.edges.map((e: any) => e.node.key);
  };

  test('finds a practice name or a key, whatever the case of the letters', async () => {
    expect(await keys('ZAHNARZTPRAXIS')).toEqual(['OC3-DEMO-0001']);
    expect(await keys('studio demo')).toEqual(['OC3-DEMO-0009', 'OC3-DEMO-0010']);
    expect(await keys('oc3-demo-000')).toHaveLength(9);
    expect(await keys('nothing like this')).toEqual([]);
  });

  test('stays within what the caller may see', async () => {
    const partner = { sub: 'p', role: 'provider', provider: 'nordkiefer-demo' } as const;
    expect(await keys('demo', partner)).toEqual(['OC3-DEMO-0001']);
    expect(await keys('demo', null)).toEqual([]);
  });

  test('a search over 100 characters is a clear BAD_USER_INPUT', async () => {
    const error = await keys('x'.repeat(101));
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^search must be at most 100 characters/);
  });
});
