/**
 * Hands the outbox's events (license-events.ts) to the providers subgraph, which delivers the
 * webhooks: every poll interval, the oldest unrelayed events, in the order they happened, in one
 * signed POST (lib/license-event-relay.ts); those the providers subgraph confirms are marked
 * relayed. At least once: an answer lost on the way means the same events are sent again, and the
 * providers subgraph records each id once. Several replicas may relay the same events at the same
 * time for the same reason, harmlessly. A hand-written loop: it is one query and one POST.
 */
import type { WebhookSettings } from '../../../lib/config';
import { postLicenseEvents } from '../../../lib/license-event-relay';
import { logEvent } from '../../../lib/log';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { LicenseEvent } from './license-event.entity';

const BATCH = 100;

export interface LicenseEventRelay {
  close(): Promise<void>;
}

export function startLicenseEventRelay(orm: SubgraphORM, options: { providersUrl: string; secret?: string; settings: WebhookSettings }): LicenseEventRelay {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  let failing = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = relayPending(orm.em.fork() as SubgraphEM, options)
        .then(
          (relayed) => {
            if (failing) logEvent('warn', 'license_event_relay_resumed', { service: 'licenses', message: 'relaying license events works again' });
            failing = false;
            // A full batch: more are waiting; go on at once.
            if (relayed === BATCH && !stopped) return relayPending(orm.em.fork() as SubgraphEM, options).then(() => undefined);
          },
          (error) => {
            // Once per outage (the database or the providers subgraph away fails every poll), not once per poll.
            if (!failing)
              logEvent('warn', 'license_event_relay_failed', {
                service: 'licenses',
                message: `${error instanceof Error ? error.message : String(error)}; retrying every poll, logged again when it works`,
              });
            failing = true;
          },
        )
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, options.settings.pollIntervalMs);
    timer.unref();
  };
  schedule();
  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** One round: sends the oldest unrelayed events and marks those the providers subgraph has; returns how many were sent. */
export async function relayPending(em: SubgraphEM, options: { providersUrl: string; secret?: string; settings: WebhookSettings }): Promise<number> {
  const events = await em.find(LicenseEvent, { relayedAt: null }, { orderBy: { occurredAt: 'asc', id: 'asc' }, limit: BATCH });
  if (events.length === 0) return 0;
  const answer = await postLicenseEvents(
    options.providersUrl,
    events.map((e) => ({
      id: e.id,
      type: e.type,
      licenseKey: e.licenseKey,
      providerIds: e.providerIds,
      payload: e.payload,
      occurredAt: new Date(e.occurredAt).toISOString(),
    })),
    { secret: options.secret, timeoutMs: options.settings.timeoutMs },
  );
  for (const refusal of answer.refused) logEvent('error', 'license_event_refused', { service: 'licenses', event: refusal.id, reason: refusal.reason });
  const done = [...answer.recorded, ...answer.refused.map((r) => r.id)];
  if (done.length) await em.nativeUpdate(LicenseEvent, { id: { $in: done }, relayedAt: null }, { relayedAt: new Date() });
  return events.length;
}
