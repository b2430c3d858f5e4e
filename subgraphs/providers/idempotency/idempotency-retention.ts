/**
 * Expired Idempotency-Keys go (lib/retention.ts runs it): a key is kept until its own `expires_at`
 * (set when it was claimed), and nothing reads it afterwards. Kept apart from the store so the
 * store's design can change without touching the cleanup.
 */
import type { SubgraphEM } from '../../../lib/orm';
import type { RetentionTask } from '../../../lib/retention';
import { IdempotencyKey } from './idempotency-key.entity';

export async function deleteExpiredIdempotencyKeys(em: SubgraphEM, now: Date, limit: number): Promise<number> {
  const expired = await em.find(IdempotencyKey, { expiresAt: { $lt: now } }, { fields: ['scope', 'key'], limit, disableIdentityMap: true });
  if (expired.length === 0) return 0;
  return em.nativeDelete(IdempotencyKey, { $or: expired.map(({ scope, key }) => ({ scope, key })), expiresAt: { $lt: now } });
}

export const idempotencyRetentionTask: RetentionTask = {
  table: 'idempotency_key',
  cutoff: (now) => now,
  deleteBatch: deleteExpiredIdempotencyKeys,
};
