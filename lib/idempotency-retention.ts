/**
 * Expired Idempotency-Keys go (lib/retention.ts runs it in every subgraph that settles keys): a key
 * is kept until its own `expires_at` (set when it was claimed), and nothing reads it afterwards. A
 * claim also removes expired keys on its way (lib/idempotent-mutations.ts); this task is what
 * empties the table of a subgraph that sees no keyed mutation for a while, in batches.
 */
import type { SubgraphEM } from './orm';
import type { RetentionTask } from './retention';
import { IdempotencyRecord } from './idempotency-record.entity';

export async function deleteExpiredIdempotencyRecords(em: SubgraphEM, now: Date, limit: number): Promise<number> {
  const expired = await em.find(IdempotencyRecord, { expiresAt: { $lt: now } }, { fields: ['scope', 'keyHash'], limit, disableIdentityMap: true });
  if (expired.length === 0) return 0;
  return em.nativeDelete(IdempotencyRecord, { $or: expired.map(({ scope, keyHash }) => ({ scope, keyHash })), expiresAt: { $lt: now } });
}

export const idempotencyRetentionTask: RetentionTask = {
  table: 'idempotency_record',
  cutoff: (now) => now,
  deleteBatch: deleteExpiredIdempotencyRecords,
};
