/**
 * HTTP plumbing shared by the subgraphs and the gateway: express + Apollo Server, health, listen/close.
 *
 * Every answer is JSON in GraphQL's error shape, never Express's HTML page (which carries a stack
 * and absolute paths): a body that is too large, not JSON or of the wrong type, an unknown route,
 * and any unexpected failure (INTERNAL_SERVER_ERROR with an errorId that finds its log line).
 */
import { AsyncResource } from 'node:async_hooks';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import { ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import type { ApolloServerPlugin } from '@apollo/server';
import { startServerSpan } from './tracing';
import type { SettingValues } from './settings';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import {
  currentRequest,
  logEvent,
  loggedOperationName,
  logger,
  REQUEST_ID_HEADER,
  requestIdFrom,
  withoutSqlValues,
  withRequest,
  type RequestScope,
} from './log';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A built (not yet listening) HTTP service: tests mount it in process, index.ts listens. */
export interface HttpService {
  httpServer: http.Server;
  /** Release what the service holds (database pools) after the HTTP server has closed. */
  dispose?: () => Promise<void>;
  /** Called once the server listens (start-up warnings that depend on the address). */
  onListening?: (address: { host: string; port: number }) => void;
  /** Longest wait for in-flight requests at close() before their connections are cut. */
  shutdownTimeoutMs?: number;
  /** At close(): how long the service keeps serving while its readiness says "draining" (HTTP_DRAIN_DELAY_MS). */
  drainDelayMs?: number;
  /** Told first at close(): from then on the service's readiness route answers 503 (see Draining). */
  draining?: Draining;
}

/**
 * Whether a server has begun to stop. Its readiness route (the subgraphs' and the gateway's
 * GET /ready) answers 503 from the moment close() begins, while the server still serves everything
 * for HTTP_DRAIN_DELAY_MS: a load balancer's next health check takes the replica out of rotation
 * before it stops accepting connections, so nothing is sent to a replica that would refuse it.
 */
export class Draining {
  #since: number | undefined;
  begin(): void {
    this.#since ??= Date.now();
  }
  get active(): boolean {
    return this.#since !== undefined;
  }
}

// ---- settings --------------------------------------------------------------------------------------

/** HOST: the address every server listens on; loopback unless deliberately opened (containers). */
export const listenHost = (settings: Pick<SettingValues, 'HOST'>) => settings.HOST ?? '127.0.0.1';

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

export interface HttpServerSettings {
  /** Time to receive the request headers (slow-loris headers). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (slowly sent bodies). */
  requestTimeoutMs: number;
  /** The idle time a keep-alive connection is promised to clients (`Keep-Alive: timeout=N`). */
  keepAliveTimeoutMs: number;
  /** How much longer than promised the server really keeps an idle connection open (see createHttpServer). */
  keepAliveGraceMs?: number;
  /** At close(): longest wait for in-flight requests before their connections are cut. */
  shutdownTimeoutMs: number;
  /** At close(): how long the server keeps serving, not ready, before it stops accepting (0: stops at once). */
  drainDelayMs?: number;
}

export const DEFAULT_HTTP_SETTINGS: HttpServerSettings = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  keepAliveGraceMs: 10_000,
  shutdownTimeoutMs: 10_000,
  drainDelayMs: 0,
};

/** HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS, HTTP_KEEP_ALIVE_GRACE_MS, HTTP_SHUTDOWN_TIMEOUT_MS, HTTP_DRAIN_DELAY_MS (the table checks them, and that the first is not above the second). */
export function httpServerSettings(settings: SettingValues): HttpServerSettings {
  return {
    headersTimeoutMs: settings.HTTP_HEADERS_TIMEOUT_MS ?? DEFAULT_HTTP_SETTINGS.headersTimeoutMs,
    requestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_MS ?? DEFAULT_HTTP_SETTINGS.requestTimeoutMs,
    keepAliveTimeoutMs: settings.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? DEFAULT_HTTP_SETTINGS.keepAliveTimeoutMs,
    keepAliveGraceMs: settings.HTTP_KEEP_ALIVE_GRACE_MS ?? DEFAULT_HTTP_SETTINGS.keepAliveGraceMs,
    shutdownTimeoutMs: settings.HTTP_SHUTDOWN_TIMEOUT_MS ?? DEFAULT_HTTP_SETTINGS.shutdownTimeoutMs,
    drainDelayMs: settings.HTTP_DRAIN_DELAY_MS ?? DEFAULT_HTTP_SETTINGS.drainDelayMs,
  };
}

function checkTimeouts(settings: HttpServerSettings): void {
  // Node refuses a headers timeout longer than the whole-request timeout.
  if (settings.headersTimeoutMs > settings.requestTimeoutMs) {
    throw new Error(`the headers timeout (${settings.headersTimeoutMs} ms) must not exceed the request timeout (${settings.requestTimeoutMs} ms)`);
  }
}

/**
 * A Host header the servers accept: a DNS name or IPv4 address, or an IPv6 literal in brackets, with
 * an optional port. Node's parser lets spaces, slashes and the like through; the web-standard
 * Request the gateway builds from the header then fails (a 500) or, with a slash, reads another path.
 */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9_.-]{1,253})(?::\d{1,5})?$/;

/** Refuses requests whose Host header is no host: a client error (400 JSON, logged at warn) before the app sees them. */
function withWellFormedHost(app: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const host = req.headers.host;
    if (host === undefined || HOST_HEADER.test(host)) return app(req, res);
    logEvent('warn', 'bad-request', {
      reason: 'malformed Host header',
      host: host.slice(0, 100),
      method: req.method,
      path: (req.url ?? '/').split('?')[0].slice(0, 200),
    });
    const body = JSON.stringify({
      errors: [{ message: 'The Host header is not a host name or address (with an optional port).', extensions: { code: 'BAD_REQUEST' } }],
    });
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  };
}

/**
 * Idle keep-alive connections are closed late, and only when nothing has arrived on them.
 *
 * Closing an idle connection races the client's next request on it: a request written onto a
 * connection the server is closing meets a reset (ECONNRESET), not an answer, and a POST is not
 * retried. Clients avoid the race by closing first, by their own idle clock, a little before the
 * `Keep-Alive: timeout=N` the server advertises: Node's http.Agent at N-1 s, fetch (undici) at
 * N-2 s; Node's server closes at N+1 s. That 2-3 s margin does not hold on a loaded machine:
 * undici's idle clock counts timer ticks, not elapsed time, so it runs late by however long the
 * client's event loop stalls, and a stalled client or server acts on its timers late. Measured in
 * the fuzz test on a busy machine: the server closed six connections after 6.1-7.2 s idle that the
 * client still held (its 3 s had not run out), and event-loop stalls of up to 3.4 s.
 *
 * So the server keeps an idle connection `keepAliveGraceMs` longer than it advertises (Node 24.6+
 * has this as `keepAliveTimeoutBuffer`; Node 20 and 22 fix it at 1 s), and when that runs out it
 * first reads what has already arrived: timers run before sockets are read, so after a stall of
 * the server's own a request that came in time would otherwise be cut unread.
 */
function closeIdleConnectionsLate(server: http.Server, idleMs: number): void {
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    res.once('finish', () => {
      // Node's own 'finish' handler runs first (it is added before 'request' is emitted) and arms
      // its keep-alive timer when the connection stays open: that timer is moved to our deadline.
      if (!socket.destroyed && socket.timeout) socket.setTimeout(idleMs);
    });
  });
  // With a listener here Node leaves timed-out sockets to it; the servers set no other socket timeout.
  server.on('timeout', (socket: Socket) => {
    const read = socket.bytesRead;
    // setImmediate runs after this loop turn's poll phase, which reads what is waiting on the socket.
    setImmediate(() => {
      if (socket.bytesRead === read) socket.destroy();
    });
  });
}

/** An HTTP server with the timeouts applied; Node only enforces them on each connections check. */
export function createHttpServer(app: http.RequestListener, settings: HttpServerSettings): http.Server {
  checkTimeouts(settings);
  const server = http.createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // Node checks these timeouts every 30 s by default, which would stretch a 10 s limit to 40 s.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(settings.headersTimeoutMs / 2))),
    },
    withWellFormedHost(app),
  );
  // What clients are told (`Keep-Alive: timeout=N`); the server keeps the connection longer.
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  closeIdleConnectionsLate(server, settings.keepAliveTimeoutMs + (settings.keepAliveGraceMs ?? DEFAULT_HTTP_SETTINGS.keepAliveGraceMs!));
  return server;
}

// ---- answers in GraphQL's error shape ----------------------------------------------------------------

export function sendError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** An unexpected failure: a generic answer with an id, the full error logged once under that id. */
export function internalError(service: string, error: unknown, context: Record<string, unknown> = {}): { errorId: string } {
  const errorId = crypto.randomUUID();
  const err = error instanceof Error ? error : new Error(String(error));
  // A failed SQL statement is logged without the values it carried (lib/log.ts).
  logEvent('error', 'internal_error', { service, errorId, ...context, error: withoutSqlValues({ name: err.name, message: err.message, stack: err.stack }) });
  return { errorId };
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * The body as JSON for Apollo. It arrives as raw bytes (read before, so a signature can be checked
 * over them first); a body must be application/json in UTF-8 and parse, else 415 or 400.
 */
const parseJsonBody: RequestHandler = (req, res, next) => {
  const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
  if (!raw || raw.length === 0) {
    req.body = undefined;
    return next();
  }
  if (!req.is('application/json')) {
    return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got ${JSON.stringify(req.headers['content-type'] ?? 'none')}`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8')
    return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported charset "${charset}": send UTF-8`);
  try {
    req.body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return sendError(res, 400, 'BAD_REQUEST', `Malformed JSON in the request body: ${(error as Error).message.slice(0, 200)}`);
  }
  next();
};

/** body-parser's errors (they carry a `type`) and anything else that reaches express's error path. */
function errorHandler(service: string, bodyLimit: number): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const type = typeof error === 'object' && error ? String((error as { type?: unknown }).type ?? '') : '';
    switch (type) {
      case 'entity.too.large':
        return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than the limit of ${bodyLimit} bytes`);
      case 'encoding.unsupported':
        return sendError(
          res,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Encoding ${JSON.stringify(req.headers['content-encoding'] ?? '')} is not supported: send the body uncompressed`,
        );
      case 'charset.unsupported':
        return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported charset: send UTF-8');
      case 'request.aborted':
      case 'request.size.invalid':
        return sendError(res, 400, 'BAD_REQUEST', 'The request body was incomplete');
    }
    const { errorId } = internalError(service, error, { method: req.method, path: req.originalUrl.slice(0, 200) });
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE, { errorId });
  };
}

// ---- request id and access line ------------------------------------------------------------------

interface SubgraphRequest extends RequestScope {
  operationName?: string;
  errorCount?: number;
}

/**
 * Serves each request under its id (the gateway's `x-request-id`, else a new one): every log line
 * written for it carries the id, and one access line is written when it ends.
 */
function requestScoped(service: string, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const scope: SubgraphRequest = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
    res.setHeader(REQUEST_ID_HEADER, scope.requestId);
    const span = startServerSpan(service, req.method, req.originalUrl.split('?')[0].slice(0, 200), req.headers);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = req.originalUrl.split('?')[0].slice(0, 200);
      const status = res.writableFinished ? res.statusCode : 499;
      withRequest(scope, () =>
        logger.info({
          event: 'request',
          service,
          method: req.method,
          path,
          status,
          durationMs: Math.round(seconds * 10_000) / 10,
          ...loggedOperationName(scope.operationName),
        }),
      );
      if (path === '/graphql') metrics.observeRequest(scope.operationName, status, scope.errorCount ?? 0, seconds);
      span.end(status, { 'graphql.operation.name': scope.operationName, 'request.id': scope.requestId });
    });
    span.run(() => withRequest(scope, next));
  };
}

/**
 * A middleware that reads the body calls on from a socket event, outside the request's scope: its
 * `next` is bound to the scope it was called in.
 */
export const keepRequestScope =
  (middleware: RequestHandler): RequestHandler =>
  (req, res, next) =>
    middleware(req, res, AsyncResource.bind(next));

/** Names the operation and counts the errors for the subgraph's access line and metrics. */
const operationNamePlugin: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        const scope = currentRequest() as SubgraphRequest | undefined;
        if (scope && operationName) scope.operationName = operationName;
      },
      async didEncounterErrors({ errors }) {
        const scope = currentRequest() as SubgraphRequest | undefined;
        if (scope) scope.errorCount = (scope.errorCount ?? 0) + errors.length;
      },
    };
  },
};

// ---- the GraphQL service -----------------------------------------------------------------------------

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function createGraphQLService<TContext extends BaseContext>(options: {
  name: string;
  apollo: (plugins: NonNullable<ConstructorParameters<typeof ApolloServer<TContext>>[0]['plugins']>) => ApolloServer<TContext>;
  context: ContextFunction<[ExpressContextFunctionArgument], TContext>;
  dispose?: () => Promise<void>;
  /** Largest request body in bytes (default 1 MB). */
  bodyLimit?: number;
  /** Runs before every route except /health (the subgraphs' signature check). It may read the body raw. */
  guard?: RequestHandler;
  http?: HttpServerSettings;
  onListening?: HttpService['onListening'];
}): Promise<HttpService & { app: Express; apollo: ApolloServer<TContext>; metrics: ServiceMetrics }> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const settings = options.http ?? DEFAULT_HTTP_SETTINGS;
  // The service's own routes live in `app`, so that routes added later (the gateway's /ready) still
  // come before the JSON 404 and the error handler, which the outer app adds after it.
  const app = express();
  const root = express();
  for (const each of [app, root]) each.disable('x-powered-by');
  const metrics = createServiceMetrics('subgraph', { service: options.name });
  root.use(requestScoped(options.name, metrics));
  root.use(app);
  const httpServer = createHttpServer(root, settings);
  // Draining is listen()'s close(): it stops the HTTP server before Apollo stops.
  const apollo = options.apollo([operationNamePlugin]);
  await apollo.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  // What a load balancer routes by: 503 from the moment the server begins to stop (Draining).
  const draining = new Draining();
  app.get('/ready', (_req, res) => {
    res.status(draining.active ? 503 : 200).json({ status: draining.active ? 'draining' : 'ready', service: options.name });
  });
  // Unsigned like /health: Prometheus scrapes it; it tells counts and durations, no directory data.
  app.get('/metrics', (_req, res, next) => {
    metrics.registry.metrics().then((text) => void res.type(metrics.registry.contentType).send(text), next);
  });
  if (options.guard) app.use(keepRequestScope(options.guard));
  app.use(
    '/graphql',
    keepRequestScope(express.raw({ type: () => true, limit: bodyLimit, inflate: false })),
    parseJsonBody,
    expressMiddleware(apollo, { context: options.context }),
  );
  root.use((req, res) =>
    sendError(
      res,
      404,
      'NOT_FOUND',
      `No route ${req.method} ${req.path.slice(0, 200)}: this server answers /graphql, GET /health, GET /ready and GET /metrics`,
    ),
  );
  root.use(errorHandler(options.name, bodyLimit));
  return {
    app,
    httpServer,
    apollo,
    metrics,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    drainDelayMs: settings.drainDelayMs,
    draining,
    onListening: options.onListening,
    dispose: async () => {
      await apollo.stop();
      await options.dispose?.();
    },
  };
}

// ---- listen and close ------------------------------------------------------------------------------

const urlHost = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

/**
 * Listens on `host` (HOST, default 127.0.0.1: the entry point passes listenHost(settings)). close()
 * is graceful: it says "draining" first (GET /ready answers 503) and keeps serving for the drain
 * delay, answering each request with `Connection: close`, so that a load balancer stops sending and
 * a client's next request opens a connection elsewhere; then it stops accepting, closes idle
 * keep-alive connections, lets in-flight requests finish (closing each connection as its answer is
 * sent), cuts whatever is left after the shutdown timeout, and then releases the service (Apollo,
 * database). Idle connections are left alone during the delay: closing one races a request the
 * client (or balancer) may be writing onto it, which would meet a reset instead of an answer.
 */
export function listen(service: HttpService, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = service.httpServer;
  let closing = false;
  let accepting = true;
  server.on('request', (_req, res) => {
    if (closing) res.shouldKeepAlive = false;
    // A connection whose answer completes once the server stopped accepting is idle now: close it instead of waiting.
    res.once('finish', () => {
      if (!accepting) setImmediate(() => server.closeIdleConnections());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      service.onListening?.({ host, port: actual });
      let closed: Promise<void> | undefined;
      const close = async () => {
        closing = true;
        service.draining?.begin();
        if (server.listening && service.drainDelayMs) await new Promise((r) => setTimeout(r, service.drainDelayMs));
        accepting = false;
        if (server.listening) {
          const stopped = new Promise<void>((r) => server.close(() => r()));
          server.closeIdleConnections();
          const cut = setTimeout(() => server.closeAllConnections(), service.shutdownTimeoutMs ?? DEFAULT_HTTP_SETTINGS.shutdownTimeoutMs);
          cut.unref();
          await stopped;
          clearTimeout(cut);
        }
        if (service.dispose) await service.dispose();
      };
      resolve({
        port: actual,
        url: `http://${urlHost(host)}:${actual}/graphql`,
        // Idempotent: a test may stop one service early and the whole stack later.
        close: () => (closed ??= close()),
      });
    });
  });
}
