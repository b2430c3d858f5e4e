/**
 * Errors a client may see: GraphQL errors raised on purpose (by the gateway, its plugins or a
 * subgraph) pass as they are; anything else is an internal failure, answered with a generic message
 * and an error id, while the full error is logged once under that id. No stack trace, SQL, file
 * path, host or port leaves the gateway.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';

export function maskUnexpectedError(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
  const errorId = randomUUID();
  console.error(JSON.stringify({ level: 'error', msg: 'unexpected error', errorId, error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original) }));
  return new GraphQLError(message, {
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  });
}
