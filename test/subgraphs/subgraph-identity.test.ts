/**
 * Identities between the gateway and the subgraphs: a subgraph believes an identity only when the
 * gateway signed it. `npm start` (app/stack.ts) runs with a subgraph secret generated for its
 * process, so a process that reaches a subgraph port directly and claims to be an admin reads
 * nothing private and changes nothing; a subgraph without a secret ignores the header; production
 * refuses to run a gateway or a subgraph alone without SUBGRAPH_SECRET.
 */
import { gatewaySettings } from '../../gateway/settings';
import { IDENTITY_HEADER } from '../../lib/subgraph-signature';
import { startSubgraph } from '../../lib/subgraph';
import { licensesSubgraph } from '../../subgraphs/licenses/subgraph';
import { networkDirectory } from '../fixtures/network';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { startTestStack, testDatabase, dropTestSchemas, type TestStack } from '../support/stack';
import { startTestSubgraph } from '../support/subgraph';
import { parsedSettings } from '../support/settings';

const ADMIN_CLAIM = { [IDENTITY_HEADER]: JSON.stringify({ role: 'admin', sub: 'intruder' }) };
const PRIVATE_LICENSES = JSON.stringify({ query: '{ licenses(first: 50) { totalCount edges { node { key holder { name vatId } } } } }' });
const ENTITIES = JSON.stringify({
  query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on License { key holder { name vatId } } } }',
  variables: { r: [{ __typename: 'License', key: 'L-VENDOR' }] },
});
const ISSUE_KEY = JSON.stringify({ query: 'mutation { issueApiKey(providerId: "alpha", label: "mine now") { id key } }' });

async function postTo(url: string, body: string, headers: Record<string, string> = ADMIN_CLAIM) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

let logs: CapturedLogs;
beforeEach(() => {
  logs = captureLogs('error'); // the refusals are logged as warnings; keep them out of the output
});
afterEach(() => logs.restore());

describe('the npm start default: no SUBGRAPH_SECRET in the environment', () => {
  let stack: TestStack;
  const saved = process.env.SUBGRAPH_SECRET;
  beforeAll(async () => {
    delete process.env.SUBGRAPH_SECRET;
    stack = await startTestStack({ directory: networkDirectory() });
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.SUBGRAPH_SECRET = saved;
    await stack?.close();
  });

  test('a process on a subgraph port that claims to be an admin reads no license, holder or VAT id', async () => {
    for (const body of [PRIVATE_LICENSES, ENTITIES]) {
      const answer = await postTo(stack.subgraphs.licenses.url, body);
      expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(answer.body.data).toBeUndefined();
      expect(answer.text).not.toMatch(/Praxis|L-VENDOR/);
    }
    // Through the gateway, a signed-in admin still reads them all: the gateway signs with the generated secret.
    const viaGateway = await stack.graphql('{ licenses(first: 50) { totalCount } }');
    expect(viaGateway.body.data.licenses.totalCount).toBe(6);
  });

  test('nor can it issue itself an API key', async () => {
    const answer = await postTo(stack.subgraphs.providers.url, ISSUE_KEY);
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(answer.text).not.toContain('onyx_');
    const keys = await stack.graphql('{ apiKeys(providerId: "alpha") { id } }');
    expect(keys.body).toEqual({ data: { apiKeys: [] } });
  });

  test('the secret is made for this process: 32 random bytes, none in the environment', () => {
    expect(stack.subgraphSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(process.env.SUBGRAPH_SECRET).toBeUndefined();
  });
});

describe('a subgraph without a secret', () => {
  test('ignores the identity header: the caller is anonymous, sees no license and issues no key', async () => {
    const licenses = await startTestSubgraph('licenses');
    const providers = await startTestSubgraph('providers');
    try {
      const read = await postTo(licenses.server.url, PRIVATE_LICENSES);
      expect(read.status).toBe(200);
      expect(read.body.data.licenses).toEqual({ totalCount: 0, edges: [] });
      const issued = await postTo(providers.server.url, ISSUE_KEY);
      expect(issued.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(issued.text).not.toContain('onyx_');
    } finally {
      await licenses.close();
      await providers.close();
    }
  });
});

describe('production without SUBGRAPH_SECRET', () => {
  test('a subgraph alone refuses to start, naming the variable', async () => {
    const database = testDatabase('licenses');
    try {
      await expect(startSubgraph(licensesSubgraph, { NODE_ENV: 'production', LICENSES_PORT: 0 }, database)).rejects.toThrow(
        /SUBGRAPH_SECRET must be set in production/,
      );
    } finally {
      await dropTestSchemas([database.pgSchema]);
    }
  });

  test('a gateway alone refuses to start, naming the variable; with it, it starts', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(() => gatewaySettings(parsedSettings(env))).toThrow(/SUBGRAPH_SECRET must be set in production/);
    expect(gatewaySettings(parsedSettings({ ...env, SUBGRAPH_SECRET: 'y'.repeat(32) })).subgraphSecret).toBe('y'.repeat(32));
  });
});
