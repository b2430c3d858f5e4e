/**
 * Retention: each subgraph deletes, in the background, the rows that only grow with use (the
 * webhook delivery log, the outboxes, the access-code log, expired idempotency keys) once they are
 * older than their period (RETENTION_* settings, docs/operations.md "Retention").
 *
 * Replicas do not fight: a run first takes the subgraph's cleanup lease, one conditional write to
 * the `cleanup_lease` row that only one replica can win until the lease runs out (the same pattern
 * as the webhook dispatcher's claims, on PostgreSQL and SQLite alike); the others skip that run.
 * Deletes go in batches of BATCH rows, each its own statement, so no run holds a long lock or one
 * huge transaction, and a run ends after MAX_BATCHES per table (the next run goes on). A
 * hand-written loop: a scheduler package would add a dependency for one hourly timer.
 */
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { RetentionSettings } from './config';
import { logEvent } from './log';
import type { SubgraphEM, SubgraphORM } from './orm';

/** Rows deleted by one statement. */
export const BATCH = 500;
/** Statements per table and run: at most 100,000 rows, then the next run goes on. */
const MAX_BATCHES = 200;
const DAY_MS = 86_400_000;

/** Who cleans up a subgraph's database now, until when. One row per subgraph (its `name`). */
@Entity({ tableName: 'cleanup_lease' })
export class CleanupLease {
  @PrimaryKey({ type: 'string', length: 60 })
  name!: string;

  @Property({ length: 36 })
  owner!: string;

  @Property({ type: 'datetime' })
  leaseUntil!: Date;
}

/** One kind of row to clean up: deletes up to `limit` rows older than `cutoff`, returns how many it deleted. */
export interface RetentionTask {
  /** The table (named in the log). */
  table: string;
  /** The cutoff for a run at `now` (its retention period before it). */
  cutoff(now: Date): Date;
  deleteBatch(em: SubgraphEM, cutoff: Date, limit: number): Promise<number>;
}

/** A cutoff `days` before `now`. */
export const daysBefore = (days: number) => (now: Date) => new Date(now.getTime() - days * DAY_MS);

/** Takes the lease named `name` for `ms` unless another owner holds it; true: ours. */
export async function takeCleanupLease(em: SubgraphEM, name: string, owner: string, now: Date, ms: number): Promise<boolean> {
  const until = new Date(now.getTime() + ms);
  try {
    await em.insert(CleanupLease, { name, owner, leaseUntil: until });
    return true;
  } catch (error) {
    // The row exists (another replica made it, or an earlier run): take it only when it ran out.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  const taken = await em.nativeUpdate(CleanupLease, { name, $or: [{ leaseUntil: { $lt: now } }, { owner }] }, { owner, leaseUntil: until });
  return taken > 0;
}

/** One run over `tasks` (when the lease is ours): rows deleted per table; null when another replica holds the lease. */
export async function runRetention(
  orm: SubgraphORM,
  options: { name: string; owner: string; tasks: readonly RetentionTask[]; now: Date; leaseMs: number },
): Promise<Record<string, number> | null> {
  if (!(await takeCleanupLease(orm.em.fork() as SubgraphEM, options.name, options.owner, options.now, options.leaseMs))) return null;
  const deleted: Record<string, number> = {};
  for (const task of options.tasks) {
    const cutoff = task.cutoff(options.now);
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const n = await task.deleteBatch(orm.em.fork() as SubgraphEM, cutoff, BATCH);
      total += n;
      if (n < BATCH) break;
    }
    deleted[task.table] = total;
  }
  return deleted;
}

export interface RetentionCleanup {
  /** One run now (tests, and the timer). */
  runNow(now?: Date): Promise<Record<string, number> | null>;
  close(): Promise<void>;
}

/** Runs the subgraph's cleanup every `settings.intervalMs`, the first run a minute after start (not in the way of starting up); 0: only by runNow. */
export function startRetentionCleanup(
  orm: SubgraphORM,
  options: { service: string; tasks: readonly RetentionTask[]; settings: RetentionSettings; clock?: () => Date },
): RetentionCleanup {
  const owner = randomUUID();
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let running: Promise<unknown> | undefined;
  const runNow = async (now = clock()) => {
    // The lease outlasts a run by far and ends before the next one.
    const deleted = await runRetention(orm, { name: options.service, owner, tasks: options.tasks, now, leaseMs: options.settings.intervalMs / 2 });
    if (deleted) logEvent('info', 'retention_cleanup', { service: options.service, deleted });
    return deleted;
  };
  const tick = () => {
    if (stopped) return;
    running = runNow()
      .catch((error) =>
        logEvent('warn', 'retention_cleanup_failed', { service: options.service, message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  // intervalMs 0: no timer (test stacks run their cleanups by hand, so no request's statements include one).
  const interval = options.settings.intervalMs;
  const first = interval > 0 ? setTimeout(tick, Math.min(60_000, interval)) : undefined;
  const every = interval > 0 ? setInterval(tick, interval) : undefined;
  first?.unref();
  every?.unref();
  return {
    runNow,
    async close() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
