/**
 * Every call from the gateway to a subgraph goes through here: a timeout per call (in the shared
 * deadline watch, dropped when the answer is in; AbortSignal.timeout's abort path would still run
 * after the call ended),
 * a bound on the answer's size, and a failure that names the subgraph and says which of four
 * things went wrong. A subgraph's own body is never handed to the client: only GraphQL JSON is.
 */
import { GraphQLError } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDENTITY_HEADER } from '../../lib/subgraph-signature';
import { IDEMPOTENT_REPLAYED_HEADER } from '../../lib/idempotency';
import { withIdempotentRequest } from '../shared-state/idempotency';
import { identityOf } from '../identity/identity';
import { REQUEST_ID_HEADER } from '../../lib/log';
import { gatewayRequestOf } from '../http/access-log';
import { RequestDeadlinePassed, trackSubgraphCall } from '../protection/request-deadline';
import type { DeadlineWatch } from '../protection/deadline-watch';
import type { GatewayMetrics } from '../metrics';
import type { SubgraphRequestSigner } from './subgraph-signer';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { injectTraceHeaders, tracerOf, tracingOn } from '../../lib/tracing';
import { localizedError } from '../../lib/errors';
import { message, type Message } from '../../lib/i18n/message';

export interface SubgraphFetchLimits {
  /** Longest wait for one subgraph call, answer body included. */
  timeoutMs: number;
  /** Largest answer accepted from a subgraph, in bytes. */
  maxAnswerBytes: number;
  sign: SubgraphRequestSigner;
  /** Where the calls' timeouts are kept (deadline-watch.ts). */
  deadlines: DeadlineWatch;
  /** Where each call's duration and failure is counted. */
  metrics?: Pick<GatewayMetrics, 'subgraphFetchDuration' | 'subgraphFetchErrors'>;
}

/** The codes a client sees, each naming the subgraph in `extensions.serviceName`. */
export const SubgraphFailure = {
  /** Nothing listens, the connection was refused or reset. */
  UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** No (complete) answer within the per-call timeout. */
  TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** The answer was larger than the gateway accepts. */
  ANSWER_TOO_LARGE: 'SUBGRAPH_ANSWER_TOO_LARGE',
  /** An HTTP error answer that is not GraphQL JSON (its body is not forwarded). */
  ERROR_ANSWER: 'SUBGRAPH_ERROR_ANSWER',
} as const;

/** `why` names the subgraph: it is said in the reader's language where the answer is written (request-guard.ts). */
export function subgraphFailure(subgraph: string, code: (typeof SubgraphFailure)[keyof typeof SubgraphFailure], why: Message): GraphQLError {
  return localizedError(why, { code, serviceName: subgraph });
}

const headersObject = (headers: unknown): Record<string, string> =>
  !headers
    ? {}
    : headers instanceof Headers
      ? Object.fromEntries(headers.entries())
      : Array.isArray(headers)
        ? Object.fromEntries(headers)
        : { ...(headers as Record<string, string>) };

class CallTimedOut extends Error {
  override name = 'SubgraphCallTimedOut';
}

const isJson = (contentType: string | null) => !!contentType && /application\/(graphql-response\+)?json/i.test(contentType);

/** Reads at most `limit` bytes of the body; undefined when it is longer. */
async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  const header = response.headers.get('content-length');
  // Number(null) is 0: no header must not count as a declared length.
  const declared = header === null || header.trim() === '' ? NaN : Number(header);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  // With a declared length within the limit (what the subgraphs send), the HTTP parser already
  // bounds the body: read it in one go, which costs far less than a chunk loop over a web stream.
  if (!response.body || Number.isFinite(declared)) return response.text();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeConnectFailure(subgraph: string, error: unknown): Message {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ? message('subgraph.unavailableBecause', { subgraph, cause: cause.code }) : message('subgraph.unavailable', { subgraph });
}

export function useSubgraphFetchLimits(limits: SubgraphFetchLimits): GatewayPlugin {
  return {
    onFetch({ executionRequest, context, fetchFn, setFetchFn }) {
      const subgraph = executionRequest?.subgraphName;
      if (!subgraph) return; // not a subgraph call (none are made today, but never guess a name)
      // The front door verified the caller and filed the identity under the Node request.
      const req = (context as { req?: unknown } | undefined)?.req;
      const identity = identityOf(req);
      const record = gatewayRequestOf(req);
      setFetchFn(async (url, init, ...rest) => {
        const started = process.hrtime.bigint();
        // A client span per call; its traceparent makes the subgraph's spans its children.
        const span = tracingOn()
          ? tracerOf('gateway').startSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': subgraph } })
          : undefined;
        const observe = (result: string) => {
          if (span) {
            span.setAttribute('subgraph.result', result);
            if (result !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: result });
            span.end();
          }
          limits.metrics?.subgraphFetchDuration.observe({ subgraph, result }, Number(process.hrtime.bigint() - started) / 1e9);
          if (result !== 'ok') limits.metrics?.subgraphFetchErrors.inc({ subgraph, code: result });
        };
        const controller = new AbortController();
        const callerSignal = init?.signal;
        const onCallerAbort = () => controller.abort(callerSignal?.reason);
        callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
        const dropTimeout = limits.deadlines.after(limits.timeoutMs, () => controller.abort(new CallTimedOut()));
        const untrack = trackSubgraphCall(record, controller);
        try {
          let sent = typeof init?.body === 'string' ? init.body : '';
          // A keyed mutation: the subgraph that runs it settles the key (gateway/shared-state/idempotency.ts), signed with the body.
          if (record?.idempotency && sent) sent = withIdempotentRequest(sent, record.idempotency);
          const { [IDENTITY_HEADER]: _smuggled, ...passed } = headersObject(init?.headers);
          const headers = { ...passed, ...limits.sign(url, init?.method ?? 'POST', sent, identity) };
          // The subgraph logs its lines of this request under the gateway's request id.
          if (record) headers[REQUEST_ID_HEADER] = record.requestId;
          if (span) injectTraceHeaders(headers, trace.setSpan(otelContext.active(), span));
          const response = await fetchFn(url, { ...init, ...(sent ? { body: sent } : {}), headers, signal: controller.signal }, ...rest);
          if (record && response.headers.get(IDEMPOTENT_REPLAYED_HEADER) === 'true') record.idempotentReplayed = true;
          if (!response.ok && !isJson(response.headers.get('content-type'))) {
            await response.body?.cancel().catch(() => undefined);
            throw response.status === 413
              ? subgraphFailure(subgraph, SubgraphFailure.ERROR_ANSWER, message('subgraph.requestTooLarge', { subgraph }))
              : subgraphFailure(subgraph, SubgraphFailure.ERROR_ANSWER, message('subgraph.notGraphQL', { subgraph, status: response.status }));
          }
          const body = await readBounded(response, limits.maxAnswerBytes);
          if (body === undefined) {
            throw subgraphFailure(subgraph, SubgraphFailure.ANSWER_TOO_LARGE, message('subgraph.answerTooLarge', { subgraph, bytes: limits.maxAnswerBytes }));
          }
          observe('ok');
          // The answer again, as the engine's own Response class (the fetch's, @whatwg-node's): the
          // global one (undici's) would make the engine read the text back through a web stream,
          // which the CPU profile showed as a cost stock Hive does not pay.
          const EngineResponse = response.constructor as typeof Response;
          return new EngineResponse(body, { status: response.status, statusText: response.statusText, headers: response.headers });
        } catch (error) {
          const failure =
            error instanceof GraphQLError
              ? error
              : controller.signal.reason instanceof CallTimedOut
                ? subgraphFailure(subgraph, SubgraphFailure.TIMEOUT, message('subgraph.timeout', { subgraph, ms: limits.timeoutMs }))
                : callerSignal?.aborted || controller.signal.reason instanceof RequestDeadlinePassed
                  ? undefined // the client went away, or was answered 504: nothing to report to it
                  : subgraphFailure(subgraph, SubgraphFailure.UNAVAILABLE, describeConnectFailure(subgraph, error));
          observe(
            failure ? String(failure.extensions.code ?? 'ERROR') : controller.signal.reason instanceof RequestDeadlinePassed ? 'DEADLINE' : 'CLIENT_GONE',
          );
          throw failure ?? error;
        } finally {
          dropTimeout();
          untrack();
          callerSignal?.removeEventListener('abort', onCallerAbort);
        }
      });
    },
  };
}
