/**
 * The providers subgraph's store of Idempotency-Keys (lib/idempotency.ts says why here). A claim is
 * an INSERT on the (scope, key) primary key: of two concurrent first requests with one key, the
 * database lets exactly one insert, and the other is told the key is in use, so they never both run.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { badUserInput } from '../../../lib/errors';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENCY_LEASE_MS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type ClaimAnswer,
  type IdempotencyClaim,
  type StoredAnswer,
} from '../../../lib/idempotency';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { IdempotencyKey } from './idempotency-key.entity';

function claimOf(body: unknown): IdempotencyClaim {
  const { scope, key, fingerprint } = (body ?? {}) as Partial<IdempotencyClaim>;
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > 300) throw badUserInput('"scope" must be the caller');
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw badUserInput(`"key" must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  if (typeof fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint)) throw badUserInput('"fingerprint" must be a SHA-256 in hex');
  return { scope, key, fingerprint };
}

/** Claims the key for a first run, or says what became of it. Expired keys are removed on the way. */
export async function claimIdempotencyKey(orm: SubgraphORM, body: unknown, now = new Date()): Promise<ClaimAnswer> {
  const claim = claimOf(body);
  const em = orm.em.fork() as SubgraphEM;
  await em.nativeDelete(IdempotencyKey, { expiresAt: { $lt: now } });
  const existing = await em.findOne(IdempotencyKey, { scope: claim.scope, key: claim.key });
  if (existing) {
    if (existing.fingerprint !== claim.fingerprint) return { state: 'mismatch' };
    if (existing.status != null)
      return { state: 'done', status: existing.status, contentType: existing.contentType ?? 'application/json', body: existing.body ?? '' };
    // Its request ran past any deadline: the gateway that claimed it is gone; take the claim over.
    const abandoned = now.getTime() - new Date(existing.claimedAt).getTime() > IDEMPOTENCY_LEASE_MS;
    if (!abandoned) return { state: 'running' };
    const taken = await em.nativeUpdate(
      IdempotencyKey,
      { scope: claim.scope, key: claim.key, claimedAt: existing.claimedAt, status: null },
      { claimedAt: now },
    );
    return taken === 1 ? { state: 'claimed' } : { state: 'running' };
  }
  try {
    await em.insert(IdempotencyKey, {
      ...claim,
      claimedAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      status: null,
      contentType: null,
      body: null,
    });
    return { state: 'claimed' };
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return { state: 'running' };
    throw error;
  }
}

/** Stores the first answer: every later request with the key (and the same operation) gets it. */
export async function completeIdempotencyKey(orm: SubgraphORM, body: unknown): Promise<{ ok: true }> {
  const claim = claimOf(body);
  const answer = body as StoredAnswer;
  if (!Number.isInteger(answer.status) || typeof answer.contentType !== 'string' || typeof answer.body !== 'string')
    throw badUserInput('the answer needs status, contentType and body');
  const em = orm.em.fork() as SubgraphEM;
  await em.nativeUpdate(
    IdempotencyKey,
    { scope: claim.scope, key: claim.key, fingerprint: claim.fingerprint },
    { status: answer.status, contentType: answer.contentType.slice(0, 200), body: answer.body },
  );
  return { ok: true };
}

/** Gives the key up (its request failed before it had an answer worth keeping): a retry runs afresh. */
export async function releaseIdempotencyKey(orm: SubgraphORM, body: unknown): Promise<{ ok: true }> {
  const claim = claimOf(body);
  const em = orm.em.fork() as SubgraphEM;
  await em.nativeDelete(IdempotencyKey, { scope: claim.scope, key: claim.key, fingerprint: claim.fingerprint, status: null });
  return { ok: true };
}
