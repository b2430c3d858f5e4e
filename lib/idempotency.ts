/**
 * Safe retries (`Idempotency-Key`): what the gateway, which reads the header, and the subgraphs,
 * which settle the key, agree on (docs/integrations.md "Safe retries").
 *
 * Where a key is settled: in the database of the subgraph that runs the mutation, in the same
 * transaction as the change (lib/idempotent-mutations.ts). Only there can "did it run?" be answered
 * after any failure between: a gateway that timed out, or lost the subgraph's answer, cannot know,
 * and a key it gave back would let the retry run the mutation a second time. The gateway forwards
 * the key and the request's fingerprint in the extensions of the subgraph request it signs; the
 * subgraph takes the caller (whose key it is) from the identity the gateway signed.
 */
import crypto from 'node:crypto';
import type { Identity } from './identity';
import { message, type Message } from './i18n/message';
import { openSealedSecret, sealedKeyId, sealSecret, derivedKey, secretKeyRing, SealedSecretUnreadable, type SecretKeyRing } from './secret-box';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** On an answer replayed from the kept one (the gateway's to the client, and a subgraph's to the gateway). */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** The subgraph request's `extensions` member that carries the key and fingerprint. */
export const IDEMPOTENCY_EXTENSION = 'idempotency';

/** The codes of the answers the key itself gives (not the mutation's). */
export const IdempotencyCode = {
  /** The header is no key (HTTP 400). */
  INVALID: 'IDEMPOTENCY_KEY_INVALID',
  /** The first request with the key still runs: retry shortly (HTTP 409). */
  IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** The key was used for another operation or other variables (HTTP 422). */
  REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request's change was made, but its answer was lost (the service stopped in between) (HTTP 409). */
  ANSWER_LOST: 'IDEMPOTENCY_ANSWER_LOST',
} as const;

/** Keys are kept at least this long after their first use. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A first run that has not committed after this long is taken to have died with its process, and a
 * retry may run instead. Safe even if it did not die: the commit of a run whose claim was taken over
 * is refused (lib/idempotent-mutations.ts), so the two never both change data. Longer than a
 * request may run through the gateway (REQUEST_DEADLINE_MS, 30 s by default).
 */
export const IDEMPOTENCY_LEASE_MS = 2 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** What the gateway forwards with a mutation: the client's key and its request's fingerprint. */
export interface IdempotentRequest {
  key: string;
  /** SHA-256 (hex) of the operation and its variables (gateway/shared-state/idempotency.ts). */
  fingerprint: string;
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
export function idempotencyKeyProblem(key: string): Message | undefined {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return message('idempotency.keyLength', { max: MAX_IDEMPOTENCY_KEY_LENGTH });
  if (!/^[\x21-\x7e]+$/.test(key)) return message('idempotency.keyCharacters');
  return undefined;
}

/** The request a subgraph was sent, if it carries a well-formed key and fingerprint; a malformed one is an error. */
export function idempotentRequestOf(extensions: Record<string, unknown> | undefined): IdempotentRequest | undefined {
  const value = extensions?.[IDEMPOTENCY_EXTENSION];
  if (value === undefined) return undefined;
  const { key, fingerprint } = (value ?? {}) as Partial<IdempotentRequest>;
  if (typeof key !== 'string' || idempotencyKeyProblem(key)) throw new Error('extensions.idempotency.key must be an Idempotency-Key');
  if (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint)) throw new Error('extensions.idempotency.fingerprint must be a SHA-256 in hex');
  return { key, fingerprint };
}

/** What a key is stored under: its SHA-256, never the key, which is half of what opens the kept answer. */
export const idempotencyKeyHash = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

const ANSWER_PURPOSE = 'onyx idempotency answer v1';

/**
 * The ring's keys, each mixed with the client's Idempotency-Key (HKDF salt): a kept answer opens
 * only with a server key (not in the database) and the client's key (stored only as a hash).
 */
function answerRing(ring: SecretKeyRing, key: string, only?: string): SecretKeyRing {
  const ids = only ? [only] : [ring.current.id];
  return secretKeyRing(
    ids.map((id) => {
      const serverKey = ring.byId.get(id);
      if (!serverKey) throw new SealedSecretUnreadable(`sealed with key "${id}", which is not in the key ring`);
      return [id, derivedKey(serverKey, ANSWER_PURPOSE, key)] as const;
    }),
  );
}

/** The row a kept answer belongs to: copied into another row, it does not open. */
const answerBinding = (scope: string, request: IdempotentRequest) => `${scope}\n${idempotencyKeyHash(request.key)}\n${request.fingerprint}`;

export function sealKeptAnswer(ring: SecretKeyRing, scope: string, request: IdempotentRequest, answer: string): string {
  return sealSecret(answer, answerRing(ring, request.key), answerBinding(scope, request));
}

/** The kept answer; SealedSecretUnreadable when its server key left the ring (or it was changed). */
export function openKeptAnswer(ring: SecretKeyRing, scope: string, request: IdempotentRequest, sealed: string): string {
  const id = sealedKeyId(sealed);
  if (!id) throw new SealedSecretUnreadable('not a sealed value');
  return openSealedSecret(sealed, answerRing(ring, request.key, id), answerBinding(scope, request)).toString('utf8');
}
