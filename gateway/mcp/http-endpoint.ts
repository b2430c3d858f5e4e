/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP, stateless. Every JSON-RPC request is
 * answered on its own by a new server and transport of the official SDK (sessionIdGenerator
 * undefined, JSON answers), so there is no session to keep and replicas need no stickiness; the SDK
 * negotiates the protocol revision (its current one, and `initialize` from clients on earlier ones).
 * GET and DELETE (a stream or a session to end) are 405, as in the SDK's stateless example.
 *
 * The caller is the one the front door verified from Authorization or X-API-Key, exactly as on
 * /graphql (gateway/http/front-door.ts hands the /mcp request over after its credentials check and its
 * rate limit), and the request runs under the same request deadline, access line and metrics.
 *
 * How a tool runs: its trusted document goes through the engine's own `fetch`, with the caller's
 * headers and the /mcp request as the server context, as the front door relays /graphql requests.
 * So the engine's plugins treat it exactly like a /graphql request: the operation limits, the
 * persisted-documents policy (with PERSISTED_DOCUMENTS=only the document is sent by its id in the
 * trusted documents file, and tools the file lacks are not offered), the
 * masking of errors, the subgraph timeouts and the request deadline's abort, the subgraph requests
 * signed with the verified identity, the operation's name and error codes in the access line and
 * metrics. Not a loopback HTTP request to our own port: that would count the call a second time
 * against the rate limit, under the loopback address instead of the caller's, and write a second
 * access line with a deadline of its own. Tool answers do not use the response cache, which keys
 * whole HTTP answers of /graphql.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { buildSchema } from 'graphql';
import type { Identity } from '../../lib/identity';
import type { GraphQLEngine } from '../http/front-door';
import { logUnexpectedError } from '../protection/masked-errors';
import { gatewayRequestOf, noteErrorCodes } from '../http/access-log';
import { readTrustedDocuments, type PersistedDocumentsSettings } from '../protection/persisted-documents';
import { createToolServer, prepareTools, type ExecuteDocument, type GraphQLAnswer } from './tool-server';

export const MCP_PATH = '/mcp';

export interface McpEndpointOptions {
  engine: GraphQLEngine;
  /** The supergraph the gateway serves: the tools' schemas are read from it. */
  supergraphSdl: string;
  graphqlPath: string;
  maxBodyBytes: number;
  /**
   * PERSISTED_DOCUMENTS and its file: with `only`, a tool's document is sent by its id in the trusted
   * documents file, and a tool whose document the file does not have is not offered (it could not run).
   */
  persistedDocuments: PersistedDocumentsSettings;
  /** Headers every answer of the gateway's own carries (CORS). */
  answerHeaders?: (request: { headers: { get(name: string): string | null } }) => Record<string, string>;
}

/** What the front door calls for the MCP path, once the caller is verified and counted. */
export interface McpEndpoint {
  path: string;
  serve(req: IncomingMessage, res: ServerResponse, caller: Identity): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'content-length']);
/** The caller's headers a tool's GraphQL request carries; the request's own framing is the tool's. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);

const jsonRpcError = (code: number, message: string) => JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });

class BodyTooLarge extends Error {}

/** The request body, refused past `limit` bytes without reading the rest into memory. */
function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

const isAbort = (error: unknown) => {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'AbortError' || /AbortError|aborted/.test(message ?? '');
};

export function createMcpEndpoint(options: McpEndpointOptions): McpEndpoint {
  // Read once at start: a tool whose document does not fit the schema stops the gateway, naming it.
  const everyTool = prepareTools(buildSchema(options.supergraphSdl, { assumeValidSDL: true }));
  const { mode, file } = options.persistedDocuments;
  // PERSISTED_DOCUMENTS=only: each document's id in the trusted file (ids need not be hashes).
  const trustedIds = mode === 'only' && file ? new Map([...readTrustedDocuments(file)].map(([id, document]) => [document, id])) : undefined;
  const prepared = trustedIds ? new Map([...everyTool].filter(([, one]) => trustedIds.has(one.tool.document))) : everyTool;
  const headersOf = (req: IncomingMessage) => ({ get: (name: string) => (req.headers[name] === undefined ? null : String(req.headers[name])) });

  function answer(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) {
    // The request deadline may have answered 504 already (gateway/protection/request-deadline.ts).
    if (res.headersSent) return;
    res.writeHead(status, { ...options.answerHeaders?.({ headers: headersOf(req) }), ...headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
  }

  /** A tool's document through the engine, as the caller, within the /mcp request. */
  const executorFor =
    (req: IncomingMessage, res: ServerResponse): ExecuteDocument =>
    async (document, operationName, variables) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined && !NOT_FORWARDED.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      headers.set('content-type', 'application/json');
      headers.set('accept', 'application/graphql-response+json, application/json');
      const id = trustedIds?.get(document);
      const body =
        id !== undefined
          ? { operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }
          : { query: document, operationName, variables };
      const json = JSON.stringify(body);
      // The request guard reads the length from the header, as it does for a client's request.
      headers.set('content-length', String(Buffer.byteLength(json)));
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${options.graphqlPath}`, { method: 'POST', headers, body: json });
      try {
        const response = await options.engine.fetch(request, { req, res });
        const text = await response.text();
        try {
          return JSON.parse(text) as GraphQLAnswer;
        } catch {
          return { errors: [{ message: `The gateway answered ${response.status} without a GraphQL answer.`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        }
      } catch (error) {
        if (isAbort(error))
          return { errors: [{ message: 'The request took longer than the gateway allows.', extensions: { code: 'REQUEST_DEADLINE_EXCEEDED' } }] };
        const errorId = logUnexpectedError(
          { message: error instanceof Error ? error.message : String(error), stack: (error as Error)?.stack },
          gatewayRequestOf(req)?.requestId,
        );
        return { errors: [{ message: `Unexpected error (${errorId}).`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
      }
    };

  async function serve(req: IncomingMessage, res: ServerResponse, caller: Identity) {
    if (req.method !== 'POST') {
      noteErrorCodes(req, ['METHOD_NOT_ALLOWED']);
      // No stream to open and no session to end: every request is answered on its own.
      return answer(
        req,
        res,
        405,
        { 'content-type': 'application/json', allow: 'POST' },
        jsonRpcError(-32000, 'Method not allowed: send JSON-RPC requests with POST.'),
      );
    }
    let body: Buffer;
    try {
      body = await readBoundedBody(req, options.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      noteErrorCodes(req, ['REQUEST_TOO_LARGE']);
      return answer(
        req,
        res,
        413,
        { 'content-type': 'application/json', connection: 'close' },
        jsonRpcError(-32600, `The request body is larger than ${options.maxBodyBytes} bytes.`),
      );
    }
    const server = createToolServer(prepared, caller, executorFor(req, res));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      // The SDK checks the media types and the JSON itself (406, 415, a JSON-RPC parse error).
      const response = await transport.handleRequest(
        new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: 'POST', headers, body: new Uint8Array(body) }),
      );
      const answered = Buffer.from(await response.arrayBuffer());
      answer(req, res, response.status, Object.fromEntries(response.headers), answered);
    } finally {
      await transport.close();
      await server.close();
    }
  }

  return { path: MCP_PATH, serve };
}
