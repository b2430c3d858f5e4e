/**
 * The background worker that delivers webhooks, in the providers subgraph's process. It keeps up to
 * CONCURRENCY attempts in flight, each to a different endpoint: whenever one ends (and every poll
 * interval, and when woken) it takes more due heads of the endpoints' queues (the oldest PENDING
 * delivery of each enabled endpoint: one at a time per endpoint, so an endpoint hears of events in
 * the order they happened), sends them, and writes each outcome into the delivery's row. A slow
 * endpoint holds only its own queue: the others' deliveries go on beside its attempt (an attempt
 * lasts at most WEBHOOK_TIMEOUT_MS). No request waits for it.
 *
 * A replay (replayWebhookDelivery) is not part of the queue's order: it goes out at once, beside the
 * head, so a provider can resend an old event while the queue is held (docs/webhooks.md).
 *
 * After each attempt the endpoint's run of failures is updated, and the rules (webhook-rules.ts)
 * decide whether it is disabled now: `410 Gone` at once, otherwise after failing for the disable
 * period. A disabled endpoint's deliveries wait, PENDING, until its provider enables it again; the
 * disabling is logged (`webhook_endpoint_disabled`) and shown on the endpoint (API and portal).
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
import { disableReason, healthAfterAttempt, isDelivered, nextAttemptAt, retryAfterMs } from './webhook-rules';
import { sendDelivery } from './webhook-sender';
import { webhookSigningSecrets } from './webhook-secret';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent, type WebhookDeliveryAttempt } from './webhook.entities';

/** Most attempts in flight at once in one dispatcher (each to a different endpoint). */
const CONCURRENCY = 16;

export interface WebhookDispatcher {
  /** Looks for due deliveries now, instead of at the next poll (after a change that queued some). */
  wake(): void;
  close(): Promise<void>;
}

export function startWebhookDispatcher(orm: SubgraphORM, settings: WebhookSettings, clock: () => Date = () => new Date()): WebhookDispatcher {
  const owner = randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let looking: Promise<void> | undefined;
  let again = false;
  /** The attempts in flight: delivery id → endpoint id. */
  const inFlight = new Map<number, string>();
  const attempts = new Set<Promise<void>>();
  let failing = false;

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(look, delay);
    timer.unref();
  };

  /** Takes due heads while there is room, starting an attempt for each; attempts that end look again. */
  function look() {
    if (stopped) return;
    if (looking) {
      again = true;
      return;
    }
    looking = (async () => {
      do {
        again = false;
        const room = CONCURRENCY - inFlight.size;
        if (room <= 0) break;
        try {
          const due = await dueDeliveries(orm.em.fork() as SubgraphEM, clock(), room, new Set(inFlight.values()));
          if (failing) logEvent('warn', 'webhook_dispatch_resumed', { service: 'providers', message: 'webhook dispatch works again' });
          failing = false;
          for (const delivery of due) {
            if (stopped || inFlight.has(delivery.id)) continue;
            inFlight.set(delivery.id, delivery.endpointId);
            const attempt = claimAndAttempt(orm.em.fork() as SubgraphEM, delivery.id, owner, settings, clock)
              .catch((error) =>
                logEvent('error', 'webhook_dispatch_failed', { service: 'providers', message: error instanceof Error ? error.message : String(error) }),
              )
              .then(() => {
                inFlight.delete(delivery.id);
                attempts.delete(attempt);
                // The endpoint's next delivery may be due now; room for another endpoint's too.
                look();
              });
            attempts.add(attempt);
          }
        } catch (error) {
          // Once per outage (a database restarting fails every poll), not once per poll.
          if (!failing)
            logEvent('error', 'webhook_dispatch_failed', {
              service: 'providers',
              message: `${error instanceof Error ? error.message : String(error)}; retrying every poll, logged again when it works`,
            });
          failing = true;
        }
      } while (again && !stopped);
    })().finally(() => {
      looking = undefined;
      schedule(settings.pollIntervalMs);
    });
  }

  schedule(0);
  return {
    wake: () => schedule(0),
    async close() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.all([...attempts]);
    },
  };
}

/**
 * The deliveries due now, at most `limit`, none to the endpoints in `busy`: the head of each enabled
 * endpoint's queue (its oldest PENDING delivery that is no replay) and every PENDING replay, whose
 * next attempt is due and that no dispatcher holds. The oldest due first.
 */
export async function dueDeliveries(em: SubgraphEM, now: Date, limit: number, busy: ReadonlySet<string> = new Set()): Promise<WebhookDelivery[]> {
  const candidates: Array<{ id: number | string }> = await em.execute(
    `select min(d."id") as "id" from "webhook_delivery" d join "webhook_endpoint" e on e."id" = d."endpoint_id"
       where d."status" = 'PENDING' and d."replay_of" is null and e."disabled_at" is null group by d."endpoint_id"
     union all
     select d."id" from "webhook_delivery" d join "webhook_endpoint" e on e."id" = d."endpoint_id"
       where d."status" = 'PENDING' and d."replay_of" is not null and e."disabled_at" is null`,
  );
  if (candidates.length === 0) return [];
  const due = await em.find(
    WebhookDelivery,
    { id: { $in: candidates.map((h) => Number(h.id)) }, nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
    { orderBy: { nextAttemptAt: 'asc', id: 'asc' } },
  );
  // One attempt per endpoint at a time: the head before a replay of the same endpoint.
  const taken = new Set(busy);
  const chosen: WebhookDelivery[] = [];
  for (const delivery of due) {
    if (taken.has(delivery.endpointId)) continue;
    taken.add(delivery.endpointId);
    chosen.push(delivery);
    if (chosen.length === limit) break;
  }
  return chosen;
}

/** One round without the worker (tests, tools): claims and attempts the due deliveries together; returns how many were attempted. */
export async function dispatchDue(em: SubgraphEM, owner: string, settings: WebhookSettings, clock: () => Date): Promise<number> {
  const due = await dueDeliveries(em, clock(), CONCURRENCY);
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
  if (endpoint.disabledAt) {
    // Disabled since the delivery was found: it waits, unattempted, for the endpoint to be enabled.
    await em.nativeUpdate(WebhookDelivery, { id, leaseOwner: owner }, { leaseUntil: null, leaseOwner: null });
    return false;
  }
  const at = clock();
  const result = await sendDelivery(
    { url: endpoint.url, secrets: webhookSigningSecrets(settings, endpoint, at), messageId: event.id, body: event.body, at },
    settings,
  );
  const delivered = isDelivered(result.responseStatus);
  const attempts = delivery.attempts + 1;
  const error = delivered ? null : (result.error ?? `the endpoint answered HTTP ${result.responseStatus}`);
  const attempt: WebhookDeliveryAttempt = { at: at.toISOString(), responseStatus: result.responseStatus, error };
  const next = delivered ? null : nextAttemptAt(attempts, at, settings.retryScheduleMs, retryAfterMs(result.retryAfter, at));
  const status = delivered ? WebhookDeliveryStatus.DELIVERED : next ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED;
  // Only while the lease is still ours: if it ran out and another dispatcher took over, its outcome counts.
  const written = await em.nativeUpdate(
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
  const health = healthAfterAttempt({ failingSince: endpoint.failingSince ?? null, consecutiveFailures: endpoint.consecutiveFailures ?? 0 }, delivered, at);
  const disabled = written ? disableReason(health, result.responseStatus, at, settings.disablePolicy) : null;
  if (written)
    await em.nativeUpdate(
      WebhookEndpoint,
      // Not over an enabling or a disabling that happened meanwhile.
      { id: endpoint.id, disabledAt: null },
      { ...health, ...(disabled ? { disabledAt: at, disabledReason: disabled } : {}) },
    );
  logEvent(delivered ? 'info' : 'warn', delivered ? 'webhook_delivered' : 'webhook_attempt_failed', {
    service: 'providers',
    delivery: id,
    endpoint: endpoint.id,
    event: event.id,
    attempt: attempts,
    responseStatus: result.responseStatus,
    retryAfter: result.retryAfter,
    error,
    status,
  });
  if (disabled)
    // The owner's notice: the endpoint shows it (disabledAt, disabledReason) in the API and the portal.
    logEvent('warn', 'webhook_endpoint_disabled', {
      service: 'providers',
      endpoint: endpoint.id,
      provider: endpoint.providerId,
      url: endpoint.url,
      reason: disabled,
    });
  return true;
}
