/**
 * Safe retries, the gateway's half (docs/integrations.md "Safe retries"): every mutation honours an
 * `Idempotency-Key` header. The key is settled by the subgraph that runs the mutation, in the
 * change's own transaction (lib/idempotent-mutations.ts; lib/idempotency.ts says why there); the
 * gateway only
 * - refuses a header that is no key (IDEMPOTENCY_KEY_INVALID, HTTP 400; the front door, before anything runs);
 * - once the operation is known, however it came (document text, an automatic persisted query's
 *   hash, a trusted document's id; a body of any length or chunked), and if it is a mutation,
 *   computes the request's fingerprint (the document, which operation of it, the variables) and
 *   forwards key and fingerprint in the extensions of every subgraph request it signs
 *   (gateway/upstream/subgraph-fetch.ts), so no other caller can claim a key in someone's name;
 * - answers what the subgraphs said about the key with its HTTP status: IDEMPOTENCY_KEY_IN_USE
 *   (409, retry shortly), IDEMPOTENCY_KEY_REUSED (422), IDEMPOTENCY_ANSWER_LOST (409), and
 *   `idempotent-replayed: true` on a kept answer.
 * The gateway keeps nothing itself: whatever fails between it and a subgraph (a timeout, a lost
 * answer, a replica that stopped), the retry asks the subgraph, which knows whether the change was
 * made. Hand-written: Hive Gateway has no idempotency plugin. Queries ignore the header.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, parse, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDEMPOTENCY_EXTENSION, IDEMPOTENCY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotencyCode, type IdempotentRequest } from '../../lib/idempotency';
import { gatewayRequestOf } from '../http/access-log';

/** JSON with object keys sorted, so the same variables in another order are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The fingerprint of a request: its document (printed, so the same document sent as text, by hash
 * or by trusted id is one request), which operation of it, and its variables.
 */
export const requestFingerprint = (request: { document: DocumentNode | string; operationName?: string | null; variables?: unknown }) =>
  createHash('sha256')
    .update(
      canonical({
        document: print(typeof request.document === 'string' ? parse(request.document) : request.document),
        operationName: request.operationName ?? null,
        variables: request.variables ?? {},
      }),
    )
    .digest('hex');

/** A subgraph request's JSON body with the key and fingerprint added to its extensions. */
export function withIdempotentRequest(body: string, request: IdempotentRequest): string {
  const parsed = JSON.parse(body) as { extensions?: Record<string, unknown> };
  return JSON.stringify({ ...parsed, extensions: { ...parsed.extensions, [IDEMPOTENCY_EXTENSION]: request } });
}

/** The HTTP status (and headers) of an answer that carries one of the key's own codes. */
const STATUS: Record<string, { status: number; headers?: Record<string, string> }> = {
  [IdempotencyCode.INVALID]: { status: 400 },
  [IdempotencyCode.IN_USE]: { status: 409, headers: { 'retry-after': '1' } },
  [IdempotencyCode.ANSWER_LOST]: { status: 409 },
  [IdempotencyCode.REUSED]: { status: 422 },
};

export function useIdempotencyKeys(): GatewayPlugin {
  return {
    onExecute({ args }) {
      const req = (args.contextValue as { req?: IncomingMessage }).req;
      const record = gatewayRequestOf(req);
      const header = req?.headers[IDEMPOTENCY_HEADER];
      if (!record || header === undefined) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      // The front door refused a header that is no key.
      const key = Array.isArray(header) ? header.join(', ') : header;
      record.idempotency = {
        key,
        fingerprint: requestFingerprint({ document: args.document, operationName: args.operationName, variables: args.variableValues }),
      };
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const answer = result as ExecutionResult;
          const codes = (answer.errors ?? []).map((e) => String(e.extensions?.code));
          const refused = codes.map((code) => STATUS[code]).find(Boolean);
          const http = refused
            ? { status: refused.status, headers: refused.headers ?? {} }
            : record.idempotentReplayed
              ? { headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } }
              : undefined;
          if (http) setResult({ ...answer, extensions: { ...answer.extensions, http } });
        },
      };
    },
  };
}
