/**
 * Writing events to tell (the outbox). recordWebhookEvent runs inside the transaction of the change
 * it tells of (setProviderActive, withdrawOffer) or of the relay that brings a license event in, and
 * queues one delivery per subscribed endpoint right there: an event exists exactly when its change
 * does, and an endpoint registered later does not hear of what happened before it.
 */
import { randomUUID } from 'node:crypto';
import type { SubgraphEM } from '../../../lib/orm';
import { WebhookDeliveryStatus, type WebhookEventType } from './webhook-event-type';
import { subscribedEndpoints, webhookBody } from './webhook-rules';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entities';

export interface WebhookEventRecord {
  /** Default: a new UUID. Relayed events keep the id they were given (the relay is idempotent by it). */
  id?: string;
  type: WebhookEventType;
  providerIds: string[];
  /** The body's `data`. */
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** Records the event and queues its deliveries in `em`'s transaction; returns the event id. */
export async function recordWebhookEvent(em: SubgraphEM, event: WebhookEventRecord, now = new Date()): Promise<string> {
  const id = event.id ?? randomUUID();
  const providerIds = [...new Set(event.providerIds)];
  await em.insert(WebhookEvent, {
    id,
    type: event.type,
    providerIds,
    body: webhookBody(event.type, event.occurredAt, event.data),
    occurredAt: event.occurredAt,
    recordedAt: now,
  });
  const candidates = providerIds.length
    ? await em.find(WebhookEndpoint, { providerId: { $in: providerIds } }, { orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  for (const endpoint of subscribedEndpoints(candidates, { type: event.type, providerIds })) {
    await em.insert(WebhookDelivery, newDelivery(endpoint.id, id, event.type, now));
  }
  return id;
}

/** A delivery due now, never attempted. */
export function newDelivery(endpointId: string, eventId: string, eventType: WebhookEventType, now: Date, replayOf: number | null = null) {
  return {
    endpointId,
    eventId,
    eventType,
    status: WebhookDeliveryStatus.PENDING,
    attempts: 0,
    attemptLog: [],
    lastResponseStatus: null,
    nextAttemptAt: now,
    createdAt: now,
    deliveredAt: null,
    leaseUntil: null,
    leaseOwner: null,
    replayOf,
  } as unknown as WebhookDelivery;
}
