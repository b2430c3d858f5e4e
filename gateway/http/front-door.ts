/**
 * What every request to the GraphQL endpoint meets before the GraphQL engine: the caller's
 * credentials (a refused token is 401 before anything is cached or run), then the rate limit of
 * the caller they were verified to be (refused credentials count against their address), then
 * the response cache, in the verified caller's scope, whose hits are written from memory (or Redis) without parsing, planning or
 * fetching anything. Misses, and every other route (/health, /ready, /metrics), go to the engine.
 * A POST with an Idempotency-Key is checked for a well-formed key and goes to the engine past the
 * cache: the subgraphs settle the key (gateway/shared-state/idempotency.ts).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { rateLimitKey, refusedCredentialsKey, type CallerRateLimiter } from '../protection/rate-limit';
import type { ResponseCache } from '../shared-state/response-cache';
import { logUnexpectedError } from '../protection/masked-errors';
import { wantsPage } from './graphiql';
import { CredentialsRefused, rememberIdentity, type IdentityVerifier } from '../identity/identity';
import { ANONYMOUS, type Identity } from '../../lib/identity';
import { CredentialsUnverifiable } from '../identity/api-keys';
import { clientAddressOf, gatewayRequestOf, noteErrorCodes, operationNameOfBody } from './access-log';
import { IDEMPOTENCY_HEADER, IdempotencyCode, idempotencyKeyProblem } from '../../lib/idempotency';
import { startRequestDeadline } from '../protection/request-deadline';
import type { DeadlineWatch } from '../protection/deadline-watch';
import { message, say, type Message } from '../../lib/i18n/message';
import { readerLanguageOf } from './reader-language';

/** The part of the Hive runtime the front door uses. */
export interface GraphQLEngine {
  (req: IncomingMessage, res: ServerResponse): unknown;
  fetch(request: Request, serverContext: { req: IncomingMessage; res: ServerResponse }): Response | Promise<Response>;
}

export interface FrontDoorOptions {
  graphqlPath: string;
  maxBodyBytes: number;
  rateLimiter?: CallerRateLimiter;
  cache?: ResponseCache;
  /** Verifies the caller's credentials; the identity is filed under the request for the subgraph signer. */
  identify?: IdentityVerifier;
  /** The whole budget of one request (gateway/protection/request-deadline.ts), kept in `watch`; unset: none. */
  requestDeadline?: { ms: number; watch: DeadlineWatch };
  /** The MCP endpoint (gateway/mcp/http-endpoint.ts), served after the same credentials check and rate limit; unset: MCP=off. */
  mcp?: { path: string; serve(req: IncomingMessage, res: ServerResponse, caller: Identity): Promise<void> };
  /** Headers every answer of the front door's own carries, as the engine's do (CORS, cors.ts). */
  answerHeaders?: (request: { headers: { get(name: string): string | null } }) => Record<string, string>;
}

/** An answer of the front door's own, its message said in the request's Accept-Language. */
function sendJsonError(req: IncomingMessage, res: ServerResponse, status: number, code: string, why: Message, headers: Record<string, string> = {}) {
  noteErrorCodes(req, [code]);
  const body = JSON.stringify({ errors: [{ message: say(readerLanguageOf(req), why), extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A body that came in one piece (nearly every one) is used as it is, not copied.
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

/** The id the request's log lines carry. */
const requestIdOf = (req: IncomingMessage) => gatewayRequestOf(req)?.requestId;

const reportCacheFailure = (req: IncomingMessage) => (error: unknown) => {
  logUnexpectedError({ message: `response cache: ${error instanceof Error ? error.message : error}` }, requestIdOf(req));
  return undefined;
};

const headersOf = (req: Pick<IncomingMessage, 'headers'>) => ({ get: (name: string) => (req.headers[name] === undefined ? null : String(req.headers[name])) });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade']);

export function createFrontDoor(engine: GraphQLEngine, options: FrontDoorOptions): RequestListener {
  const { cache, rateLimiter } = options;
  /** The headers every answer of the front door's own carries; a new object each time, the caller's to add to. */
  const answerHeaders = (request: { headers: ReturnType<typeof headersOf> }) => options.answerHeaders?.(request) ?? {};
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, code: string, why: Message, headers: Record<string, string> = {}) =>
    sendJsonError(req, res, status, code, why, { ...answerHeaders({ headers: headersOf(req) }), ...headers });

  async function serveThroughCache(req: IncomingMessage, res: ServerResponse, cache: ResponseCache, caller: Identity) {
    const method = req.method ?? 'GET';
    const query = req.url!.includes('?') ? req.url!.slice(req.url!.indexOf('?')) : '';
    let body: Buffer | undefined;
    if (method === 'POST') {
      const length = Number(req.headers['content-length']);
      const json = /^application\/(json|graphql-response\+json)\s*(;|$)/i.test(req.headers['content-type'] ?? '');
      // Anything the request guard refuses goes to the engine unread.
      if (!json || !Number.isInteger(length) || length > options.maxBodyBytes) return engine(req, res);
      body = await readBody(req, length);
    } else if (method !== 'GET') {
      return engine(req, res);
    }
    // Awaited only when they are promises (Redis, a version to confirm): an in-memory hit awaits nothing.
    const version = cache.confirmVersion();
    if (version instanceof Promise) await version;
    const request = { headers: headersOf(req) };
    const key = cache.keyOf(request, body ?? query, caller);
    // A cache that cannot answer (Redis down) is a miss, not a failed request.
    const found = cache.lookup(key);
    const hit = found instanceof Promise ? await found.catch(reportCacheFailure(req)) : found;
    const record = gatewayRequestOf(req);
    if (record) record.cache = hit ? 'hit' : 'miss';
    if (hit) {
      // The engine, which names the operation on a miss, does not run: read the name from the request.
      // It is the name of an operation that ran: only a clean answer of this very request was kept.
      // Kept with the answer when it was computed; read from the body only for an entry without them.
      if (record && hit.operation?.executedOperation !== undefined) {
        record.operationName = hit.operation.operationName;
        record.executedOperation = hit.operation.executedOperation;
      } else if (record) {
        record.operationName = operationNameOfBody(body ?? query.slice(1));
        record.executedOperation = record.operationName ?? '';
      }
      const headers = answerHeaders(request);
      headers['content-type'] = hit.contentType;
      headers['content-length'] = String(hit.body.length);
      res.writeHead(200, headers).end(hit.body);
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const engineRequest = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
      method,
      headers,
      body: body ? new Uint8Array(body) : undefined,
    });
    const response = await engine.fetch(engineRequest, { req, res });
    const answer = Buffer.from(await response.arrayBuffer());
    if (!res.headersSent) {
      res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': answer.length });
      res.end(answer);
    }
    if (response.status === 200 && cache.isCacheable(engineRequest)) {
      const operation =
        record?.executedOperation !== undefined ? { operationName: record.operationName, executedOperation: record.executedOperation } : undefined;
      await Promise.resolve(cache.store(key, { contentType: response.headers.get('content-type') ?? 'application/json', body: answer, operation })).catch(
        reportCacheFailure(req),
      );
    }
  }

  const rateLimited = (req: IncomingMessage, res: ServerResponse, retryAfter: number) =>
    refuse(req, res, 429, 'RATE_LIMITED', rateLimiter!.describe(retryAfter), { 'retry-after': String(retryAfter) });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    let caller: Identity = ANONYMOUS;
    if (options.identify) {
      try {
        const verified = options.identify(req);
        caller = verified instanceof Promise ? await verified : verified;
        rememberIdentity(req, caller);
      } catch (error) {
        if (error instanceof CredentialsRefused) {
          const retryAfter = await rateLimiter?.check(refusedCredentialsKey(clientAddressOf(req)));
          if (retryAfter !== undefined) return rateLimited(req, res, retryAfter);
          return refuse(req, res, 401, 'UNAUTHENTICATED', error.why, { 'www-authenticate': 'Bearer' });
        }
        if (error instanceof CredentialsUnverifiable) {
          logUnexpectedError({ message: `credentials not checked: ${error.message}` }, requestIdOf(req));
          return refuse(req, res, 503, 'SUBGRAPH_UNAVAILABLE', message('credentials.unverifiable'), { 'retry-after': '1' });
        }
        throw error;
      }
    }
    if (rateLimiter) {
      // Counted in memory, the answer is at hand: awaited only when it is a promise (Redis).
      const counted = rateLimiter.check(rateLimitKey(caller, clientAddressOf(req)));
      const retryAfter = counted instanceof Promise ? await counted : counted;
      if (retryAfter !== undefined) return rateLimited(req, res, retryAfter);
    }
    if (options.mcp && req.url?.split('?')[0] === options.mcp.path) return options.mcp.serve(req, res, caller);
    const idempotencyKey = req.headers[IDEMPOTENCY_HEADER];
    if (req.method === 'POST' && idempotencyKey !== undefined) {
      // Checked here, before anything runs; the engine settles it with the subgraphs (gateway/shared-state/idempotency.ts),
      // once the operation is known however it came. Not through the response cache: a keyed request is a change.
      const problem = idempotencyKeyProblem(Array.isArray(idempotencyKey) ? idempotencyKey.join(', ') : idempotencyKey);
      if (problem) return refuse(req, res, 400, IdempotencyCode.INVALID, message('gateway.idempotencyKeyHeader', { problem }));
      return engine(req, res);
    }
    // A browser's GraphiQL page is neither looked up nor stored: it is not an answer to a query.
    return cache && !wantsPage(req.method, req.headers.accept) ? serveThroughCache(req, res, cache, caller) : engine(req, res);
  }

  const { requestDeadline } = options;
  const deadlinePassed = (req: IncomingMessage, res: ServerResponse) =>
    refuse(req, res, 504, 'REQUEST_DEADLINE_EXCEEDED', message('gateway.deadline', { ms: requestDeadline?.ms ?? 0 }), { connection: 'close' });

  return (req, res) => {
    const record = gatewayRequestOf(req);
    if (requestDeadline) startRequestDeadline(requestDeadline.watch, req, res, record, requestDeadline.ms, deadlinePassed);
    const path = req.url?.split('?')[0];
    // A browser's CORS preflight of /mcp is the engine's to answer, as for /graphql.
    const mcp = options.mcp && path === options.mcp.path && req.method !== 'OPTIONS';
    if (path !== options.graphqlPath && !mcp) return void engine(req, res);
    serve(req, res).catch((error) => {
      // Answered 504 already: what failed after is the work the deadline aborted.
      if (record?.deadlinePassed) return;
      // The engine's run was aborted: by the request deadline (the client may also have gone).
      // Duck-typed: the abort is a DOMException, not an Error of every realm.
      const { name, message: text } = (error ?? {}) as { name?: string; message?: string };
      if ((name === 'AbortError' || /AbortError|aborted/.test(text ?? '')) && !res.headersSent) {
        return refuse(req, res, 504, 'REQUEST_DEADLINE_EXCEEDED', message('gateway.deadlineUnknown'), { connection: 'close' });
      }
      const errorId = logUnexpectedError({ message: text ?? String(error), stack: (error as { stack?: string })?.stack }, record?.requestId);
      if (!res.headersSent) refuse(req, res, 500, 'INTERNAL_SERVER_ERROR', message('gateway.unexpectedErrorWithId', { errorId }));
      else res.destroy();
    });
  };
}
