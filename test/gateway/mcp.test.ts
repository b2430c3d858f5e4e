/**
 * The MCP endpoint (docs/mcp.md) through the real stack, driven by the SDK's own client over
 * Streamable HTTP: the tool list of each kind of caller, each pinned tool's answer against the same
 * question asked at /graphql, a refused call, bad input, requests without a session, the rate
 * limit, the request deadline, the operation limits and the trusted-documents policy on tool calls,
 * the access line and metrics, MCP=off.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ADMIN, gatewayBeside, startTestStack, subgraphUrlsOf, tokenFor, type TestStack } from '../support/stack';
import { MCP_MAINTENANCE_QUOTE, MCP_SUPPORT_CONTACT, MCP_SUPPORT_PARTNERS, MCP_SUPPORT_TOPICS } from '../../gateway/mcp/operations';
import { supportFinderDocuments } from '../../scripts/persisted-documents';
import { DEFAULT_OPERATION_LIMITS } from '../../gateway/protection/operation-limits';
import { captureLogs } from '../support/logs';

const HOLDER = { sub: 'praxis-4', role: 'holder', licenses: ['OC3-DEMO-0004'] };
const PROVIDER = { sub: 'alpendent', role: 'provider', provider: 'alpendent-demo' };
type Caller = typeof ADMIN | typeof HOLDER | typeof PROVIDER | null;

let stack: TestStack;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack({ directory: JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/demo-directory.json'), 'utf8')) });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await stack?.close();
});

const mcpUrl = (graphqlUrl: string) => new URL('/mcp', graphqlUrl);

/** The SDK's client, connected to `graphqlUrl`'s /mcp as `as` (null: anonymous). */
async function connect(as: Caller, graphqlUrl = stack.url): Promise<Client> {
  const headers: Record<string, string> = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {};
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl(graphqlUrl), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

const textOf = (result: CallToolResult) => (result.content[0] as { type: 'text'; text: string }).text;
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

/** The same question at /graphql: its data, which must have no errors. */
async function graphqlData(document: string, variables: Record<string, unknown>, as: Caller) {
  const { status, body } = await stack.graphql(document, variables, as);
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  return body.data;
}

/** A raw JSON-RPC POST to /mcp, as a client without any session would send it. */
async function post(body: unknown, headers: Record<string, string> = {}, url = stack.url) {
  const response = await fetch(mcpUrl(url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('tools/list is the caller’s own', () => {
  const PUBLIC = ['list_support_topics', 'find_support_partners', 'compare_support_prices'];
  const LICENSES = ['find_support_contact', 'maintenance_quote', 'get_license', 'list_licenses'];
  test.each<[string, Caller, string[]]>([
    ['anonymous', null, PUBLIC],
    ['a holder', HOLDER, [...PUBLIC, ...LICENSES]],
    ['a provider', PROVIDER, [...PUBLIC, ...LICENSES, 'my_routing_standing', 'license_figures']],
    ['an admin', ADMIN, [...PUBLIC, ...LICENSES, 'provider_routing_standing', 'license_figures', 'routing_load']],
  ])('%s', async (_who, as, expected) => {
    const { tools } = await (await connect(as)).listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...expected].sort());
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.outputSchema).toMatchObject({ type: 'object' });
    }
  });

  test('a partner integration’s API key is the provider it was issued to, as on /graphql', async () => {
    const issued = await stack.graphql(`mutation { issueApiKey(providerId: "alpendent-demo", label: "assistant") { key } }`);
    const client = new Client({ name: 'mcp-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl(stack.url), { requestInit: { headers: { 'x-api-key': issued.body.data.issueApiKey.key } } }));
    clients.push(client);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('my_routing_standing');
    const standing = await call(client, 'my_routing_standing', {});
    expect((standing.structuredContent as any).routingStanding.provider.id).toBe('alpendent-demo');
  });

  test('the pinned tools take the pinned inputs, typed and described from the schema', async () => {
    const tools = Object.fromEntries((await (await connect(HOLDER)).listTools()).tools.map((tool) => [tool.name, tool]));
    expect(tools.list_support_topics.inputSchema.properties ?? {}).toEqual({});
    expect(tools.find_support_partners.inputSchema).toMatchObject({
      required: ['country'],
      properties: { country: { type: 'string' }, service: { enum: ['TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT'] } },
    });
    expect(tools.find_support_contact.inputSchema).toMatchObject({ required: ['licenseKey', 'topic'] });
    expect(tools.maintenance_quote.inputSchema).toMatchObject({
      required: ['licenseKeys', 'year'],
      properties: { licenseKeys: { type: 'array', items: { type: 'string' } }, year: { type: 'integer' } },
    });
    for (const property of Object.values(tools.find_support_contact.inputSchema.properties ?? {})) expect(property).toHaveProperty('description');
  });
});

describe('each pinned tool answers what /graphql answers to the same question', () => {
  test('list_support_topics', async () => {
    const result = await call(await connect(null), 'list_support_topics');
    const expected = await graphqlData(MCP_SUPPORT_TOPICS, {}, null);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(expected);
    expect(JSON.parse(textOf(result))).toEqual(expected);
    expect((expected.supportTopics as unknown[]).length).toBe(19);
  });

  test('find_support_partners, with and without a service', async () => {
    const client = await connect(null);
    for (const args of [{ country: 'AT' }, { country: 'CH', service: 'TRAINING' }]) {
      const result = await call(client, 'find_support_partners', args);
      const expected = await graphqlData(MCP_SUPPORT_PARTNERS, args, null);
      expect(result.structuredContent).toEqual(expected);
      expect(JSON.parse(textOf(result))).toEqual(expected);
    }
    const austria = (await call(client, 'find_support_partners', { country: 'AT' })).structuredContent as { providers: { id: string }[] };
    expect(austria.providers.map((provider) => provider.id)).toEqual(['donau-demo', 'nordkiefer-demo']);
  });

  test('find_support_contact, as the license’s holder', async () => {
    const args = { licenseKey: 'OC3-DEMO-0004', topic: 'server-installation' };
    const result = await call(await connect(HOLDER), 'find_support_contact', args);
    const expected = await graphqlData(MCP_SUPPORT_CONTACT, args, HOLDER);
    expect(result.structuredContent).toEqual(expected);
    expect(JSON.parse(textOf(result))).toEqual(expected);
    // Level 0 under a license bought through Alpendent: Alpendent, then the manufacturer.
    expect(expected.supportContact.contacts.map((p: { id: string }) => p.id)).toEqual(['alpendent-demo']);
    expect(expected.supportContact.escalation.map((p: { id: string }) => p.id)).toEqual(['image-instruments']);
  });

  test('maintenance_quote, as the provider that sold the license', async () => {
    const args = { licenseKeys: ['OC3-DEMO-0004'], year: 2026 };
    const result = await call(await connect(PROVIDER), 'maintenance_quote', args);
    const expected = await graphqlData(MCP_MAINTENANCE_QUOTE, args, PROVIDER);
    expect(result.structuredContent).toEqual(expected);
    expect(expected.maintenanceQuote.lines[0]).toMatchObject({ licenseKey: 'OC3-DEMO-0004', net: { amount: '99.00', currency: 'EUR' } });
  });
});

describe('refused and failed calls are tool results with the API’s code', () => {
  test('another holder’s license reads exactly like one that does not exist', async () => {
    const client = await connect(HOLDER);
    const other = await call(client, 'find_support_contact', { licenseKey: 'OC3-DEMO-0001', topic: 'training' });
    const none = await call(client, 'find_support_contact', { licenseKey: 'NO-SUCH-KEY', topic: 'training' });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toMatch(/^NOT_FOUND: /);
    expect(textOf(other).replace('OC3-DEMO-0001', 'KEY')).toBe(textOf(none).replace('NO-SUCH-KEY', 'KEY'));
    expect(other.structuredContent).toBeUndefined();
    const license = await call(client, 'get_license', { licenseKey: 'OC3-DEMO-0001' });
    expect(license.isError).toBe(true);
    expect(textOf(license)).toBe('NOT_FOUND: there is no license "OC3-DEMO-0001".');
    const quote = await call(client, 'maintenance_quote', { licenseKeys: ['OC3-DEMO-0001'], year: 2026 });
    expect(textOf(quote)).toMatch(/^NOT_FOUND: .*OC3-DEMO-0001/);
  });

  test('a tool the caller is not offered is not there for it', async () => {
    const result = await call(await connect(null), 'find_support_contact', { licenseKey: 'OC3-DEMO-0004', topic: 'training' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/find_support_contact not found/);
  });

  test('bad input is a clear tool error, never a 500', async () => {
    const client = await connect(HOLDER);
    const wrongType = await call(client, 'maintenance_quote', { licenseKeys: 'OC3-DEMO-0004', year: 'next year' });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/Input validation error/);
    expect(textOf(wrongType)).toMatch(/licenseKeys/);
    expect(textOf(wrongType)).toMatch(/year/);
    const missing = await call(client, 'find_support_contact', { licenseKey: 'OC3-DEMO-0004' });
    expect(textOf(missing)).toMatch(/Input validation error.*topic/s);
    const unknownTopic = await call(client, 'find_support_contact', { licenseKey: 'OC3-DEMO-0004', topic: 'coffee' });
    expect(unknownTopic.isError).toBe(true);
    expect(textOf(unknownTopic)).toMatch(/^(BAD_USER_INPUT|NOT_FOUND): .*coffee/);
    const hugeYear = await call(client, 'maintenance_quote', { licenseKeys: ['OC3-DEMO-0004'], year: 2 ** 40 });
    expect(textOf(hugeYear)).toMatch(/Input validation error/);
  });

  test('a broken body is a JSON-RPC error, not a 500', async () => {
    const broken = await post('{"jsonrpc": "2.0", "method": ');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
    const notJson = await post('tools/list', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    const tooLarge = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { padding: 'x'.repeat(1024 * 1024) } });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
  });
});

test('malformed JSON-RPC is answered in JSON, never a 5xx', async () => {
  const call = (params: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params });
  const bodies: unknown[] = [
    '',
    'null',
    '[]',
    '"tools/list"',
    '{"jsonrpc":"2.0","id":1,"method":"tools/list"',
    { id: 1, method: 'tools/list' },
    { jsonrpc: '2.0', id: 1 },
    { jsonrpc: '2.0', id: 1, method: 'no/such/method' },
    { jsonrpc: '2.0', id: { nested: true }, method: 'tools/list' },
    call(null),
    call([]),
    call({}),
    call({ name: 42 }),
    call({ name: 'list_support_topics', arguments: [] }),
    call({ name: 'list_support_topics', arguments: 'x' }),
    call({ name: 'find_support_partners', arguments: { country: { $gt: '' } } }),
    call({ name: 'find_support_partners', arguments: { country: 'A'.repeat(10_000) } }),
    call({ name: 'maintenance_quote', arguments: { licenseKeys: Array.from({ length: 5000 }, (_, i) => `K-${i}`), year: 2026 } }),
    call({ name: 'maintenance_quote', arguments: { licenseKeys: ['OC3-DEMO-0004'], year: -1 } }),
    call({ name: '__proto__', arguments: {} }),
    [call({ name: 'list_support_topics' }), call({ name: 'list_support_topics' })],
  ];
  const headers = { authorization: `Bearer ${await tokenFor(HOLDER)}` };
  for (const body of bodies) {
    const answer = await post(body, headers);
    expect({ body, status: answer.status < 500 }).toEqual({ body, status: true });
    if (answer.status !== 202) expect(() => JSON.parse(answer.text)).not.toThrow();
    expect(answer.text).not.toMatch(/at \w+ \(|node_modules|\/work\//);
  }
});

describe('stateless: no session', () => {
  test('a tools/call and a tools/list without initialize or session id are answered', async () => {
    const headers = { authorization: `Bearer ${await tokenFor(HOLDER)}`, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
    const list = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
    expect(list.status).toBe(200);
    expect(list.headers.get('mcp-session-id')).toBeNull();
    expect(JSON.parse(list.text).result.tools.map((tool: { name: string }) => tool.name)).toContain('find_support_contact');
    const called = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'find_support_contact', arguments: { licenseKey: 'OC3-DEMO-0004', topic: 'training' } } },
      headers,
    );
    expect(JSON.parse(called.text).result.structuredContent.supportContact.contacts[0].id).toBe('donau-demo');
  });

  test('initialize on the previous protocol revision is answered in it', async () => {
    const answer = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'older', version: '1' } },
    });
    expect(JSON.parse(answer.text).result).toMatchObject({ protocolVersion: '2025-06-18', capabilities: { tools: {} } });
  });

  test('GET and DELETE are 405: there is no stream to open and no session to end', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(mcpUrl(stack.url), { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
  });

  test('a refused token is 401 before anything runs, as on /graphql', async () => {
    const answer = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer not-a-token' });
    expect(answer.status).toBe(401);
    expect(answer.text).toMatch(/UNAUTHENTICATED/);
  });
});

describe('the gateway’s limits apply to tool calls', () => {
  test('the rate limit: tool calls and /graphql requests share the caller’s allowance', async () => {
    const gateway = await gatewayBeside(stack, { rateLimit: { requests: 8, windowSeconds: 60 } });
    try {
      const client = await connect(HOLDER, gateway.url);
      let answered = 0;
      let refusal: unknown;
      for (let i = 0; i < 10 && !refusal; i++) {
        try {
          await call(client, 'list_support_topics');
          answered++;
        } catch (error) {
          refusal = error;
        }
      }
      // Connecting took some of the eight requests; the tool calls took the rest.
      expect(answered).toBeGreaterThan(0);
      expect(answered).toBeLessThan(8);
      // Over the allowance, /mcp answers as /graphql does: HTTP 429 with the code.
      expect((refusal as { code?: number }).code).toBe(429);
      expect(String(refusal)).toMatch(/RATE_LIMITED/);
      const graphql = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(HOLDER)}` },
        body: JSON.stringify({ query: '{ supportTopics { id } }' }),
      });
      expect(graphql.status).toBe(429);
      expect(Number(graphql.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await gateway.close();
    }
  });

  test('the request deadline: a tool call past REQUEST_DEADLINE_MS is 504, and its subgraph call is aborted', async () => {
    // A licenses subgraph that never answers.
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const licenses = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const gateway = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses }, requestDeadlineMs: 300, subgraphTimeoutMs: 600_000 });
    try {
      const late = await post(
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_license', arguments: { licenseKey: 'OC3-DEMO-0004' } } },
        { authorization: `Bearer ${await tokenFor(HOLDER)}` },
        gateway.url,
      );
      expect(late.status).toBe(504);
      expect(late.text).toMatch(/REQUEST_DEADLINE_EXCEEDED/);
      // Without the abort the call would wait for the subgraph timeout (ten minutes) and the test's own timeout fails it.
      const abortedByDeadline = /gateway_subgraph_fetch_errors_total\{[^}]*code="DEADLINE"[^}]*\} 1\b/;
      while (!abortedByDeadline.test(await (await fetch(new URL('/metrics', gateway.url))).text())) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await gateway.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('the operation limits: a document deeper than MAX_DEPTH is refused with its code', async () => {
    const gateway = await gatewayBeside(stack, { limits: { ...DEFAULT_OPERATION_LIMITS, maxDepth: 2 } });
    try {
      const result = await call(await connect(HOLDER, gateway.url), 'find_support_contact', { licenseKey: 'OC3-DEMO-0004', topic: 'training' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^OPERATION_TOO_DEEP: /);
    } finally {
      await gateway.close();
    }
  });

  test('PERSISTED_DOCUMENTS=only: the tools run by their ids in the trusted documents file; tools the file lacks are not offered', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-documents-'));
    const file = path.join(dir, 'persisted-documents.json');
    fs.writeFileSync(file, JSON.stringify(supportFinderDocuments()));
    const gateway = await gatewayBeside(stack, { persistedDocuments: { mode: 'only', file } });
    try {
      const result = await call(await connect(null, gateway.url), 'list_support_topics');
      expect(result.structuredContent).toEqual(await graphqlData(MCP_SUPPORT_TOPICS, {}, null));
      // ...while a document that is not trusted is refused there.
      const arbitrary = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ supportTopics { id } }' }),
      });
      expect(await arbitrary.text()).toMatch(/PERSISTED_DOCUMENTS_ONLY/);
    } finally {
      await gateway.close();
    }
    // A file of the operator's own, with ids that are no hashes: only the tools it trusts are offered, and they run.
    fs.writeFileSync(file, JSON.stringify({ 'assistant-topics': MCP_SUPPORT_TOPICS, 'assistant-contact': MCP_SUPPORT_CONTACT }));
    const own = await gatewayBeside(stack, { persistedDocuments: { mode: 'only', file } });
    try {
      const client = await connect(HOLDER, own.url);
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['find_support_contact', 'list_support_topics']);
      const args = { licenseKey: 'OC3-DEMO-0004', topic: 'training' };
      expect((await call(client, 'find_support_contact', args)).structuredContent).toEqual(await graphqlData(MCP_SUPPORT_CONTACT, args, HOLDER));
      // A file with no tool for the caller: an empty list, not an error.
      fs.writeFileSync(file, JSON.stringify({ 'assistant-contact': MCP_SUPPORT_CONTACT }));
      const none = await gatewayBeside(stack, { persistedDocuments: { mode: 'only', file } });
      try {
        expect((await (await connect(null, none.url)).listTools()).tools).toEqual([]);
      } finally {
        await none.close();
      }
    } finally {
      await own.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the access log and the metrics name a tool call by its operation, with the API’s error codes', async () => {
    const gateway = await gatewayBeside(stack);
    const logs = captureLogs('info');
    try {
      const client = await connect(HOLDER, gateway.url);
      await call(client, 'compare_support_prices', { service: 'TRAINING' });
      await call(client, 'get_license', { licenseKey: 'OC3-DEMO-0004' });
      await call(client, 'find_support_contact', { licenseKey: 'OC3-DEMO-0001', topic: 'training' });
      const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
      expect(metrics).toMatch(/gateway_requests_total\{operation="McpSupportPrices",outcome="ok"\} 1/);
      expect(metrics).toMatch(/gateway_requests_total\{operation="McpSupportContact",outcome="graphql_error"\} 1/);
      const lines = logs.records().filter((record) => record.event === 'request' && record.path === '/mcp' && record.operationName);
      expect(lines.map(({ method, status, operationName, errorCodes }) => ({ method, status, operationName, errorCodes }))).toEqual([
        { method: 'POST', status: 200, operationName: 'McpSupportPrices', errorCodes: undefined },
        { method: 'POST', status: 200, operationName: 'McpLicense', errorCodes: undefined },
        { method: 'POST', status: 200, operationName: 'McpSupportContact', errorCodes: ['NOT_FOUND'] },
      ]);
    } finally {
      logs.restore();
      await gateway.close();
    }
  });
});

test('MCP=off: there is no /mcp', async () => {
  const gateway = await gatewayBeside(stack, { mcp: false });
  try {
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {}, gateway.url)).status).toBe(404);
  } finally {
    await gateway.close();
  }
});
