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
import { gatewayRequestOf, noteErrorCodes } from './access-log';

/**
 * An answer in GraphQL's error shape, for requests refused before GraphQL runs; `serverContext`
 * (the engine's, which carries the Node request) is where the code is noted for the access line.
 */
export function refusal(serverContext: unknown, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  noteErrorCodes(serverContext, [code]);
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers });
}

const GRAPHQL_BODY_TYPES = /^application\/(json|graphql-response\+json|graphql)\s*(;|$)/i;
const INTERNAL_EXTENSIONS = ['originalError', 'stacktrace', 'exception', 'response', 'request'];

/**
 * The error as a client may see it, changed in place so it stays a GraphQLError (Yoga derives the
 * HTTP status from GraphQLErrors and hides their `http` extension).
 */
function publicError(
  error: GraphQLError | { message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> },
  requestId: string | undefined,
): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
  const extensions = graphqlError.extensions as Record<string, unknown>;
  if (extensions.code === 'INTERNAL_SERVER_ERROR' && !extensions.errorId) {
    extensions.errorId = logUnexpectedError({ subgraph: extensions.serviceName, message: graphqlError.message, path: graphqlError.path }, requestId);
    graphqlError.message = 'Unexpected error.';
  } else if (extensions.code === 'INTERNAL_SERVER_ERROR') {
    // Masked by the engine (masked-errors.ts), which knows no request: logged here, with its id.
    logMaskedError(graphqlError, requestId);
  }
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
            `A GraphQL request is sent as application/json, not "${type.slice(0, 80) || 'no content type'}".`,
          ),
        );
      }
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(refusal(serverContext, 411, 'LENGTH_REQUIRED', 'Send the request body with a Content-Length header.'));
      if (Number(length) > options.maxBodyBytes) {
        return endResponse(
          refusal(serverContext, 413, 'PAYLOAD_TOO_LARGE', `The request body has ${length} bytes; at most ${options.maxBodyBytes} are accepted.`),
        );
      }
    },
    // Answers the engine gives without a body (an unknown route, a 406 for a page it does not
    // serve, a 204 to a preflight is fine) get one in GraphQL's error shape.
    onResponse({ response, setResponse, serverContext }) {
      if (response.status < 400 || response.body !== null) return;
      const known: Record<number, [string, string]> = {
        404: ['NOT_FOUND', 'There is nothing here: the GraphQL API answers at /graphql.'],
        405: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
        406: ['NOT_ACCEPTABLE', 'This endpoint answers application/json or application/graphql-response+json.'],
      };
      const [code, message] = known[response.status] ?? ['BAD_REQUEST', `HTTP ${response.status}`];
      setResponse(
        refusal(
          serverContext,
          response.status,
          code,
          message,
          Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-length' && name !== 'content-type')),
        ),
      );
    },
    onResultProcess({ result, setResult, serverContext }) {
      const requestId = gatewayRequestOf(serverContext)?.requestId;
      const clean = (one: any) => (one?.errors?.length ? { ...one, errors: one.errors.map((error: GraphQLError) => publicError(error, requestId)) } : one);
      if (Array.isArray(result)) setResult(result.map(clean));
      else if (result && typeof result === 'object' && 'errors' in result) setResult(clean(result));
    },
  };
}
