/**
 * `npm run mcp`: the gateway's assistant tools over stdio, for a desktop assistant that starts its
 * MCP servers as processes. It acts for ONYX_TOKEN (anonymous when unset) against the gateway at
 * GATEWAY_URL, and logs to stderr only: stdout carries the protocol.
 *
 * A relay, not a second implementation: `tools/list` and `tools/call` are forwarded to the
 * gateway's own POST /mcp (beside GATEWAY_URL's /graphql) with the token, through the SDK's
 * Streamable HTTP client. So the tools, their schemas, the list filtered by the caller and every
 * check, limit and log line are the gateway's, exactly as for an assistant connected over HTTP; the
 * gateway verifies the token on every call. A call the gateway refuses at the HTTP level (the rate
 * limit's 429, a refused token, the gateway unreachable) becomes a tool result with `isError: true`
 * and the code, so the assistant can say why; a failed `tools/list` is a JSON-RPC error.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { commandLine } from '../lib/command-line';

const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

/** The gateway's MCP endpoint beside its GraphQL endpoint (GATEWAY_URL may name either, or the gateway's root). */
export function mcpEndpointOf(gatewayUrl: string): URL {
  const url = new URL(gatewayUrl);
  url.pathname = `${url.pathname.replace(/\/(graphql|mcp)\/?$/, '').replace(/\/$/, '')}/mcp`;
  url.search = '';
  return url;
}

/** "CODE: message" from a refusal the gateway answered at the HTTP level ({"errors": [...]}), else the error's own words. */
export function describeFailure(error: unknown, endpoint: URL): string {
  const message = error instanceof Error ? error.message : String(error);
  const body = message.indexOf('{');
  if (body >= 0) {
    try {
      const parsed = JSON.parse(message.slice(body)) as { errors?: { message?: string; extensions?: { code?: string } }[] };
      if (parsed.errors?.length) return parsed.errors.map((e) => `${e.extensions?.code ?? 'GATEWAY_ERROR'}: ${e.message ?? ''}`).join('\n');
    } catch {
      // Not the gateway's JSON: reported in its own words below.
    }
  }
  return /fetch failed|ECONNREFUSED|ENOTFOUND/.test(message)
    ? `GATEWAY_UNREACHABLE: the gateway at ${endpoint} does not answer (${message}).`
    : `GATEWAY_ERROR: ${message}`;
}

export interface StdioRelayOptions {
  gatewayUrl: string;
  token?: string;
  log: (line: string) => void;
}

/** The stdio server that relays to the gateway's /mcp; `connect` it to a transport. */
export function createStdioRelay({ gatewayUrl, token, log }: StdioRelayOptions): Server {
  const endpoint = mcpEndpointOf(gatewayUrl);
  // Connected on first use, and again after a failure: the gateway may start after the assistant.
  let upstream: Promise<Client> | undefined;
  const connected = () =>
    (upstream ??= (async () => {
      const client = new Client({ name: 'onyx-mcp-stdio', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} } }));
      log(`mcp: connected to ${endpoint}${token ? '' : ' as an anonymous caller (ONYX_TOKEN unset)'}`);
      return client;
    })().catch((error: unknown) => {
      upstream = undefined;
      throw error;
    }));

  const server = new Server(
    { name: 'onyx-support-directory', version: '1.0.0' },
    { capabilities: { tools: {} }, instructions: 'The OnyxCeph³ support network: whom to contact, partners, prices and maintenance fees.' },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    try {
      return await (await connected()).listTools(request.params);
    } catch (error) {
      const failure = describeFailure(error, endpoint);
      log(`mcp: tools/list failed: ${failure}`);
      throw new McpError(ErrorCode.InternalError, failure);
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    try {
      return (await (await connected()).callTool(request.params)) as CallToolResult;
    } catch (error) {
      const failure = describeFailure(error, endpoint);
      log(`mcp: ${request.params.name} failed: ${failure}`);
      return { isError: true, content: [{ type: 'text', text: failure }] };
    }
  });
  server.onclose = () => void upstream?.then((client) => client.close()).catch(() => undefined);
  return server;
}

// Run as a script: by node directly, or by scripts/launch.js (npm run mcp), which requires it after setting argv.
if (require.main === module || process.argv[1] === __filename) {
  const { settings } = commandLine('mcp', process.env);
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  // stdout is the protocol's: anything written with console.log would break it.
  console.log = console.info = (...args: unknown[]) => log(args.map(String).join(' '));
  const server = createStdioRelay({ gatewayUrl: settings.GATEWAY_URL ?? DEFAULT_GATEWAY_URL, token: settings.ONYX_TOKEN, log });
  server.connect(new StdioServerTransport()).then(
    () => log(`mcp: serving the tools of ${mcpEndpointOf(settings.GATEWAY_URL ?? DEFAULT_GATEWAY_URL)} on stdio`),
    (error: unknown) => {
      log(`mcp: cannot start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
  // The assistant closes stdin to stop its server.
  process.stdin.on('end', () => void server.close().finally(() => process.exit(0)));
}
