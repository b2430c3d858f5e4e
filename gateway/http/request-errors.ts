/**
 * Variable coercion errors (a value of the wrong type for a variable, a required variable left
 * out, an input field that does not exist) are request errors, like parse and validation errors:
 * graphql-js returns them from execution without `data` and without a code, and Yoga answers them
 * 200. Here they get BAD_USER_INPUT and HTTP 400 (whatever the client accepts: the gateway's
 * choice for all request errors, docs/gateway.md). Errors that already carry a code (the
 * gateway's own refusals) are left as they are.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';

const isRequestError = (result: ExecutionResult) => result.data === undefined && !!result.errors?.length;

const withCode = (error: GraphQLError) =>
  error.extensions?.code
    ? error
    : new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        originalError: error.originalError,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
      });

const coded = (result: unknown) =>
  result && typeof result === 'object' && isRequestError(result as ExecutionResult)
    ? { ...(result as ExecutionResult), errors: (result as ExecutionResult).errors!.map(withCode) }
    : result;

export function useRequestErrorCodes(): GatewayPlugin {
  return {
    // The runtime's executor throws them; Yoga turns that into a result without data, seen here.
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(coded) as typeof result);
      else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(coded(result) as typeof result);
    },
  };
}
