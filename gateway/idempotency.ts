/**
 * Safe retries: every mutation honours an `Idempotency-Key` header (docs/integrations.md, "Safe retries").
 * The first request with a key runs and its answer is kept; a retry with the same key and the same
 * operation and variables gets that answer again (header `idempotent-replayed: true`) without
 * running anything; the same key with another operation or other variables is
 * IDEMPOTENCY_KEY_REUSED (HTTP 422); a retry while the first still runs is IDEMPOTENCY_KEY_IN_USE
 * (HTTP 409, retry shortly), so two requests with one key never both run. Keys belong to one caller
 * (the verified identity): another caller's same key is another key.
 *
 * The keys live in the providers subgraph's database for 24 hours (lib/idempotency.ts says why
 * there), so gateway replicas and restarts agree. Hand-written: Hive Gateway has no idempotency
 * plugin, and its response cache skips mutations by design. Answers that say nothing about whether
 * the mutation ran (a failed or timed-out subgraph, an HTTP error) are not kept: the key is given
 * up and a retry runs afresh. Queries ignore the header (they change nothing).
 */
import { createHash } from 'node:crypto';
import { getOperationAST, parse } from 'graphql';
import type { Identity } from '../lib/identity';
import {
  IDEMPOTENCY_CLAIM_PATH,
  IDEMPOTENCY_COMPLETE_PATH,
  IDEMPOTENCY_RELEASE_PATH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type ClaimAnswer,
  type IdempotencyClaim,
  type StoredAnswer,
} from '../lib/idempotency';
import type { SubgraphRequestSigner } from './subgraph-signer';

export interface IdempotencyStore {
  claim(claim: IdempotencyClaim): Promise<ClaimAnswer>;
  complete(claim: IdempotencyClaim, answer: StoredAnswer): Promise<void>;
  release(claim: IdempotencyClaim): Promise<void>;
}

/** The store could not be asked: the mutation is not run without its key's protection. */
export class IdempotencyStoreUnavailable extends Error {}

/** The store over the providers subgraph's signed internal routes. */
export function createIdempotencyStore(options: { providersUrl: string; sign: SubgraphRequestSigner; timeoutMs: number }): IdempotencyStore {
  async function post<T>(path: string, payload: object): Promise<T> {
    const url = new URL(path, options.providersUrl).toString();
    const body = JSON.stringify(payload);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.sign(url, 'POST', body) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as T;
    } catch (error) {
      throw new IdempotencyStoreUnavailable(`the providers subgraph did not answer ${path} (${error instanceof Error ? error.message : error})`);
    }
  }
  return {
    claim: (claim) => post<ClaimAnswer>(IDEMPOTENCY_CLAIM_PATH, claim),
    complete: async (claim, answer) => void (await post(IDEMPOTENCY_COMPLETE_PATH, { ...claim, ...answer })),
    release: async (claim) => void (await post(IDEMPOTENCY_RELEASE_PATH, claim)),
  };
}

/** Whose key it is: the verified caller (an API key's provider and key, a token's role and subject). */
export function idempotencyScope(identity: Identity): string {
  switch (identity.role) {
    case 'anonymous':
      return 'anonymous';
    case 'provider':
      return `provider:${identity.provider}:${identity.sub}`;
    default:
      return `${identity.role}:${identity.sub}`;
  }
}

/** Why a header value cannot be a key, or undefined. */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`;
  if (!/^[\x21-\x7e]+$/.test(key)) return 'must be printable ASCII without spaces (a UUID is a good key)';
  return undefined;
}

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

export interface GraphQLRequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** The fingerprint of a request: its operation (the document and which operation of it) and variables. */
export const requestFingerprint = (body: GraphQLRequestBody) =>
  createHash('sha256')
    .update(canonical({ query: body.query ?? null, operationName: body.operationName ?? null, variables: body.variables ?? {} }))
    .digest('hex');

/** Whether the request runs a mutation; false for anything that is no readable document (the engine answers it). */
export function isMutation(body: GraphQLRequestBody): boolean {
  if (typeof body.query !== 'string') return false;
  try {
    const operation = getOperationAST(parse(body.query), typeof body.operationName === 'string' ? body.operationName : undefined);
    return operation?.operation === 'mutation';
  } catch {
    return false;
  }
}

/** Error codes in an answer that leave open whether the mutation ran: such answers are not kept. */
const INCONCLUSIVE = new Set([
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_ERROR_ANSWER',
  'SUBGRAPH_ANSWER_TOO_LARGE',
  'DIRECTORY_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'REQUEST_DEADLINE_EXCEEDED',
]);

/** Whether an answer is the mutation's outcome (kept for retries) rather than a failure to learn it. */
export function isConclusive(status: number, body: Buffer): boolean {
  if (status !== 200) return false;
  try {
    const { errors } = JSON.parse(body.toString('utf8')) as { errors?: { extensions?: { code?: unknown } }[] };
    return !(errors ?? []).some((e) => INCONCLUSIVE.has(String(e.extensions?.code)));
  } catch {
    return false;
  }
}
