/**
 * The providers' end of the license event relay (lib/license-event-relay.ts): each event the
 * licenses subgraph sends is recorded once, by its id, with its deliveries, in one transaction per
 * event. A repeat (the relay is at least once: a lost answer, two replicas) finds the id and
 * records nothing; a malformed event is refused for good and named.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { RelayAnswer, RelayedLicenseEvent } from '../../../lib/license-event-relay';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { LICENSE_EVENT_TYPES, type WebhookEventType } from './webhook-event-type';
import { recordWebhookEvent } from './webhook-outbox';
import { WebhookEvent } from './webhook.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BATCH = 500;

/** Why a relayed event cannot be recorded, or null. */
export function relayedEventProblem(event: Partial<RelayedLicenseEvent>): string | null {
  if (typeof event.id !== 'string' || !UUID.test(event.id)) return 'id must be a UUID';
  if (!LICENSE_EVENT_TYPES.includes(event.type as WebhookEventType)) return `type must be one of ${LICENSE_EVENT_TYPES.join(', ')}`;
  if (typeof event.licenseKey !== 'string' || event.licenseKey === '' || event.licenseKey.length > 100) return 'licenseKey must be a license key';
  if (!Array.isArray(event.providerIds) || !event.providerIds.every((p) => typeof p === 'string' && p !== '' && p.length <= 100))
    return 'providerIds must be a list of provider ids';
  if (!event.payload || typeof event.payload !== 'object' || Array.isArray(event.payload)) return 'payload must be a JSON object';
  if (typeof event.occurredAt !== 'string' || Number.isNaN(Date.parse(event.occurredAt))) return 'occurredAt must be an ISO 8601 instant';
  return null;
}

export async function takeLicenseEvents(orm: SubgraphORM, body: unknown, onRecorded: () => void): Promise<RelayAnswer> {
  const events = (body as { events?: unknown })?.events;
  if (!Array.isArray(events) || events.length > MAX_BATCH)
    throw Object.assign(new Error(`the body must be {"events": [...]} with at most ${MAX_BATCH} events`), { status: 400 });
  const answer: RelayAnswer = { recorded: [], refused: [] };
  let queued = false;
  // In the order sent (the licenses outbox's order): deliveries queue in that order per endpoint.
  for (const event of events as Partial<RelayedLicenseEvent>[]) {
    const problem = relayedEventProblem(event ?? {});
    if (problem) {
      answer.refused.push({ id: String(event?.id ?? ''), reason: problem });
      continue;
    }
    const e = event as RelayedLicenseEvent;
    const em = orm.em.fork() as SubgraphEM;
    try {
      await em.transactional(async (tx) => {
        if (await tx.count(WebhookEvent, { id: e.id })) return;
        await recordWebhookEvent(tx as SubgraphEM, {
          id: e.id,
          type: e.type as WebhookEventType,
          providerIds: e.providerIds,
          data: { licenseKey: e.licenseKey, ...e.payload },
          occurredAt: new Date(e.occurredAt),
        });
        queued = true;
      });
    } catch (error) {
      // Another replica recorded the same event at the same moment: it is recorded, once.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    answer.recorded.push(e.id);
  }
  if (queued) onRecorded();
  return answer;
}
