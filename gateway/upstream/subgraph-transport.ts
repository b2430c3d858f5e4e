/**
 * How a query or mutation reaches its subgraph: one JSON POST through the runtime's own fetch (so
 * every onFetch plugin still runs: signing, limits and failure codes in subgraph-fetch.ts, the
 * request id), its JSON answer parsed once, its errors handed on as GraphQL errors.
 *
 * A query sent while the very same one is under way for the same caller waits for that call's
 * answer instead of making another (50 practices asking at once share the calls their plans have
 * in common). Only for the same caller: the subgraphs answer by the identity the gateway signs into
 * each call, so two callers never share one.
 *
 * Not the engine's built-in HTTP transport (@graphql-mesh/transport-http over
 * @graphql-tools/executor-http), although it sends the same requests: the CPU profile under load put
 * 12-13 % of the gateway's busy time in that executor (stock Hive's too), nearly all of it on work
 * no call of this gateway needs, and its sharing ignored the caller:
 * - every call's variables are walked and deep-cloned looking for files to upload (`recurse`,
 *   `createFormDataFromVariables`), and an entity call's variables are its whole representation
 *   list; this gateway never has a file to pass on (request-guard.ts accepts JSON bodies only);
 * - in-flight calls are shared by URL and body alone, before the onFetch plugins add the caller's
 *   identity: a call of an anonymous caller could be answered with an admin's answer;
 * - every shared answer's data is `structuredClone`d, also for a call nobody shared (here each
 *   caller parses the answer's text itself, and a call nobody joined is parsed once);
 * - every answer is sniffed for event streams and multipart, which a JSON-only Accept never gets.
 * What this transport does not cover goes to the built-in one, unchanged: subscriptions, and
 * subgraphs configured with anything but a plain location (headers, interpolation, options).
 */
import httpTransport from '@graphql-mesh/transport-http';
import { getDocumentString } from '@envelop/core';
import { createGraphQLError, getOperationASTFromRequest, type ExecutionRequest, type ExecutionResult, type Executor } from '@graphql-tools/utils';
import { GraphQLError, print, type DocumentNode } from 'graphql';
import { identityOf } from '../identity/identity';
import { DEFAULT_LANGUAGE } from '../../lib/i18n/languages';
import { readerLanguageOf } from '../http/reader-language';
import { subgraphFailure, SubgraphFailure } from './subgraph-fetch';
import { message } from '../../lib/i18n/message';

type SubgraphExecutorOptions = Parameters<typeof httpTransport.getSubgraphExecutor>[0];

/** What the subgraph may be asked to send back: JSON only (no event streams, no multipart). */
const ACCEPT = 'application/graphql-response+json, application/json';

/**
 * The document's text: the planner files each fetch's operation text with its parsed document, so
 * this is a lookup; anything else is printed once and filed the same way.
 */
const documentText = (document: DocumentNode) => getDocumentString(document, print);

/**
 * The request body, in the built-in executor's shape and key order (empty parts left out). The
 * reader's language (chosen from the client's Accept-Language, lib/i18n/languages.ts) travels in its
 * extensions when it is not English: inside the body, so the SUBGRAPH_SECRET signature covers it too,
 * and two callers in different languages never share one in-flight call.
 */
function serialize(request: ExecutionRequest): string {
  const { variables, operationName } = request;
  const language = readerLanguageOf((request.context as { req?: { headers?: Record<string, unknown> } } | undefined)?.req);
  const extensions = language === DEFAULT_LANGUAGE ? request.extensions : { ...request.extensions, language };
  return JSON.stringify({
    query: documentText(request.document),
    variables: variables && Object.keys(variables).length > 0 ? variables : undefined,
    operationName: operationName || undefined,
    extensions: extensions && Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}

/**
 * The answer's text as a GraphQL result. Anything else (no body, not JSON, neither data nor errors)
 * is one SUBGRAPH_ERROR_ANSWER naming the subgraph: its body is never handed to the client.
 */
function resultOfAnswer(subgraph: string, text: string, status: number): ExecutionResult {
  const notGraphQL = () => ({ errors: [subgraphFailure(subgraph, SubgraphFailure.ERROR_ANSWER, message('subgraph.notGraphQL', { subgraph, status }))] });
  let parsed: { data?: unknown; errors?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    return notGraphQL();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return notGraphQL();
  const errors = Array.isArray(parsed.errors) ? parsed.errors : undefined;
  if (parsed.data == null && !errors?.length) return notGraphQL();
  if (!errors) return parsed as ExecutionResult;
  return {
    ...(parsed as ExecutionResult),
    errors: errors.map((error: { message?: unknown; path?: never; extensions?: never }) =>
      createGraphQLError(typeof error?.message === 'string' ? error.message : 'Unknown error', {
        path: error?.path,
        extensions: error?.extensions,
      }),
    ),
  };
}

/** A failed call as the engine expects it: one error, the plugin's own when it named the failure. */
function resultOfFailure(error: unknown): ExecutionResult {
  if (error instanceof GraphQLError) return { errors: [error] };
  const message = (error as { message?: unknown })?.message;
  return {
    errors: [
      createGraphQLError(typeof message === 'string' && message ? message : 'Unknown error', {
        extensions: { code: 'SUBREQUEST_HTTP_ERROR' },
        originalError: error instanceof Error ? error : undefined,
      }),
    ],
  };
}

/** Only a plain location: anything configured beyond it is the built-in transport's to honour. */
const isPlain = (entry: SubgraphExecutorOptions['transportEntry']) =>
  !!entry.location && !entry.location.includes('{') && !entry.headers?.length && Object.keys(entry.options ?? {}).length === 0;

/** A subgraph's answer as it came: parsed by each caller that waited for it. */
interface Answer {
  status: number;
  text: string;
}

type Fetch = NonNullable<SubgraphExecutorOptions['fetch']>;

function jsonExecutor(payload: SubgraphExecutorOptions, fetch: Fetch): Executor & AsyncDisposable {
  const endpoint = payload.transportEntry.location!;
  // Aborted when the runtime is disposed: calls under way stop instead of holding the process.
  const disposal = new AbortController();
  // Per verified identity object (the verifier hands back the same one for a known token), then per body.
  const underWay = new WeakMap<object, Map<string, Promise<Answer>>>();
  let builtIn: ReturnType<typeof httpTransport.getSubgraphExecutor> | undefined;

  const send = (request: ExecutionRequest, body: string): Promise<Answer> => {
    const requestSignal = request.signal ?? request.info?.signal;
    const signal = requestSignal ? AbortSignal.any([requestSignal, disposal.signal]) : disposal.signal;
    const init = { method: 'POST', headers: { accept: ACCEPT, 'content-type': 'application/json' }, body, signal };
    return Promise.resolve(fetch(endpoint, init, request.context, request.info)).then((response) =>
      response.text().then((text) => ({ status: response.status, text })),
    );
  };

  /** The call, or the one under way for the same caller and body; a shared call aborted by its own request is made again. */
  const sendOnce = (request: ExecutionRequest, body: string): Promise<Answer> => {
    const caller = identityOf((request.context as { req?: unknown } | undefined)?.req);
    let calls = underWay.get(caller);
    if (!calls) underWay.set(caller, (calls = new Map()));
    const current = calls.get(body);
    // Named failures (timeout, unavailable, too large) are the subgraph's and shared; an abort
    // belongs to the request that made the call (its deadline passed): this one calls for itself.
    if (current) return current.catch((error) => (error instanceof GraphQLError ? Promise.reject(error) : send(request, body)));
    const call = send(request, body);
    calls.set(body, call);
    const done = () => void calls.delete(body);
    call.then(done, done);
    return call;
  };

  const executor = (request: ExecutionRequest) => {
    const operationType = request.operationType ?? getOperationASTFromRequest(request).operation;
    if (operationType === 'subscription') return (builtIn ??= httpTransport.getSubgraphExecutor(payload))(request);
    if (disposal.signal.aborted) return resultOfFailure(payload.getDisposeReason?.() ?? disposal.signal.reason);
    const body = serialize(request);
    // Only queries are shared: a mutation is sent as often as it is asked for.
    return (operationType === 'query' ? sendOnce(request, body) : send(request, body)).then(
      (answer) => resultOfAnswer(payload.subgraphName, answer.text, answer.status),
      resultOfFailure,
    );
  };
  return Object.assign(executor as Executor, {
    [Symbol.asyncDispose]: async () => {
      disposal.abort(payload.getDisposeReason?.() ?? new Error('The gateway is shutting down'));
      if (builtIn) await builtIn[Symbol.asyncDispose]();
    },
  });
}

/** The transport for subgraphs of kind `http` (gateway.ts). */
export const subgraphTransport = {
  getSubgraphExecutor(payload: SubgraphExecutorOptions) {
    // The runtime's fetch is the one that runs the onFetch plugins: without it, the built-in transport.
    return payload.fetch && isPlain(payload.transportEntry) ? jsonExecutor(payload, payload.fetch) : httpTransport.getSubgraphExecutor(payload);
  },
};
