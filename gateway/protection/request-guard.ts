/**
 * What reaches the GraphQL engine is a GraphQL request, and what leaves the gateway is GraphQL JSON:
 * bodies with the wrong type, without a length or over the limit are refused before they are read,
 * and every error in an answer is stripped to message, locations, path and extensions without
 * internals (original errors, stack traces, upstream bodies). An internal error a subgraph let
 * through is masked here too, with an error id for the log.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { logMaskedError, logUnexpectedError } from './masked-errors';
import { gatewayRequestOf, noteErrorCodes } from '../http/access-log';
import { copyInReaderLanguage } from '../../lib/errors';
import { message, say, type Message } from '../../lib/i18n/message';
import { negotiateLanguage, type Language } from '../../lib/i18n/languages';
import { readerLanguageOf } from '../http/reader-language';

/**
 * An answer in GraphQL's error shape, for requests refused before GraphQL runs; `serverContext`
 * (the engine's, which carries the Node request) is where the code is noted for the access line,
 * and whose Accept-Language the message is said in.
 */
export function refusal(serverContext: unknown, status: number, code: string, why: Message, headers: Record<string, string> = {}): Response {
  noteErrorCodes(serverContext, [code]);
  const language = readerLanguageOf((serverContext as { req?: { headers?: Record<string, unknown> } } | undefined)?.req);
  return Response.json({ errors: [{ message: say(language, why), extensions: { code } }] }, { status, headers });
}

const GRAPHQL_BODY_TYPES = /^application\/(json|graphql-response\+json|graphql)\s*(;|$)/i;
const INTERNAL_EXTENSIONS = ['originalError', 'stacktrace', 'exception', 'response', 'request'];

/**
 * The error as a client may see it, changed in place so it stays a GraphQLError (Yoga derives the
 * HTTP status from GraphQLErrors and hides their `http` extension); the gateway's own errors said in
 * the reader's language (a copy: a validation error is cached with its document and may be in
 * several answers at once). A subgraph's errors come said already.
 */
function publicError(
  error: GraphQLError | { message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> },
  requestId: string | undefined,
  language: Language,
): GraphQLError {
  let graphqlError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
  const code = (graphqlError.extensions as Record<string, unknown>).code;
  if (code === 'INTERNAL_SERVER_ERROR' && !graphqlError.extensions.errorId) {
    (graphqlError.extensions as Record<string, unknown>).errorId = logUnexpectedError(
      { subgraph: graphqlError.extensions.serviceName, message: graphqlError.message, path: graphqlError.path },
      requestId,
    );
    graphqlError.message = say(language, message('gateway.unexpectedError'));
  } else if (code === 'INTERNAL_SERVER_ERROR') {
    // Masked by the engine (masked-errors.ts), which knows no request: logged here, with its id.
    logMaskedError(graphqlError, requestId);
  }
  graphqlError = copyInReaderLanguage(graphqlError, language);
  const extensions = graphqlError.extensions as Record<string, unknown>;
  for (const key of INTERNAL_EXTENSIONS) delete extensions[key];
  // Yoga answers request errors (bad body, parse, validation, limits) with 200 when the client
  // accepts plain application/json; our clients get the 4xx status whatever they accept.
  const http = extensions.http as { spec?: boolean } | undefined;
  if (http?.spec) extensions.http = { ...http, spec: false };
  return graphqlError;
}

export function useRequestGuard(options: { maxBodyBytes: number; graphqlPath?: string }): GatewayPlugin {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  return {
    onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== graphqlPath || request.method !== 'POST') return;
      const type = request.headers.get('content-type') ?? '';
      if (!GRAPHQL_BODY_TYPES.test(type)) {
        return endResponse(
          refusal(
            serverContext,
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            type ? message('gateway.unsupportedMediaType', { type: type.slice(0, 80) }) : message('gateway.noContentType'),
          ),
        );
      }
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(refusal(serverContext, 411, 'LENGTH_REQUIRED', message('gateway.lengthRequired')));
      if (Number(length) > options.maxBodyBytes) {
        return endResponse(
          refusal(serverContext, 413, 'PAYLOAD_TOO_LARGE', message('gateway.payloadTooLarge', { bytes: Number(length), limit: options.maxBodyBytes })),
        );
      }
    },
    // Answers the engine gives without a body (an unknown route, a 406 for a page it does not
    // serve, a 204 to a preflight is fine) get one in GraphQL's error shape.
    onResponse({ response, setResponse, serverContext }) {
      if (response.status < 400 || response.body !== null) return;
      const known: Record<number, [string, Message]> = {
        404: ['NOT_FOUND', message('gateway.nothingHere')],
        405: ['METHOD_NOT_ALLOWED', message('gateway.methodNotAllowed')],
        406: ['NOT_ACCEPTABLE', message('gateway.notAcceptable')],
      };
      const [code, why] = known[response.status] ?? ['BAD_REQUEST', message('gateway.httpStatus', { status: response.status })];
      setResponse(
        refusal(
          serverContext,
          response.status,
          code,
          why,
          Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-length' && name !== 'content-type')),
        ),
      );
    },
    onResultProcess({ result, setResult, serverContext, request }) {
      const requestId = gatewayRequestOf(serverContext)?.requestId;
      // Read only for an answer with errors: most have none.
      const language = () => negotiateLanguage(request.headers.get('accept-language'));
      const clean = (one: any) =>
        one?.errors?.length ? { ...one, errors: one.errors.map((error: GraphQLError) => publicError(error, requestId, language())) } : one;
      if (Array.isArray(result)) setResult(result.map(clean));
      else if (result && typeof result === 'object' && 'errors' in result) setResult(clean(result));
    },
  };
}
