/**
 * Safe retries (`Idempotency-Key`): what the gateway, which honours the header for every mutation,
 * and the providers subgraph, which keeps the keys in its database, agree on.
 *
 * Why there: the gateway has no database, and a key must hold across gateway replicas and restarts
 * (Redis is not "the database", and may be absent). Keeping the keys per subgraph would not do
 * either: a mutation's answer is the gateway's composition of several subgraphs' answers, and
 * the request as a whole is what is replayed. So the gateway claims the key before it runs the
 * mutation and stores the answer after, through signed internal routes of the providers subgraph
 * (the same channel as /api-key-identity and /directory-version).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** On an answer replayed from the store. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_CLAIM_PATH = '/idempotency/claim';
export const IDEMPOTENCY_COMPLETE_PATH = '/idempotency/complete';
export const IDEMPOTENCY_RELEASE_PATH = '/idempotency/release';

/** Keys are kept at least this long after their first use. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim not completed within this time is considered abandoned (its gateway died mid-request) and
 * may be claimed again: longer than any request may run (REQUEST_DEADLINE_MS, 30 s by default).
 */
export const IDEMPOTENCY_LEASE_MS = 5 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface IdempotencyClaim {
  /** The caller the key belongs to (the verified identity). */
  scope: string;
  key: string;
  /** SHA-256 of the operation and its variables. */
  fingerprint: string;
}

export interface StoredAnswer {
  status: number;
  contentType: string;
  /** base64 of the answer's bytes. */
  body: string;
}

export type ClaimAnswer = { state: 'claimed' } | { state: 'running' } | { state: 'mismatch' } | ({ state: 'done' } & StoredAnswer);
