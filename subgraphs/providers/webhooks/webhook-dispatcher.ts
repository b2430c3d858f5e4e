/**
 * The background worker that delivers webhooks, in the providers subgraph's process: every poll
 * interval it takes the due head of each endpoint's queue (the oldest PENDING delivery: one at a
 * time per endpoint, so an endpoint hears of events in the order they happened), sends it, and
 * writes the outcome into the delivery's row. No request waits for it.
 *
 * All state is in the database, so deliveries survive a restart. Replicas share the work by lease:
 * a dispatcher claims a delivery with one conditional UPDATE (`where lease_until is null or
 * lease_until < now`), which only one of several concurrent claimers can win on PostgreSQL and
 * SQLite alike; a replica that dies mid-attempt leaves a lease that expires, and another takes over
 * (at least once). A hand-written loop rather than a job-queue package: the queue is the delivery
 * log the providers read, in the subgraph's own database, with no broker to run beside it.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookSettings } from '../../../lib/config';
import { logEvent } from '../../../lib/log';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { WebhookDeliveryStatus } from './webhook-event-type';
import { isDelivered, nextAttemptAt } from './webhook-rules';
import { sendDelivery } from './webhook-sender';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent, type WebhookDeliveryAttempt } from './webhook.entities';

/** Most deliveries attempted at once by one dispatcher (each to a different endpoint). */
const BATCH = 16;

export interface WebhookDispatcher {
  /** Looks for due deliveries now, instead of at the next poll (after a change that queued some). */
  wake(): void;
  close(): Promise<void>;
}

export function startWebhookDispatcher(orm: SubgraphORM, settings: WebhookSettings, clock: () => Date = () => new Date()): WebhookDispatcher {
  const owner = randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let failing = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, delay);
    timer.unref();
  };

  function run() {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let worked = true;
      // Work until nothing is due (a delivered head makes the next one of its endpoint due at once).
      while (worked && !stopped) {
        again = false;
        try {
          worked = (await dispatchDue(orm.em.fork() as SubgraphEM, owner, settings, clock)) > 0 || again;
          if (failing) logEvent('warn', 'webhook_dispatch_resumed', { service: 'providers', message: 'webhook dispatch works again' });
          failing = false;
        } catch (error) {
          // Once per outage (a database restarting fails every poll), not once per poll.
          if (!failing)
            logEvent('error', 'webhook_dispatch_failed', {
              service: 'providers',
              message: `${error instanceof Error ? error.message : String(error)}; retrying every poll, logged again when it works`,
            });
          failing = true;
          worked = false;
        }
      }
    })().finally(() => {
      running = undefined;
      schedule(settings.pollIntervalMs);
    });
  }

  schedule(0);
  return {
    wake: () => schedule(0),
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** One round: claims and attempts the due heads of the endpoints' queues; returns how many were attempted. */
export async function dispatchDue(em: SubgraphEM, owner: string, settings: WebhookSettings, clock: () => Date): Promise<number> {
  const heads: Array<{ id: number | string }> = await em.execute(
    `select min("id") as "id" from "webhook_delivery" where "status" = 'PENDING' group by "endpoint_id"`,
  );
  if (heads.length === 0) return 0;
  const now = clock();
  const due = await em.find(
    WebhookDelivery,
    { id: { $in: heads.map((h) => Number(h.id)) }, nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
    { orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: BATCH },
  );
  const attempted = await Promise.all(due.map((d) => claimAndAttempt(em.fork() as SubgraphEM, d.id, owner, settings, clock)));
  return attempted.filter(Boolean).length;
}

async function claimAndAttempt(em: SubgraphEM, id: number, owner: string, settings: WebhookSettings, clock: () => Date): Promise<boolean> {
  const claimedAt = clock();
  const claimed = await em.nativeUpdate(
    WebhookDelivery,
    { id, status: WebhookDeliveryStatus.PENDING, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: claimedAt } }] },
    { leaseUntil: new Date(claimedAt.getTime() + settings.leaseMs), leaseOwner: owner },
  );
  // Another dispatcher (another replica) claimed it first.
  if (claimed === 0) return false;
  const delivery = await em.findOneOrFail(WebhookDelivery, { id });
  const [endpoint, event] = await Promise.all([em.findOne(WebhookEndpoint, { id: delivery.endpointId }), em.findOne(WebhookEvent, { id: delivery.eventId })]);
  // The endpoint was removed meanwhile: its deliveries went with it.
  if (!endpoint || !event) return false;
  const at = clock();
  const result = await sendDelivery({ url: endpoint.url, secret: endpoint.secret, messageId: event.id, body: event.body, at }, settings);
  const delivered = isDelivered(result.responseStatus);
  const attempts = delivery.attempts + 1;
  const error = delivered ? null : (result.error ?? `the endpoint answered HTTP ${result.responseStatus}`);
  const attempt: WebhookDeliveryAttempt = { at: at.toISOString(), responseStatus: result.responseStatus, error };
  const next = delivered ? null : nextAttemptAt(attempts, at, settings.retryScheduleMs);
  const status = delivered ? WebhookDeliveryStatus.DELIVERED : next ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED;
  // Only while the lease is still ours: if it ran out and another dispatcher took over, its outcome counts.
  await em.nativeUpdate(
    WebhookDelivery,
    { id, leaseOwner: owner },
    {
      status,
      attempts,
      attemptLog: [...delivery.attemptLog, attempt],
      lastResponseStatus: result.responseStatus,
      nextAttemptAt: next,
      deliveredAt: delivered ? clock() : null,
      leaseUntil: null,
      leaseOwner: null,
    },
  );
  logEvent(delivered ? 'info' : 'warn', delivered ? 'webhook_delivered' : 'webhook_attempt_failed', {
    service: 'providers',
    delivery: id,
    endpoint: endpoint.id,
    event: event.id,
    attempt: attempts,
    responseStatus: result.responseStatus,
    error,
    status,
  });
  return true;
}
