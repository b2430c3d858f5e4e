/**
 * Exactly one access line per gateway request, whatever answered it (the front door's 429 or cache
 * hit, the request guard's 4xx, the engine): method, path, status, duration, operation name,
 * request id, error codes and cache result. A refused body is one line with its code, never a stack.
 *
 * The request id is the caller's `x-request-id` when it is plain and short (lib/log.ts), else a new
 * one; it is answered in the `x-request-id` header and forwarded to every subgraph call.
 *
 * The record travels with the Node request (`gatewayRequestOf(req)`; the engine's hooks reach it
 * through their server context), not in an AsyncLocalStorage: on Node 20 and 22 a store that is
 * entered turns on async hooks for every promise the engine makes, which the CPU profile counted
 * against every request. Lines logged for a request name its id explicitly (`requestId`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getOperationAST } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { startServerSpan, UNTRACED_SPAN } from '../../lib/tracing';
import type { IdempotentRequest } from '../../lib/idempotency';
import { OTHER_OPERATIONS } from '../../lib/metrics';
import { loggedOperationName, logger, REQUEST_ID_HEADER, requestIdFrom, type RequestScope } from '../../lib/log';

/** What the access line reports, filled in by whoever handles the request. */
export interface GatewayRequest extends RequestScope {
  /** The client's address (gateway/http/client-address.ts: behind TRUSTED_PROXIES, from X-Forwarded-For). */
  clientAddress: string;
  /** The name the client gave (cut to 100 characters in the access line). */
  operationName?: string;
  /**
   * Set once the operation runs, from the document itself: its name, or '' for an unnamed one.
   * Only these take a metric label; a name the document does not have never does.
   */
  executedOperation?: string;
  errorCodes: Set<string>;
  cache?: 'hit' | 'miss';
  /** Set when the request deadline answered 504: whatever the engine still does is not reported. */
  deadlinePassed?: boolean;
  /** The subgraph calls under way, aborted when the deadline passes (gateway/upstream/subgraph-fetch.ts). */
  subgraphCalls?: Set<AbortController>;
  /** A mutation's Idempotency-Key and fingerprint, forwarded to the subgraphs (gateway/shared-state/idempotency.ts). */
  idempotency?: IdempotentRequest;
  /** A subgraph answered from a kept answer of the key. */
  idempotentReplayed?: boolean;
  /** Run when the connection's answer is over (the request deadline is dropped here). */
  onClose?: () => void;
}

/** Where the record sits on the Node request: a property, cheaper per request than a WeakMap entry. */
const RECORD = Symbol('gateway request record');
type Carrier = { [RECORD]?: GatewayRequest; req?: { [RECORD]?: GatewayRequest } };

/**
 * The record of the gateway request `req` (the Node request, or the engine's server context that
 * carries it), if it came through `accessLogged`.
 */
export function gatewayRequestOf(req: unknown): GatewayRequest | undefined {
  if (!req || typeof req !== 'object') return undefined;
  return (req as Carrier)[RECORD] ?? (req as Carrier).req?.[RECORD];
}

/**
 * The operation a request is counted under in the metrics: the name of the operation that ran
 * (anonymous when it has none); a request refused before it ran is `other` when the client named
 * an operation (a name the document may not even have), anonymous when it did not. Only names of
 * operations that ran can take one of the bounded labels.
 */
export const metricOperation = (record: GatewayRequest): string | undefined =>
  record.executedOperation !== undefined ? record.executedOperation || undefined : record.operationName ? OTHER_OPERATIONS : undefined;

/** Notes error codes the answer to `req` carries (for the access line and the metrics). */
export function noteErrorCodes(req: unknown, codes: Iterable<unknown>): void {
  const record = gatewayRequestOf(req);
  if (!record) return;
  for (const code of codes) if (typeof code === 'string') record.errorCodes.add(code);
}

/** Observers of every finished request (the metrics); called after the access line. */
export type RequestFinished = (record: GatewayRequest, outcome: { method: string; path: string; status: number; seconds: number }) => void;

/** The client's address of a request, as the access line names it (the socket's, unless it came through accessLogged). */
export const clientAddressOf = (req: IncomingMessage): string => gatewayRequestOf(req)?.clientAddress ?? req.socket?.remoteAddress ?? 'unknown';

/**
 * Wraps the gateway's request listener: request id in, out and onward, the client's address chosen
 * once (`clientAddress`, gateway/http/client-address.ts), one access line at the end.
 */
export function accessLogged(
  listener: RequestListener,
  onFinished?: RequestFinished,
  clientAddress: (req: IncomingMessage) => string = (req) => req.socket?.remoteAddress ?? 'unknown',
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const record: GatewayRequest = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]), errorCodes: new Set(), clientAddress: clientAddress(req) };
    (req as Carrier)[RECORD] = record;
    // The engine reads the id from here (Hive's own request-id plugin forwards it to the subgraphs).
    req.headers[REQUEST_ID_HEADER] = record.requestId;
    res.setHeader(REQUEST_ID_HEADER, record.requestId);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = (query < 0 ? url : url.slice(0, query)).slice(0, 200);
    const span = startServerSpan('gateway', method, path, req.headers);
    // One listener per request does everything the end of a request needs (each costs on a cache hit).
    res.once('close', () => {
      record.onClose?.();
      const seconds = (performance.now() - started) / 1000;
      // A connection cut before an answer was written is reported as 499 (client closed), like nginx.
      const status = res.writableFinished ? res.statusCode : 499;
      const { operationName, operationNameTruncated } = loggedOperationName(record.operationName);
      logger.info({
        requestId: record.requestId,
        event: 'request',
        method,
        path,
        client: record.clientAddress,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        operationName,
        operationNameTruncated,
        errorCodes: record.errorCodes.size ? [...record.errorCodes] : undefined,
        cache: record.cache,
      });
      if (span !== UNTRACED_SPAN) span.end(status, { 'graphql.operation.name': operationName, 'request.id': record.requestId, 'cache.result': record.cache });
      onFinished?.(record, { method, path, status, seconds });
    });
    span.run(() => listener(req, res));
  };
}

/** The operation's name, read cheaply from a request body without parsing the query (cache hits). */
export function operationNameOfBody(body: Buffer | string): string | undefined {
  try {
    const params = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : JSON.parse(body.toString('utf8'));
    if (typeof params?.operationName === 'string' && params.operationName) return params.operationName;
    return typeof params?.query === 'string' ? /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(params.query)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Fills the access record from the GraphQL engine: the operation's name and the answer's error codes. */
export function useAccessRecord(): GatewayPlugin {
  return {
    onParams({ params, context }) {
      const record = gatewayRequestOf(context);
      // Client-chosen and not yet validated: an array or object here is refused later, never logged as a name.
      if (record && typeof params.operationName === 'string' && params.operationName) record.operationName = params.operationName;
    },
    onExecute({ args }) {
      const record = gatewayRequestOf(args.contextValue);
      if (!record) return;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      record.executedOperation = name ?? '';
      if (!record.operationName) record.operationName = name;
    },
    onResultProcess({ result, serverContext }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        const errors = (one as { errors?: { extensions?: { code?: unknown } }[] } | undefined)?.errors;
        if (Array.isArray(errors))
          noteErrorCodes(
            serverContext,
            errors.map((e) => e?.extensions?.code ?? 'UNKNOWN'),
          );
      }
    },
  };
}
