/**
 * `npm run mcp` as the desktop assistant runs it: the compiled entry point (a private build) as a
 * child process, driven by the SDK's own StdioClientTransport, relaying to a real test stack's
 * /mcp for ONYX_TOKEN: the caller's own tool list, a pinned tool's answer against /graphql, a
 * refused call, the rate limit and a refused token as tool errors, stdout kept for the protocol.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildProduct, type Build } from '../support/build';
import { gatewayBeside, startTestStack, tokenFor, type TestStack } from '../support/stack';
import { MCP_SUPPORT_CONTACT } from '../../gateway/mcp/operations';

const HOLDER = { sub: 'praxis-6', role: 'holder', licenses: ['OC3-DEMO-0006'] };

let build: Build;
let stack: TestStack;
const running: Client[] = [];

beforeAll(async () => {
  [build, stack] = await Promise.all([
    buildProduct(),
    startTestStack({ directory: JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/demo-directory.json'), 'utf8')) }),
  ]);
}, 300_000);
afterAll(async () => {
  await Promise.all(running.map((client) => client.close()));
  await stack?.close();
  build?.remove();
});

/** `node dist/scripts/mcp.js` with exactly these variables (plus PATH), connected through stdio. */
async function startRelay(env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [build.entry('scripts/mcp.js')],
    cwd: build.root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  (transport.stderr as PassThrough | null)?.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'desktop-assistant', version: '1.0.0' });
  // Any line on stdout that is not the protocol would reach the client as an error.
  const strayOutput: Error[] = [];
  client.onerror = (error) => strayOutput.push(error);
  await client.connect(transport);
  running.push(client);
  return { client, stderr: () => (strayOutput.length ? `stray stdout: ${strayOutput.join('; ')}` : stderr) };
}

const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;

test('a holder’s assistant gets the holder’s tools, and the gateway’s answers', async () => {
  const { client, stderr } = await startRelay({ GATEWAY_URL: stack.url, ONYX_TOKEN: await tokenFor(HOLDER) });
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  expect(names).toEqual(expect.arrayContaining(['list_support_topics', 'find_support_partners', 'find_support_contact', 'maintenance_quote']));
  expect(names).not.toContain('routing_load');

  const args = { licenseKey: 'OC3-DEMO-0006', topic: 'training' };
  const result = (await client.callTool({ name: 'find_support_contact', arguments: args })) as CallToolResult;
  const { body } = await stack.graphql(MCP_SUPPORT_CONTACT, args, HOLDER);
  expect(body.errors).toBeUndefined();
  expect(result.structuredContent).toEqual(body.data);
  // The designated support partner first (rule 4).
  expect(body.data.supportContact.contacts[0].id).toBe('leman-demo');

  const refused = (await client.callTool({ name: 'find_support_contact', arguments: { licenseKey: 'OC3-DEMO-0001', topic: 'training' } })) as CallToolResult;
  expect(refused.isError).toBe(true);
  expect(textOf(refused)).toMatch(/^NOT_FOUND: /);
  expect(stderr()).toMatch(/^mcp: /m);
  expect(stderr()).not.toMatch(/stray stdout/);
}, 120_000);

test('without ONYX_TOKEN the assistant is anonymous: the public tools only', async () => {
  const { client, stderr } = await startRelay({ GATEWAY_URL: stack.url });
  expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['compare_support_prices', 'find_support_partners', 'list_support_topics']);
  expect(stderr()).toMatch(/anonymous/);
}, 120_000);

test('the gateway’s refusals reach the assistant with their code: the rate limit, a refused token', async () => {
  const gateway = await gatewayBeside(stack, { rateLimit: { requests: 6, windowSeconds: 60 } });
  try {
    const { client } = await startRelay({ GATEWAY_URL: gateway.url, ONYX_TOKEN: await tokenFor(HOLDER) });
    let result: CallToolResult | undefined;
    for (let i = 0; i < 10 && !result?.isError; i++) result = (await client.callTool({ name: 'list_support_topics', arguments: {} })) as CallToolResult;
    expect(result?.isError).toBe(true);
    expect(textOf(result!)).toMatch(/^RATE_LIMITED: Too many requests/);

    const forged = await startRelay({ GATEWAY_URL: stack.url, ONYX_TOKEN: 'not-a-token' });
    await expect(forged.client.listTools()).rejects.toThrow(/UNAUTHENTICATED/);
    const call = (await forged.client.callTool({ name: 'list_support_topics', arguments: {} })) as CallToolResult;
    expect(call.isError).toBe(true);
    expect(textOf(call)).toMatch(/^UNAUTHENTICATED: /);
  } finally {
    await gateway.close();
  }
}, 120_000);
