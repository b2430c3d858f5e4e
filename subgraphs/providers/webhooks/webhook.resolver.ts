import crypto from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Field, Query, Resolver, Root } from 'type-graphql';
import { idArgument, inputField } from '../../../lib/arguments';
import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import { badUserInput, notFound } from '../../../lib/errors';
import type { SubgraphEM } from '../../../lib/orm';
import { connectionType, findPage, PageArgs, type Connection } from '../../../lib/pagination';
import { actorOf, recordAuditEntry } from '../audit/audit-trail';
import type { ProvidersContext } from '../context';
import { storedProvider } from '../provider/provider.mutations';
import { requireWebhookAccess } from './webhook-access';
import { WebhookEventType } from './webhook-event-type';
import { newDelivery } from './webhook-outbox';
import { endpointUrlProblem } from './webhook-rules';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entities';
import { sealedWebhookSecret } from './webhook-secret';

/** Endpoints per provider: an integration or two, a test system; a bound keeps the fan-out per event small. */
export const MAX_ENDPOINTS_PER_PROVIDER = 10;
const MAX_URL_LENGTH = 500;

const WebhookDeliveryConnection = connectionType(WebhookDelivery, 'WebhookDelivery', 'webhook deliveries');

@ObjectType({ description: 'An endpoint just registered, with its signing secret: the only answer that ever holds the secret. Store it now.' })
export class RegisteredWebhookEndpoint {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The signing secret (`whsec_` + base64), for verifying `webhook-signature` (Standard Webhooks). Shown this once.' })
  secret!: string;
}

/** A new signing secret in the Standard Webhooks format: `whsec_` and 32 random bytes in base64. */
const newSigningSecret = () => `whsec_${crypto.randomBytes(32).toString('base64')}`;

const endpointState = (e: Pick<WebhookEndpoint, 'url' | 'events' | 'createdAt'>) => ({ url: e.url, events: e.events, createdAt: e.createdAt.toISOString() });

async function storedEndpoint(em: SubgraphEM, id: string, argument: string): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id });
  if (!endpoint) throw notFound(`No webhook endpoint with id "${id}" (argument ${argument})`);
  return endpoint;
}

const deliveryId = (value: string): number => {
  if (!/^\d{1,15}$/.test(value)) throw notFound(`No webhook delivery with id "${value}" (argument id)`);
  return Number(value);
};

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
    requireWebhookAccess(context.caller, providerId, 'register webhook endpoints');
    const { allowedHosts, requireHttps } = context.webhooks.settings;
    const target = inputField(url, 'url', {
      reason: (s) =>
        s.length > MAX_URL_LENGTH
          ? `must be at most ${MAX_URL_LENGTH} characters long (got ${s.length})`
          : (endpointUrlProblem(s, { allowedHosts, requireHttps }) ?? 'is not valid'),
      normalize: (s) => (s.length <= MAX_URL_LENGTH && endpointUrlProblem(s, { allowedHosts, requireHttps }) === null ? new URL(s).href : null),
    });
    if (events.length === 0) throw badUserInput('events must name at least one event type', 'events');
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
    };
    await context.em.transactional(async (tx) => {
      const em = tx as SubgraphEM;
      await storedProvider(em, providerId);
      const existing = await em.count(WebhookEndpoint, { providerId });
      if (existing >= MAX_ENDPOINTS_PER_PROVIDER)
        throw badUserInput(`Provider "${providerId}" has ${existing} webhook endpoints already, the most it may have; remove one first`, 'providerId');
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
      requireWebhookAccess(context.caller, endpoint.providerId, 'remove webhook endpoints');
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
    requireWebhookAccess(caller, providerId, 'read webhook endpoints');
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
    requireWebhookAccess(caller, endpoint.providerId, 'read the webhook delivery log');
    const connection = await findPage(em, WebhookDelivery, 'id', { endpointId }, page, { descending: true, integerKey: true });
    // One query for the page's events (the `payload` field then finds them in the identity map).
    const eventIds = [...new Set(connection.edges.map((e) => e.node.eventId))];
    if (eventIds.length) await em.find(WebhookEvent, { id: { $in: eventIds } });
    return connection;
  }

  @Mutation(() => WebhookDelivery, {
    description:
      "Send a delivery again (its provider, or an admin): a new delivery of the same event (same webhook-id) at the end of the endpoint's queue, due now.",
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
      if (!original) throw notFound(`No webhook delivery with id "${id}" (argument id)`);
      const endpoint = await storedEndpoint(em, original.endpointId, 'id');
      requireWebhookAccess(context.caller, endpoint.providerId, 'replay webhook deliveries');
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

  @FieldResolver(() => String, { description: 'When the endpoint was registered (ISO 8601, UTC).' })
  createdAt(@Root() endpoint: WebhookEndpoint): string {
    return new Date(endpoint.createdAt).toISOString();
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
