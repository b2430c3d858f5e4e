/**
 * The providers database's webhook tables: the endpoints providers register, the outbox of events
 * (this subgraph's own and those the licenses subgraph relays), and one delivery per event and
 * endpoint, whose row is both the work queue of the dispatcher and the delivery log providers read.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Provider } from '../provider/provider.entity';
import { WebhookDeliveryStatus, WebhookEventType } from './webhook-event-type';

@Entity({ tableName: 'webhook_endpoint' })
@ObjectType({ description: "A URL a provider's integration receives signed event notices at (Standard Webhooks)." })
export class WebhookEndpoint {
  @PrimaryKey({ type: 'string', length: 36 })
  @Field(() => ID, { description: 'Stable id of the endpoint (a UUID).' })
  id!: string;

  @ManyToOne('Provider', { mapToPk: true, fieldName: 'provider_id', deleteRule: 'cascade' })
  @Field(() => ID, { description: 'The provider whose events the endpoint receives.' })
  providerId!: Provider['id'];

  @Property({ length: 500 })
  @Field({ description: 'Where deliveries are POSTed.' })
  url!: string;

  @Property({ type: 'json' })
  @Field(() => [WebhookEventType], { description: 'The events the endpoint receives.' })
  events!: WebhookEventType[];

  /**
   * The signing secret (`whsec_` + base64), shown once at registration, stored sealed: read and
   * written only through webhook-secret.ts.
   */
  @Property({ length: 300 })
  secret!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /**
   * The secret the last rotation replaced (rotateWebhookSecret), which still signs beside the current
   * one until previousSecretUntil (webhook-rules.ts signingSecrets); null when none does any more.
   */
  @Property({ type: 'text', nullable: true })
  previousSecret?: string | null;

  @Property({ type: 'datetime', nullable: true })
  previousSecretUntil?: Date | null;

  /** When deliveries to it stopped (410 Gone, or failing for the disable period); null while it is enabled. */
  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null;

  @Property({ length: 300, nullable: true })
  @Field(() => String, { nullable: true, description: 'Why it was disabled (e.g. "the endpoint answered 410 Gone"); null while it is enabled.' })
  disabledReason?: string | null;

  /** Since when every attempt to it failed (its run of failures); null when its last attempt succeeded. */
  @Property({ type: 'datetime', nullable: true })
  failingSince?: Date | null;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Failed attempts in a row since its last successful one (0: the last one succeeded).' })
  consecutiveFailures!: number;
}

/** One event to be told (the outbox): written in the same transaction as the change it tells of. */
@Entity({ tableName: 'webhook_event' })
// Retention deletes the oldest (webhook-retention.ts).
@Index({ name: 'webhook_event_recorded_at', properties: ['recordedAt'] })
export class WebhookEvent {
  /** A UUID; the `webhook-id` of every delivery of it. Relayed events keep the licenses subgraph's id. */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 40 })
  type!: WebhookEventType;

  @Property({ type: 'json' })
  providerIds!: string[];

  /** The exact body every delivery sends (so a retry or a replay sends the same bytes). */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime' })
  recordedAt!: Date;
}

@ObjectType({ description: 'One attempt to deliver: when, and what came of it.' })
export class WebhookDeliveryAttempt {
  @Field({ description: 'When the attempt started (ISO 8601, UTC).' })
  at!: string;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status; null when none came (refused address, timeout, connection error)." })
  responseStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the attempt failed; null when it succeeded.' })
  error!: string | null;
}

@Entity({ tableName: 'webhook_delivery' })
// The head of each endpoint's queue (the dispatcher delivers in order per endpoint).
@Index({ name: 'webhook_delivery_queue', properties: ['status', 'endpointId', 'id'] })
// An endpoint's log, newest first.
@Index({ name: 'webhook_delivery_endpoint', properties: ['endpointId', 'id'] })
// Retention deletes the oldest (webhook-retention.ts).
@Index({ name: 'webhook_delivery_created_at', properties: ['createdAt'] })
@ObjectType({ description: 'One event sent to one endpoint: its attempts, status and next try (the delivery log).' })
export class WebhookDelivery {
  /** Ascending in the order deliveries were queued: the order per endpoint, and the log's cursor. */
  @PrimaryKey({ type: 'integer', autoincrement: true })
  @Field(() => ID, { description: 'Id of the delivery (later deliveries have higher ids); what replayWebhookDelivery takes.' })
  id!: number;

  @ManyToOne(() => WebhookEndpoint, { mapToPk: true, fieldName: 'endpoint_id', deleteRule: 'cascade' })
  @Field(() => ID, { description: 'The endpoint it goes to.' })
  endpointId!: string;

  @ManyToOne(() => WebhookEvent, { mapToPk: true, fieldName: 'event_id', deleteRule: 'cascade' })
  @Field(() => ID, { description: 'The event it tells of: the `webhook-id` header (the same on every attempt and replay).' })
  eventId!: string;

  @Property({ type: 'string', length: 40 })
  @Field(() => WebhookEventType, { description: 'The event type.' })
  eventType!: WebhookEventType;

  @Property({ type: 'string', length: 20 })
  @Field(() => WebhookDeliveryStatus, { description: 'Pending, delivered, or failed after the whole retry schedule.' })
  status!: WebhookDeliveryStatus;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'How many attempts were made so far.' })
  attempts!: number;

  @Property({ type: 'json' })
  @Field(() => [WebhookDeliveryAttempt], { description: 'The attempts, oldest first.' })
  attemptLog!: WebhookDeliveryAttempt[];

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status at the last attempt; null before the first or when none came." })
  lastResponseStatus?: number | null;

  /** When the next attempt is due (PENDING); null once delivered or failed. */
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  /** Set while a dispatcher (of whichever replica) is attempting it; another one takes it over only after it passed. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ length: 36, nullable: true })
  leaseOwner?: string | null;

  /** The delivery this one replays (replayWebhookDelivery); null for the first delivery of an event. */
  @Property({ type: 'integer', nullable: true })
  @Field(() => ID, { nullable: true, description: 'The delivery this one replays; null for the first delivery of an event.' })
  replayOf?: number | null;
}
