/**
 * Errors a client may see: GraphQL errors raised on purpose (by the gateway, its plugins or a
 * subgraph) pass as they are; anything else is an internal failure, answered with a generic message
 * and an error id, while the full error is logged once under that id. No stack trace, SQL, file
 * path, host or port leaves the gateway.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { logEvent } from '../../lib/log';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';

/**
 * The engine masks an error without telling which request it belongs to; the full error waits here,
 * under the masked one, until the answer is processed (request-guard.ts), which logs it with the
 * request's id (logMaskedError).
 */
const waitingToBeLogged = new WeakMap<GraphQLError, { errorId: string; error: Record<string, unknown> }>();

/** The engine's masking: its own generic `_message` is replaced by ours, said in the reader's language (request-guard.ts). */
export function maskUnexpectedError(error: unknown, _message?: string): GraphQLError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
  const errorId = randomUUID();
  const masked = localizedError(
    message('gateway.unexpectedError'),
    { code: 'INTERNAL_SERVER_ERROR', errorId },
    { path: error instanceof GraphQLError ? error.path : undefined },
  );
  waitingToBeLogged.set(masked, {
    errorId,
    error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : { message: String(original) },
  });
  return masked;
}

/** Logs a masked error (maskUnexpectedError) once, under the id of the request it was answered to. */
export function logMaskedError(masked: GraphQLError, requestId: string | undefined): void {
  const waiting = waitingToBeLogged.get(masked);
  if (!waiting) return;
  waitingToBeLogged.delete(masked);
  logEvent('error', 'unexpected_error', { requestId, service: 'gateway', errorId: waiting.errorId, error: waiting.error });
}

/** Logs the full error once, as one JSON line (with the request's id), and returns the id the client is given. */
export function logUnexpectedError(error: Record<string, unknown>, requestId?: string): string {
  const errorId = randomUUID();
  logEvent('error', 'unexpected_error', { requestId, service: 'gateway', errorId, error });
  return errorId;
}
