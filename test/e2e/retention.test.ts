/**
 * Retention (docs/operations.md "Retention"): each subgraph's cleanup deletes the rows older than
 * their period and keeps the recent ones, on the stack's real databases (SQLite, or PostgreSQL with
 * DATABASE_URL), with the tasks the subgraphs run in the background; its lease lets one replica
 * clean at a time. Old rows are written with old dates; no clock is waited for.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_RETENTION_SETTINGS } from '../../lib/config';
import type { SubgraphEM } from '../../lib/orm';
import { runRetention, takeCleanupLease } from '../../lib/retention';
import { LicenseAccessEvent } from '../../subgraphs/licenses/access-code/access-code.entity';
import { LicenseEvent } from '../../subgraphs/licenses/events/license-event.entity';
import { licensesRetentionTasks } from '../../subgraphs/licenses/events/license-event-retention';
import { IdempotencyRecord } from '../../lib/idempotency-record.entity';
import { idempotencyRetentionTask } from '../../lib/idempotency-retention';
import { newDelivery } from '../../subgraphs/providers/webhooks/webhook-outbox';
import { WebhookEventType } from '../../subgraphs/providers/webhooks/webhook-event-type';
import { webhookRetentionTasks } from '../../subgraphs/providers/webhooks/webhook-retention';
import { WebhookDelivery, WebhookEvent } from '../../subgraphs/providers/webhooks/webhook.entities';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const DAY = 86_400_000;
const now = new Date();
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
const settings = DEFAULT_RETENTION_SETTINGS; // 30 days of webhooks and relayed license events, 90 of access events

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const providers = () => stack.orms.providers.em.fork() as SubgraphEM;
const licenses = () => stack.orms.licenses.em.fork() as SubgraphEM;
const providersTasks = () => [...webhookRetentionTasks(settings), idempotencyRetentionTask];

test('the providers cleanup deletes webhook deliveries and events older than 30 days and expired Idempotency-Keys, and keeps the rest', async () => {
  const { body } = await stack.graphql(
    `mutation { registerWebhookEndpoint(providerId: "alpha", url: "https://hooks.example.org/x", events: [LICENSE_REGISTERED]) { endpoint { id } } }`,
  );
  const endpointId: string = body.data.registerWebhookEndpoint.endpoint.id;
  const em = providers();
  const event = async (recordedAt: Date) => {
    const id = randomUUID();
    await em.insert(WebhookEvent, { id, type: WebhookEventType.LICENSE_REGISTERED, providerIds: ['alpha'], body: '{}', occurredAt: recordedAt, recordedAt });
    return id;
  };
  const delivery = async (eventId: string, createdAt: Date, extra: Partial<WebhookDelivery> = {}) =>
    Number(
      await em.insert(WebhookDelivery, {
        ...newDelivery(endpointId, eventId, WebhookEventType.LICENSE_REGISTERED, createdAt),
        status: 'DELIVERED',
        ...extra,
      } as any),
    );
  const oldEvent = await event(daysAgo(40));
  const oldDelivery = await delivery(oldEvent, daysAgo(40));
  const recentEvent = await event(daysAgo(2));
  const recentDelivery = await delivery(recentEvent, daysAgo(2));
  // An old event replayed recently: its old delivery goes, the event stays with the replay.
  const replayedEvent = await event(daysAgo(45));
  const replayedOld = await delivery(replayedEvent, daysAgo(45));
  const replay = await delivery(replayedEvent, daysAgo(1), { replayOf: replayedOld });
  // An old delivery a dispatcher is attempting right now stays (its outcome is about to be written).
  const leasedEvent = await event(daysAgo(50));
  const leased = await delivery(leasedEvent, daysAgo(50), { status: 'PENDING', leaseUntil: new Date(now.getTime() + 60_000), leaseOwner: 'another' } as any);
  const key = (k: string, expiresAt: Date) =>
    em.insert(IdempotencyRecord, {
      scope: 'provider:alpha',
      keyHash: k,
      fingerprint: 'f'.repeat(64),
      state: 'done',
      claim: randomUUID(),
      claimedAt: daysAgo(2),
      expiresAt,
      answer: null,
    });
  await key('expired', daysAgo(1));
  await key('valid', new Date(now.getTime() + DAY));

  const deleted = await runRetention(stack.orms.providers, { name: 'providers', owner: 'test', tasks: providersTasks(), now, leaseMs: 60_000 });
  expect(deleted).toEqual({ webhook_delivery: 2, webhook_event: 1, idempotency_record: 1 });

  const check = providers();
  expect((await check.find(WebhookDelivery, { endpointId }, { orderBy: { id: 'asc' } })).map((d) => d.id)).toEqual([recentDelivery, replay, leased]);
  expect(await check.count(WebhookDelivery, { id: { $in: [oldDelivery, replayedOld] } })).toBe(0);
  const events = (await check.find(WebhookEvent, { id: { $in: [oldEvent, recentEvent, replayedEvent, leasedEvent] } })).map((e) => e.id).sort();
  expect(events).toEqual([recentEvent, replayedEvent, leasedEvent].sort());
  expect((await check.find(IdempotencyRecord, { scope: 'provider:alpha' })).map((k) => k.keyHash)).toEqual(['valid']);
  // The delivery log through the API shows what is left.
  const log = (await stack.graphql(`{ webhookDeliveries(endpointId: "${endpointId}") { totalCount } }`)).body.data.webhookDeliveries;
  expect(log.totalCount).toBe(3);

  // Nothing left to delete: a second run deletes nothing.
  expect(await runRetention(stack.orms.providers, { name: 'providers', owner: 'test', tasks: providersTasks(), now, leaseMs: 60_000 })).toEqual({
    webhook_delivery: 0,
    webhook_event: 0,
    idempotency_record: 0,
  });
});

test('the licenses cleanup deletes relayed license events older than 30 days and access events older than 90, never an unrelayed event', async () => {
  const em = licenses();
  const licenseEvent = async (occurredAt: Date, relayedAt: Date | null) => {
    const id = randomUUID();
    await em.insert(LicenseEvent, {
      id,
      type: 'license.registered',
      licenseKey: 'L-RET',
      vendorId: null,
      supportPartnerId: null,
      providerIds: [],
      payload: {},
      occurredAt,
      relayedAt,
    } as any);
    return id;
  };
  const relayedOld = await licenseEvent(daysAgo(40), daysAgo(40));
  const relayedRecent = await licenseEvent(daysAgo(40), daysAgo(3));
  const unrelayedOld = await licenseEvent(daysAgo(100), null);
  const access = async (at: Date) =>
    Number(await em.insert(LicenseAccessEvent, { at, licenseKey: 'L-RET', action: 'SIGN_IN_FAILED', actorRole: 'anonymous' } as any));
  const accessOld = await access(daysAgo(91));
  const accessRecent = await access(daysAgo(89));

  const deleted = await runRetention(stack.orms.licenses, { name: 'licenses', owner: 'test', tasks: licensesRetentionTasks(settings), now, leaseMs: 60_000 });
  expect(deleted).toEqual({ license_event: 1, license_access_event: 1 });
  const check = licenses();
  const left = (await check.find(LicenseEvent, { licenseKey: 'L-RET' })).map((e) => e.id).sort();
  expect(left).toEqual([relayedRecent, unrelayedOld].sort());
  expect(left).not.toContain(relayedOld);
  expect((await check.find(LicenseAccessEvent, { licenseKey: 'L-RET' })).map((e) => e.id)).toEqual([accessRecent]);
  expect(accessOld).not.toBe(accessRecent);
});

test('one replica cleans at a time: the lease is refused to another owner until it runs out', async () => {
  const em = providers();
  const at = new Date();
  expect(await takeCleanupLease(em, 'lease-test', 'replica-a', at, 60_000)).toBe(true);
  expect(await takeCleanupLease(providers(), 'lease-test', 'replica-b', at, 60_000)).toBe(false);
  // Another replica's run is skipped while the lease holds, and deletes nothing.
  expect(await runRetention(stack.orms.providers, { name: 'lease-test', owner: 'replica-b', tasks: providersTasks(), now: at, leaseMs: 60_000 })).toBeNull();
  // Its holder renews it; once it ran out, another takes it.
  expect(await takeCleanupLease(providers(), 'lease-test', 'replica-a', at, 60_000)).toBe(true);
  expect(await takeCleanupLease(providers(), 'lease-test', 'replica-b', new Date(at.getTime() + 61_000), 60_000)).toBe(true);
  expect(await takeCleanupLease(providers(), 'lease-test', 'replica-a', new Date(at.getTime() + 62_000), 60_000)).toBe(false);
});
