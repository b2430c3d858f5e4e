import { registerEnumType } from 'type-graphql';

/**
 * What a provider's endpoint can subscribe to. The GraphQL names are the enum's keys; the values
 * are the event names a delivery carries in its body's `type` (Standard Webhooks style, dotted).
 */
export enum WebhookEventType {
  LICENSE_REGISTERED = 'license.registered',
  LICENSE_TRANSFERRED = 'license.transferred',
  LICENSE_SUSPENDED = 'license.suspended',
  LICENSE_REINSTATED = 'license.reinstated',
  LICENSE_VENDOR_CHANGED = 'license.vendor_changed',
  MAINTENANCE_RECORDED = 'maintenance.recorded',
  OFFER_WITHDRAWN = 'offer.withdrawn',
  PROVIDER_ACTIVATION_CHANGED = 'provider.activation_changed',
}

export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.values(WebhookEventType);
export const isWebhookEventType = (value: unknown): value is WebhookEventType => typeof value === 'string' && WEBHOOK_EVENT_TYPES.includes(value);

/** The events the licenses subgraph relays (its outbox); the others start in this subgraph. */
export const LICENSE_EVENT_TYPES: readonly WebhookEventType[] = [
  WebhookEventType.LICENSE_REGISTERED,
  WebhookEventType.LICENSE_TRANSFERRED,
  WebhookEventType.LICENSE_SUSPENDED,
  WebhookEventType.LICENSE_REINSTATED,
  WebhookEventType.LICENSE_VENDOR_CHANGED,
  WebhookEventType.MAINTENANCE_RECORDED,
];

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An event a webhook endpoint can subscribe to; the delivery body names it in `type` (e.g. "license.registered").',
  valuesConfig: {
    LICENSE_REGISTERED: { description: '"license.registered": a license sold by or designated to the provider was registered.' },
    LICENSE_TRANSFERRED: { description: '"license.transferred": such a license moved to another holder.' },
    LICENSE_SUSPENDED: { description: '"license.suspended": such a license was suspended.' },
    LICENSE_REINSTATED: { description: '"license.reinstated": such a license was reinstated after a suspension.' },
    LICENSE_VENDOR_CHANGED: { description: '"license.vendor_changed": the license changed vendor (the former and the new vendor hear of it).' },
    MAINTENANCE_RECORDED: { description: '"maintenance.recorded": a maintenance payment was recorded for such a license.' },
    OFFER_WITHDRAWN: { description: '"offer.withdrawn": an admin withdrew one of the provider\'s offers.' },
    PROVIDER_ACTIVATION_CHANGED: { description: '"provider.activation_changed": an admin activated or deactivated the provider.' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its first or next attempt (see nextAttemptAt).' },
    DELIVERED: { description: 'The endpoint answered with a 2xx status.' },
    FAILED: { description: 'Every attempt of the retry schedule (about a day) failed; replayWebhookDelivery sends it again.' },
    SKIPPED: { description: "Its provider skipped it (skipWebhookDelivery) so that the endpoint's queue goes on; replayWebhookDelivery sends it again." },
  },
});
