import crypto from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Field, Query, Resolver, Root } from 'type-graphql';
import { idArgument, inputField } from '../../../lib/arguments';
import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import { badUserInput, conflict, notFound } from '../../../lib/errors';
import type { SubgraphEM } from '../../../lib/orm';
import { connectionType, findPage, PageArgs, type Connection } from '../../../lib/pagination';
import { actorOf, recordAuditEntry } from '../audit/audit-trail';
import type { ProvidersContext } from '../context';
import { storedProvider } from '../provider/provider.mutations';
import { requireWebhookAccess } from './webhook-access';
import { WebhookDeliveryStatus, WebhookEventType } from './webhook-event-type';
import { newDelivery } from './webhook-outbox';
import { DEFAULT_ROTATION_GRACE_MS, endpointUrlProblem, MAX_ROTATION_GRACE_MS, queueActionRefusal } from './webhook-rules';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entities';
import { sealedWebhookSecret } from './webhook-secret';
import { message, type Message } from '../../../lib/i18n/message';

/** Endpoints per provider: an integration or two, a test system; a bound keeps the fan-out per event small. */
export const MAX_ENDPOINTS_PER_PROVIDER = 10;
const MAX_URL_LENGTH = 500;

const WebhookDeliveryConnection = connectionType(WebhookDelivery, 'WebhookDelivery', 'webhook deliveries');

@ObjectType({
  description:
    'An endpoint just registered, or whose secret was just rotated, with its signing secret: the only answer that ever holds the secret. Store it now.',
})
export class RegisteredWebhookEndpoint {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The signing secret (`whsec_` + base64), for verifying `webhook-signature` (Standard Webhooks). Shown this once.' })
  secret!: string;
}

/** A new signing secret in the Standard Webhooks format: `whsec_` and 32 random bytes in base64. */
const newSigningSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

const endpointState = (e: Pick<WebhookEndpoint, 'url' | 'events' | 'createdAt'>) => ({
  url: e.url,
  events: e.events,
  createdAt: new Date(e.createdAt).toISOString(),
});
const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

/**
 * Read, not managed: the mutations change endpoints and deliveries with conditional native updates,
 * and a managed copy would be written back over them when the transaction flushes.
 */
async function storedEndpoint(em: SubgraphEM, id: string, argument: string): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id }, { disableIdentityMap: true });
  if (!endpoint) throw notFound(message('webhook.noEndpoint', { id, argument }));
  return endpoint;
}

const deliveryId = (value: string): number => {
  if (!/^\d{1,15}$/.test(value)) throw notFound(message('webhook.noDelivery', { id: value }));
  return Number(value);
};

/** The delivery and its endpoint, once the caller may act on them. */
async function storedDelivery(em: SubgraphEM, id: string, caller: ProvidersContext['caller'], action: Message) {
  const delivery = await em.findOne(WebhookDelivery, { id: deliveryId(id) }, { disableIdentityMap: true });
  if (!delivery) throw notFound(message('webhook.noDelivery', { id }));
  const endpoint = await storedEndpoint(em, delivery.endpointId, 'id');
  requireWebhookAccess(caller, endpoint.providerId, action);
  return { delivery, endpoint };
}

/**
 * Providers' webhook endpoints and their delivery log (docs/webhooks.md). Every change is in the
 * audit trail (never the secret) and moves the directory version, so the gateway's cached audit
 * trail answers do not outlive it.
 */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Mutation(() => RegisteredWebhookEndpoint, {
    description: 'A provider (or an admin for it): an endpoint that receives the chosen events, signed; the signing secret is in the answer once, never again.',
  })
  async registerWebhookEndpoint(
    @Arg('providerId', () => ID, { description: 'The provider whose events the endpoint receives (the caller itself, unless an admin).' }) providerId: string,
    @Arg('url', {
      description: `Where deliveries are POSTed: an http(s) URL (https in production), at most ${MAX_URL_LENGTH} characters, at a public address.`,
    })
    url: string,
    @Arg('events', () => [WebhookEventType], { description: 'The events to receive (at least one).' }) events: WebhookEventType[],
    @Ctx() context: ProvidersContext,
  ): Promise<RegisteredWebhookEndpoint> {
    idArgument(providerId, 'providerId');
    requireWebhookAccess(context.caller, providerId, message('action.registerWebhooks'));
    const { allowedHosts, requireHttps } = context.webhooks.settings;
    const target = inputField(url, 'url', {
      reason: (s) =>
        s.length > MAX_URL_LENGTH
          ? message('check.tooLong', { max: MAX_URL_LENGTH, length: s.length })
          : (endpointUrlProblem(s, { allowedHosts, requireHttps }) ?? message('webhook.urlInvalid')),
      normalize: (s) => (s.length <= MAX_URL_LENGTH && endpointUrlProblem(s, { allowedHosts, requireHttps }) === null ? new URL(s).href : null),
    });
    if (events.length === 0) throw badUserInput(message('webhook.noEvents'), 'events');
    const subscribed = [...new Set(events)];
    const id = crypto.randomUUID();
    const secret = newSigningSecret();
    const endpoint: WebhookEndpoint = {
      id,
      providerId,
      url: target,
      events: subscribed,
      secret: sealedWebhookSecret(context.webhooks.settings, id, secret),
      createdAt: new Date(),
      consecutiveFailures: 0,
    };
    await context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      await storedProvider(em, providerId);
      const existing = await em.count(WebhookEndpoint, { providerId });
      if (existing >= MAX_ENDPOINTS_PER_PROVIDER)
        throw badUserInput(message('webhook.tooManyEndpoints', { provider: providerId, count: existing }), 'providerId');
      await em.insert(WebhookEndpoint, endpoint);
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'registerWebhookEndpoint',
        providerId,
        subjectType: 'webhookEndpoint',
        subjectId: endpoint.id,
        before: null,
        after: endpointState(endpoint),
      });
      await bumpDirectoryVersion(em);
    });
    return { endpoint, secret };
  }

  @Mutation(() => Boolean, {
    description: 'Remove a webhook endpoint (its provider, or an admin): nothing more is delivered to it, and its delivery log goes with it. true: removed.',
  })
  async removeWebhookEndpoint(@Arg('id', () => ID, { description: 'The endpoint.' }) id: string, @Ctx() context: ProvidersContext): Promise<boolean> {
    idArgument(id, 'id');
    return context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      const endpoint = await storedEndpoint(em, id, 'id');
      requireWebhookAccess(context.caller, endpoint.providerId, message('action.removeWebhooks'));
      await em.nativeDelete(WebhookEndpoint, { id });
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'removeWebhookEndpoint',
        providerId: endpoint.providerId,
        subjectType: 'webhookEndpoint',
        subjectId: id,
        before: endpointState(endpoint),
        after: null,
      });
      await bumpDirectoryVersion(em);
      return true;
    });
  }

  @Query(() => [WebhookEndpoint], { description: "A provider's webhook endpoints, oldest first (the provider itself, or an admin); never their secrets." })
  async webhookEndpoints(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Ctx() { caller, em }: ProvidersContext,
  ): Promise<WebhookEndpoint[]> {
    idArgument(providerId, 'providerId');
    requireWebhookAccess(caller, providerId, message('action.readWebhooks'));
    await storedProvider(em, providerId);
    return em.find(WebhookEndpoint, { providerId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's delivery log, newest first, a page at a time (its provider, or an admin)." })
  async webhookDeliveries(
    @Arg('endpointId', () => ID, { description: 'The endpoint.' }) endpointId: string,
    @Args() page: PageArgs,
    @Ctx() { caller, em }: ProvidersContext,
  ): Promise<Connection<WebhookDelivery>> {
    idArgument(endpointId, 'endpointId');
    const endpoint = await storedEndpoint(em, endpointId, 'endpointId');
    requireWebhookAccess(caller, endpoint.providerId, message('action.readDeliveryLog'));
    const connection = await findPage(em, WebhookDelivery, 'id', { endpointId }, page, { descending: true, integerKey: true });
    // One query for the page's events (the `payload` field then finds them in the identity map).
    const eventIds = [...new Set(connection.edges.map((e) => e.node.eventId))];
    if (eventIds.length) await em.find(WebhookEvent, { id: { $in: eventIds } });
    return connection;
  }

  @Mutation(() => WebhookDelivery, {
    description:
      "Send a delivery again (its provider, or an admin): a new delivery of the same event (same webhook-id), due now. A replay goes out beside the endpoint's queue, not behind a held head; it is retried on its own.",
  })
  async replayWebhookDelivery(
    @Arg('id', () => ID, { description: 'The delivery to replay.' }) id: string,
    @Ctx() context: ProvidersContext,
  ): Promise<WebhookDelivery> {
    idArgument(id, 'id');
    const replayed = deliveryId(id);
    const replay = await context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      const original = await em.findOne(WebhookDelivery, { id: replayed });
      if (!original) throw notFound(message('webhook.noDelivery', { id }));
      const endpoint = await storedEndpoint(em, original.endpointId, 'id');
      requireWebhookAccess(context.caller, endpoint.providerId, message('action.replayDeliveries'));
      const now = new Date();
      const newId = Number(await em.insert(WebhookDelivery, newDelivery(endpoint.id, original.eventId, original.eventType, now, original.id)));
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'replayWebhookDelivery',
        providerId: endpoint.providerId,
        subjectType: 'webhookDelivery',
        subjectId: String(newId),
        before: null,
        after: { endpointId: endpoint.id, eventId: original.eventId, replayOf: original.id },
      });
      await bumpDirectoryVersion(em);
      return newId;
    });
    context.webhooks.dispatcher.wake();
    const em = context.em.fork() as SubgraphEM;
    return em.findOneOrFail(WebhookDelivery, { id: replay });
  }

  @Mutation(() => WebhookEndpoint, {
    description:
      'Enable a disabled endpoint again (its provider, or an admin): its waiting deliveries are due at once, in order, and its run of failures starts from nothing.',
  })
  async enableWebhookEndpoint(@Arg('id', () => ID, { description: 'The endpoint.' }) id: string, @Ctx() context: ProvidersContext): Promise<WebhookEndpoint> {
    idArgument(id, 'id');
    await context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      const endpoint = await storedEndpoint(em, id, 'id');
      requireWebhookAccess(context.caller, endpoint.providerId, message('action.enableWebhooks'));
      const now = new Date();
      await em.nativeUpdate(WebhookEndpoint, { id }, { disabledAt: null, disabledReason: null, failingSince: null, consecutiveFailures: 0 });
      // What waited while it was disabled goes now (the head first: the queue's order holds).
      await em.nativeUpdate(WebhookDelivery, { endpointId: id, status: WebhookDeliveryStatus.PENDING }, { nextAttemptAt: now });
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'enableWebhookEndpoint',
        providerId: endpoint.providerId,
        subjectType: 'webhookEndpoint',
        subjectId: id,
        before: { disabledAt: iso(endpoint.disabledAt), disabledReason: endpoint.disabledReason ?? null },
        after: { disabledAt: null, disabledReason: null },
      });
      await bumpDirectoryVersion(em);
    });
    context.webhooks.dispatcher.wake();
    return (context.em.fork() as SubgraphEM).findOneOrFail(WebhookEndpoint, { id });
  }

  @Mutation(() => RegisteredWebhookEndpoint, {
    description:
      "Rotate an endpoint's signing secret (its provider, or an admin): the answer holds the new secret, once. During the grace period every delivery carries two signatures in webhook-signature (the new secret's and the old one's), so receivers can switch at their own pace; afterwards only the new secret signs.",
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID, { description: 'The endpoint.' }) id: string,
    @Arg('graceHours', () => Int, {
      nullable: true,
      description: `How long the old secret still signs beside the new one, in hours: 0 (at once) to ${MAX_ROTATION_GRACE_MS / 3_600_000}; default ${DEFAULT_ROTATION_GRACE_MS / 3_600_000}.`,
    })
    graceHours: number | null | undefined,
    @Ctx() context: ProvidersContext,
  ): Promise<RegisteredWebhookEndpoint> {
    idArgument(id, 'id');
    const graceMs = graceHours === null || graceHours === undefined ? DEFAULT_ROTATION_GRACE_MS : graceHours * 3_600_000;
    if (!Number.isInteger(graceHours ?? 0) || graceMs < 0 || graceMs > MAX_ROTATION_GRACE_MS)
      throw badUserInput(message('webhook.graceHours', { max: MAX_ROTATION_GRACE_MS / 3_600_000, value: String(graceHours) }), 'graceHours');
    const secret = newSigningSecret();
    await context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      const endpoint = await storedEndpoint(em, id, 'id');
      requireWebhookAccess(context.caller, endpoint.providerId, message('action.rotateWebhookSecrets'));
      const until = graceMs > 0 ? new Date(Date.now() + graceMs) : null;
      // A rotation during another one's grace period: the secret before the current one stops signing now.
      // Both stored sealed (webhook-secret.ts); the old one stays sealed as it was, bound to this endpoint.
      await em.nativeUpdate(
        WebhookEndpoint,
        { id },
        { secret: sealedWebhookSecret(context.webhooks.settings, id, secret), previousSecret: until ? endpoint.secret : null, previousSecretUntil: until },
      );
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'rotateWebhookSecret',
        providerId: endpoint.providerId,
        subjectType: 'webhookEndpoint',
        subjectId: id,
        before: null,
        after: { previousSecretValidUntil: iso(until) },
      });
      await bumpDirectoryVersion(em);
    });
    const endpoint = await (context.em.fork() as SubgraphEM).findOneOrFail(WebhookEndpoint, { id });
    return { endpoint, secret };
  }

  @Mutation(() => WebhookDelivery, {
    description:
      "Retry now (its provider, or an admin): a PENDING delivery, typically the head holding its endpoint's queue, is due at once instead of at its next scheduled attempt (the receiver is back).",
  })
  async retryWebhookDelivery(@Arg('id', () => ID, { description: 'The delivery.' }) id: string, @Ctx() context: ProvidersContext): Promise<WebhookDelivery> {
    idArgument(id, 'id');
    const em = context.em.fork() as SubgraphEM;
    const { delivery, endpoint } = await storedDelivery(em, id, context.caller, message('action.retryDeliveries'));
    const refusal = queueActionRefusal(delivery, 'retry');
    if (refusal) throw badUserInput(message('webhook.deliveryRefused', { id, reason: refusal }), 'id');
    if (endpoint.disabledAt) throw badUserInput(message('webhook.endpointDisabled', { id: endpoint.id, reason: endpoint.disabledReason ?? '' }), 'id');
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(WebhookDelivery, { id: delivery.id, status: WebhookDeliveryStatus.PENDING }, { nextAttemptAt: new Date() });
      await recordAuditEntry(tx as SubgraphEM, {
        actor: actorOf(context.caller),
        action: 'retryWebhookDelivery',
        providerId: endpoint.providerId,
        subjectType: 'webhookDelivery',
        subjectId: String(delivery.id),
        before: { nextAttemptAt: iso(delivery.nextAttemptAt) },
        after: null,
      });
      await bumpDirectoryVersion(tx as SubgraphEM);
    });
    context.webhooks.dispatcher.wake();
    return (context.em.fork() as SubgraphEM).findOneOrFail(WebhookDelivery, { id: delivery.id });
  }

  @Mutation(() => WebhookDelivery, {
    description:
      "Skip (its provider, or an admin): a PENDING delivery is given up (SKIPPED) so that its endpoint's queue goes on with the next event; replayWebhookDelivery can still send it later.",
  })
  async skipWebhookDelivery(@Arg('id', () => ID, { description: 'The delivery.' }) id: string, @Ctx() context: ProvidersContext): Promise<WebhookDelivery> {
    idArgument(id, 'id');
    const em = context.em.fork() as SubgraphEM;
    const { delivery, endpoint } = await storedDelivery(em, id, context.caller, message('action.skipDeliveries'));
    const refusal = queueActionRefusal(delivery, 'skip');
    if (refusal) throw badUserInput(message('webhook.deliveryRefused', { id, reason: refusal }), 'id');
    const now = new Date();
    await em.transactional(async (tx) => {
      // Not while a dispatcher is attempting it: its outcome would be written over the skip.
      const skipped = await tx.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id, status: WebhookDeliveryStatus.PENDING, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
        { status: WebhookDeliveryStatus.SKIPPED, nextAttemptAt: null },
      );
      if (skipped === 0) throw conflict(message('webhook.skipRace', { id }));
      await recordAuditEntry(tx as SubgraphEM, {
        actor: actorOf(context.caller),
        action: 'skipWebhookDelivery',
        providerId: endpoint.providerId,
        subjectType: 'webhookDelivery',
        subjectId: String(delivery.id),
        before: { status: delivery.status },
        after: { status: WebhookDeliveryStatus.SKIPPED },
      });
      await bumpDirectoryVersion(tx as SubgraphEM);
    });
    context.webhooks.dispatcher.wake();
    return (context.em.fork() as SubgraphEM).findOneOrFail(WebhookDelivery, { id: delivery.id });
  }

  @FieldResolver(() => String, { description: 'When the endpoint was registered (ISO 8601, UTC).' })
  createdAt(@Root() endpoint: WebhookEndpoint): string {
    return new Date(endpoint.createdAt).toISOString();
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether deliveries go to it: false once it was disabled (410 Gone, or failing for five days); enableWebhookEndpoint turns it on again.',
  })
  enabled(@Root() endpoint: WebhookEndpoint): boolean {
    return !endpoint.disabledAt;
  }

  @FieldResolver(() => String, { nullable: true, description: 'When it was disabled (ISO 8601, UTC); null while it is enabled.' })
  disabledAt(@Root() endpoint: WebhookEndpoint): string | null {
    return iso(endpoint.disabledAt);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Since when every attempt to it failed (ISO 8601, UTC); null when its last attempt succeeded.' })
  failingSince(@Root() endpoint: WebhookEndpoint): string | null {
    return iso(endpoint.failingSince);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Until when the secret replaced by the last rotation still signs beside the current one (ISO 8601, UTC); null when only the current one signs.',
  })
  previousSecretValidUntil(@Root() endpoint: WebhookEndpoint): string | null {
    return endpoint.previousSecret && endpoint.previousSecretUntil && new Date(endpoint.previousSecretUntil) > new Date()
      ? iso(endpoint.previousSecretUntil)
      : null;
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => String, { description: 'When the delivery was queued (ISO 8601, UTC).' })
  createdAt(@Root() delivery: WebhookDelivery): string {
    return new Date(delivery.createdAt).toISOString();
  }

  @FieldResolver(() => String, { nullable: true, description: 'When the next attempt is due (ISO 8601, UTC); null once delivered or failed.' })
  nextAttemptAt(@Root() delivery: WebhookDelivery): string | null {
    return delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toISOString() : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'When the endpoint accepted it (ISO 8601, UTC); null until then.' })
  deliveredAt(@Root() delivery: WebhookDelivery): string | null {
    return delivery.deliveredAt ? new Date(delivery.deliveredAt).toISOString() : null;
  }

  @FieldResolver(() => String, { description: 'The body as sent (JSON text: type, timestamp, data); the same bytes on every attempt.' })
  async payload(@Root() delivery: WebhookDelivery, @Ctx() { em }: ProvidersContext): Promise<string> {
    return (await em.findOneOrFail(WebhookEvent, { id: delivery.eventId })).body;
  }
}
