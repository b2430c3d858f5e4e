/**
 * Errors a client may see: GraphQL errors raised on purpose (by the gateway, its plugins or a
 * subgraph) pass as they are; anything else is an internal failure, answered with a generic message
 * and an error id, while the full error is logged once under that id. No stack trace, SQL, file
 * path, host or port leaves the gateway.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { logEvent } from '../lib/log';

export function maskUnexpectedError(error: unknown, message: string): GraphQLError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
  const errorId = logUnexpectedError(
    original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : { message: String(original) },
  );
  return new GraphQLError(message, {
    path: error instanceof GraphQLError ? error.path : undefined,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  });
}

/** Logs the full error once, as one JSON line (with the request's id), and returns the id the client is given. */
export function logUnexpectedError(error: Record<string, unknown>): string {
  const errorId = randomUUID();
  logEvent('error', 'unexpected_error', { service: 'gateway', errorId, error });
  return errorId;
}
