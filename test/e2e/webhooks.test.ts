/**
 * Webhooks for partner integrations, end to end through the gateway over HTTP, on the real
 * databases (SQLite, or PostgreSQL with DATABASE_URL): endpoints and who may manage them, events
 * written with the change (providers) or relayed from the licenses outbox, Standard Webhooks
 * signatures verified by the standardwebhooks package on a receiver on the loopback, a retry after
 * a 500, order per endpoint, a replay, the address check, and a delivery after a restart.
 */
import { Webhook } from 'standardwebhooks';
import { LICENSE_EVENTS_PATH } from '../../lib/license-event-relay';
import { signSubgraphRequest } from '../../lib/subgraph-signature';
import type { SubgraphEM } from '../../lib/orm';
import { randomUUID } from 'node:crypto';
import { LicenseEvent, type LicenseEventType } from '../../subgraphs/licenses/events/license-event.entity';
import { networkDirectory } from '../fixtures/network';
import { databaseUrl, keptTestDatabases, startTestStack, type TestStack } from '../support/stack';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { providersSubgraph } from '../../subgraphs/providers/subgraph';
import { WebhookDeliveryStatus } from '../../subgraphs/providers/webhooks/webhook-event-type';
import { WebhookDelivery } from '../../subgraphs/providers/webhooks/webhook.entities';
import { startWebhookDispatcher } from '../../subgraphs/providers/webhooks/webhook-dispatcher';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../lib/config';
import { eventually, startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver';

const ALPHA = { sub: 'alpha-staff', role: 'provider', provider: 'alpha' } as const;
const BETA = { sub: 'beta-staff', role: 'provider', provider: 'beta' } as const;
const HOLDER = { sub: 'praxis', role: 'holder', licenses: ['L-VENDOR'] } as const;
const ADMIN = { sub: 'ops', role: 'admin' } as const;

/** Short delays between attempts, so a retry comes within the test; the shape of the schedule has its rule test. */
const TEST_WEBHOOKS = { pollIntervalMs: 50, retryScheduleMs: [200, 200, 200, 200], allowedHosts: ['127.0.0.1'] };

const REGISTER = `mutation ($providerId: ID!, $url: String!, $events: [WebhookEventType!]!) {
  registerWebhookEndpoint(providerId: $providerId, url: $url, events: $events) { secret endpoint { id providerId url events createdAt } }
}`;
const ENDPOINTS = `query ($providerId: ID!) { webhookEndpoints(providerId: $providerId) { id url events } }`;
const DELIVERIES = `query ($endpointId: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id endpointId eventId eventType status attempts lastResponseStatus nextAttemptAt deliveredAt createdAt replayOf payload attemptLog { at responseStatus error } } }
  }
}`;
const REMOVE = `mutation ($id: ID!) { removeWebhookEndpoint(id: $id) }`;
const REPLAY = `mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id eventId status replayOf } }`;
const SET_ACTIVE = `mutation ($id: ID!, $active: Boolean!) { setProviderActive(id: $id, active: $active) { id active } }`;
const OFFERS = `query ($id: ID!) { provider(id: $id) { offers { id version } } }`;
const WITHDRAW = `mutation ($id: ID!, $version: Int!) { withdrawOffer(id: $id, version: $version) { id } }`;

const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

function verified(hook: ReceivedWebhook, secret: string): { type: string; timestamp: string; data: Record<string, any> } {
  // Throws unless webhook-id, webhook-timestamp and webhook-signature check out against the secret.
  return new Webhook(secret).verify(hook.body, hook.headers) as any;
}

async function register(stack: TestStack, providerId: string, url: string, events: string[], as: object = ADMIN) {
  const { body } = await stack.graphql(REGISTER, { providerId, url, events }, as as any);
  expect(body.errors).toBeUndefined();
  return body.data.registerWebhookEndpoint as { secret: string; endpoint: { id: string } };
}

async function deliveries(stack: TestStack, endpointId: string, as: object = ADMIN) {
  const { body } = await stack.graphql(DELIVERIES, { endpointId, first: 50 }, as as any);
  expect(body.errors).toBeUndefined();
  return body.data.webhookDeliveries.edges.map((e: any) => e.node) as any[];
}

// Events as the lifecycle mutations write them into the licenses outbox (test/e2e/license-lifecycle
// checks that they do); written here directly so each case controls type, providers and order.
const licenseEvent = async (stack: TestStack, type: LicenseEventType, licenseKey: string, providerIds: string[], payload: Record<string, unknown> = {}) => {
  const id = randomUUID();
  const em = stack.orms.licenses.em.fork() as SubgraphEM;
  await em.transactional((tx) =>
    tx.insert(LicenseEvent, { id, type, licenseKey, vendorId: null, supportPartnerId: null, providerIds, payload, occurredAt: new Date(), relayedAt: null }),
  );
  return id;
};

describe('webhooks', () => {
  let stack: TestStack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    stack = await startTestStack({ directory: networkDirectory(), webhooks: TEST_WEBHOOKS });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });
  beforeEach(() => receiver.answerWith(200));

  test('access: a provider manages its own endpoints, an admin all; holders and other providers are FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
    const vars = { providerId: 'alpha', url: receiver.url, events: ['LICENSE_REGISTERED'] };
    expect(codeOf((await stack.graphql(REGISTER, vars, null)).body)).toBe('UNAUTHENTICATED');
    expect(codeOf((await stack.graphql(REGISTER, vars, HOLDER)).body)).toBe('FORBIDDEN');
    expect(codeOf((await stack.graphql(REGISTER, vars, BETA)).body)).toBe('FORBIDDEN');
    const own = await register(stack, 'alpha', receiver.url, ['LICENSE_REGISTERED'], ALPHA);
    expect(own.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const byAdmin = await register(stack, 'alpha', receiver.url, ['MAINTENANCE_RECORDED'], ADMIN);

    for (const [as, code] of [
      [null, 'UNAUTHENTICATED'],
      [HOLDER, 'FORBIDDEN'],
      [BETA, 'FORBIDDEN'],
    ] as const) {
      expect(codeOf((await stack.graphql(ENDPOINTS, { providerId: 'alpha' }, as)).body)).toBe(code);
      expect(codeOf((await stack.graphql(DELIVERIES, { endpointId: own.endpoint.id }, as)).body)).toBe(code);
      expect(codeOf((await stack.graphql(REMOVE, { id: own.endpoint.id }, as)).body)).toBe(code);
    }
    const listed = (await stack.graphql(ENDPOINTS, { providerId: 'alpha' }, ALPHA)).body.data.webhookEndpoints;
    expect(listed.map((e: any) => e.id)).toEqual([own.endpoint.id, byAdmin.endpoint.id]);
    // The secret is shown once: no field of a listed endpoint holds it.
    expect(
      JSON.stringify((await stack.graphql(`{ webhookEndpoints(providerId: "alpha") { id url events createdAt providerId } }`, {}, ADMIN)).body),
    ).not.toContain(own.secret);

    // Both are in alpha's audit trail, without the secret; then removed by the provider and by an admin.
    expect((await stack.graphql(REMOVE, { id: own.endpoint.id }, ALPHA)).body.data.removeWebhookEndpoint).toBe(true);
    expect((await stack.graphql(REMOVE, { id: byAdmin.endpoint.id }, ADMIN)).body.data.removeWebhookEndpoint).toBe(true);
    expect(codeOf((await stack.graphql(REMOVE, { id: own.endpoint.id }, ALPHA)).body)).toBe('NOT_FOUND');
    const trail = (
      await stack.graphql(
        `{ auditTrail(providerId: "alpha", first: 10) { edges { node { action subjectType subjectId actorRole before after } } } }`,
        {},
        ALPHA,
      )
    ).body.data.auditTrail.edges.map((e: any) => e.node);
    expect(trail.slice(0, 4).map((e: any) => [e.action, e.subjectId, e.actorRole])).toEqual([
      ['removeWebhookEndpoint', byAdmin.endpoint.id, 'admin'],
      ['removeWebhookEndpoint', own.endpoint.id, 'provider'],
      ['registerWebhookEndpoint', byAdmin.endpoint.id, 'admin'],
      ['registerWebhookEndpoint', own.endpoint.id, 'provider'],
    ]);
    expect(JSON.parse(trail[3].after)).toEqual({ url: receiver.url, events: ['license.registered'], createdAt: expect.any(String) });
    expect(JSON.stringify(trail)).not.toContain('whsec_');
  });

  test('bad input is a BAD_USER_INPUT or NOT_FOUND naming what is wrong, and registers nothing', async () => {
    const bad = async (vars: object, code: string, field?: string) => {
      const { status, body } = await stack.graphql(REGISTER, { providerId: 'beta', url: receiver.url, events: ['LICENSE_REGISTERED'], ...vars }, ADMIN);
      expect(status).toBe(200);
      expect(codeOf(body)).toBe(code);
      if (field) expect(body.errors[0].extensions.argumentName).toBe(field);
      return body.errors[0].message as string;
    };
    expect(await bad({ url: 'ftp://example.org/x' }, 'BAD_USER_INPUT', 'url')).toMatch(/^url must be an absolute http\(s\) URL/);
    expect(await bad({ url: 'https://user:pw@example.org/x' }, 'BAD_USER_INPUT', 'url')).toMatch(/user name or password/);
    expect(await bad({ url: 'http://10.1.2.3/x' }, 'BAD_USER_INPUT', 'url')).toMatch(/10\.1\.2\.3 is a private address/);
    expect(await bad({ url: 'http://[::1]:8080/x' }, 'BAD_USER_INPUT', 'url')).toMatch(/::1 is a loopback address/);
    expect(await bad({ url: `https://example.org/${'x'.repeat(500)}` }, 'BAD_USER_INPUT', 'url')).toMatch(/at most 500 characters/);
    expect(await bad({ events: [] }, 'BAD_USER_INPUT', 'events')).toMatch(/at least one event type/);
    expect(await bad({ providerId: 'nobody' }, 'NOT_FOUND')).toMatch(/"nobody"/);
    const { body } = await stack.graphql(REGISTER, { providerId: 'beta', url: receiver.url, events: ['NO_SUCH_EVENT'] }, ADMIN);
    // Refused by the gateway's validation of the variables, before any subgraph is asked.
    expect(body.errors[0].message).toMatch(/"NO_SUCH_EVENT" does not exist in "WebhookEventType" enum/);
    expect((await stack.graphql(ENDPOINTS, { providerId: 'beta' }, ADMIN)).body.data.webhookEndpoints).toEqual([]);
    expect(codeOf((await stack.graphql(REPLAY, { id: '999999' }, ADMIN)).body)).toBe('NOT_FOUND');
    expect(codeOf((await stack.graphql(REPLAY, { id: 'x' }, ADMIN)).body)).toBe('NOT_FOUND');
    expect(codeOf((await stack.graphql(DELIVERIES, { endpointId: 'no-such-endpoint' }, ADMIN)).body)).toBe('NOT_FOUND');
  });

  test("an admin's change to a provider reaches its endpoint signed (Standard Webhooks), retried after a 500 with the same webhook-id, and the log shows both attempts", async () => {
    const { secret, endpoint } = await register(stack, 'carla', receiver.url, ['PROVIDER_ACTIVATION_CHANGED', 'OFFER_WITHDRAWN'], {
      sub: 'c',
      role: 'provider',
      provider: 'carla',
    });
    const before = receiver.received.length;
    receiver.answerWith(500, 200);
    expect((await stack.graphql(SET_ACTIVE, { id: 'carla', active: false }, ADMIN)).body.data.setProviderActive.active).toBe(false);
    const [first, second] = await eventually('a retry after the 500', () => receiver.received.length >= before + 2 && receiver.received.slice(before));
    expect([first.status, second.status]).toEqual([500, 200]);
    for (const hook of [first, second]) {
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(hook.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      const event = verified(hook, secret);
      expect(event).toEqual({
        type: 'provider.activation_changed',
        timestamp: expect.any(String),
        data: { providerId: 'carla', active: false, version: expect.any(Number) },
      });
    }
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    // Signed with another secret, the same delivery does not verify.
    expect(() => verified(second, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).toThrow();

    const [log] = await eventually('the log to show the delivery', async () => {
      // Read by an admin: a deactivated provider's own token is refused (test/e2e/deactivated-provider.test.ts).
      const list = await deliveries(stack, endpoint.id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(log).toMatchObject({
      eventId: first.headers['webhook-id'],
      eventType: 'PROVIDER_ACTIVATION_CHANGED',
      attempts: 2,
      lastResponseStatus: 200,
      nextAttemptAt: null,
      replayOf: null,
      payload: first.body,
    });
    expect(log.attemptLog.map((a: any) => [a.responseStatus, a.error])).toEqual([
      [500, 'the endpoint answered HTTP 500'],
      [200, null],
    ]);

    // An admin withdrawing one of carla's offers is told too; carla withdrawing one itself is not.
    const offers = (await stack.graphql(OFFERS, { id: 'carla' }, ADMIN)).body.data.provider.offers;
    expect(offers.length).toBeGreaterThanOrEqual(1);
    const count = receiver.received.length;
    await stack.graphql(WITHDRAW, { id: offers[0].id, version: offers[0].version }, ADMIN);
    const withdrawn = await eventually('the withdrawal notice', () => receiver.received.length > count && receiver.received[count]);
    expect(verified(withdrawn, secret)).toMatchObject({ type: 'offer.withdrawn', data: { providerId: 'carla', offerId: offers[0].id, withdrawnBy: 'admin' } });
    await stack.graphql(SET_ACTIVE, { id: 'carla', active: true }, ADMIN);
    await eventually('the reactivation notice', () => receiver.received.length > count + 1);
    expect((await deliveries(stack, endpoint.id)).length).toBe(3);
  });

  test('license events are relayed from the licenses outbox once (by event id), delivered in order per endpoint, and replayable', async () => {
    const { secret, endpoint } = await register(
      stack,
      'beta',
      receiver.url,
      ['LICENSE_REGISTERED', 'LICENSE_TRANSFERRED', 'LICENSE_SUSPENDED', 'MAINTENANCE_RECORDED'],
      BETA,
    );
    // An endpoint of another provider, subscribed to the same events, hears nothing of beta's licenses.
    const other = await register(stack, 'dora', receiver.url, ['LICENSE_REGISTERED'], ADMIN);
    const before = receiver.received.length;
    // The first attempt fails: the events behind it wait for it, so the order holds.
    receiver.answerWith(503, 200);
    const ids = [];
    ids.push(await licenseEvent(stack, 'license.registered', 'L-NEW-1', ['beta'], { status: 'ACTIVE' }));
    ids.push(await licenseEvent(stack, 'license.transferred', 'L-NEW-1', ['beta'], { holder: { name: 'Praxis Neu' } }));
    ids.push(await licenseEvent(stack, 'license.reinstated', 'L-NEW-1', ['beta'])); // not subscribed
    ids.push(await licenseEvent(stack, 'license.suspended', 'L-NEW-1', ['beta']));
    ids.push(await licenseEvent(stack, 'maintenance.recorded', 'L-NEW-1', ['beta'], { maintenancePaidThrough: '2027-12-31' }));
    const hooks = await eventually('four deliveries and a retry', () => receiver.received.length >= before + 5 && receiver.received.slice(before));
    expect(hooks.map((h) => [h.headers['webhook-id'], h.status])).toEqual([
      [ids[0], 503],
      [ids[0], 200],
      [ids[1], 200],
      [ids[3], 200],
      [ids[4], 200],
    ]);
    expect(hooks.map((h) => verified(h, secret).type)).toEqual([
      'license.registered',
      'license.registered',
      'license.transferred',
      'license.suspended',
      'maintenance.recorded',
    ]);
    expect(verified(hooks[4], secret).data).toEqual({ licenseKey: 'L-NEW-1', maintenancePaidThrough: '2027-12-31' });
    expect(await deliveries(stack, other.endpoint.id)).toEqual([]);

    // Relayed again (a lost answer, another replica): recorded once, nothing delivered twice.
    // Sent as the licenses subgraph sends them: signed with the stack's subgraph secret.
    const relay = (body: string, contentType = 'application/json') => {
      const url = new URL(LICENSE_EVENTS_PATH, stack.subgraphs.providers.url);
      const signature = signSubgraphRequest({ secret: stack.subgraphSecret, method: 'POST', path: url.pathname, body });
      return fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...signature }, body });
    };
    const again = await relay(
      JSON.stringify({
        events: [
          { id: ids[0], type: 'license.registered', licenseKey: 'L-NEW-1', providerIds: ['beta'], payload: {}, occurredAt: new Date().toISOString() },
          { id: 'not-a-uuid', type: 'license.registered' },
        ],
      }),
    );
    expect(await again.json()).toEqual({ recorded: [ids[0]], refused: [{ id: 'not-a-uuid', reason: 'id must be a UUID' }] });
    const malformed = await relay('{"events": "none"}');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors[0]).toEqual({
      message: 'the body must be {"events": [...]} with at most 500 events',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect((await relay('not json', 'text/plain')).status).toBe(400);
    const log = await deliveries(stack, endpoint.id);
    expect(log.map((d) => d.eventId)).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    const relayed = await stack.orms.licenses.em.fork().getConnection().execute(`select count(*) as n from "license_event" where "relayed_at" is not null`);
    expect(Number(relayed[0].n)).toBeGreaterThanOrEqual(5);

    // A page at a time, newest first.
    const page = (await stack.graphql(DELIVERIES, { endpointId: endpoint.id, first: 3 }, BETA)).body.data.webhookDeliveries;
    expect(page).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const rest = (await stack.graphql(DELIVERIES, { endpointId: endpoint.id, first: 3, after: page.pageInfo.endCursor }, BETA)).body.data.webhookDeliveries;
    expect(rest.edges.map((e: any) => e.node.eventId)).toEqual([ids[0]]);

    // Replay: a new delivery of the same event (same webhook-id), at the end of the queue.
    const count = receiver.received.length;
    const replay = (await stack.graphql(REPLAY, { id: log[3].id }, BETA)).body.data.replayWebhookDelivery;
    expect(replay).toMatchObject({ eventId: ids[0], replayOf: log[3].id });
    const replayed = await eventually('the replay', () => receiver.received.length > count && receiver.received[count]);
    expect(replayed.headers['webhook-id']).toBe(ids[0]);
    expect(verified(replayed, secret).type).toBe('license.registered');
    expect(codeOf((await stack.graphql(REPLAY, { id: log[3].id }, ALPHA)).body)).toBe('FORBIDDEN');
  });
});

describe('webhooks without the allow-list', () => {
  test('a delivery never reaches a loopback address: a literal one is refused at registration, a name that resolves to one at delivery', async () => {
    const receiver = await startWebhookReceiver();
    const stack = await startTestStack({ directory: networkDirectory(), webhooks: { ...TEST_WEBHOOKS, allowedHosts: [] } });
    try {
      const { body } = await stack.graphql(REGISTER, { providerId: 'alpha', url: receiver.url, events: ['PROVIDER_ACTIVATION_CHANGED'] }, ADMIN);
      expect(codeOf(body)).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(
        /^url must not point at a private or loopback address: 127\.0\.0\.1 is a loopback address; deliveries go to public addresses only/,
      );
      const { endpoint } = await register(stack, 'alpha', `http://localhost:${receiver.port}/hooks`, ['PROVIDER_ACTIVATION_CHANGED']);
      await stack.graphql(SET_ACTIVE, { id: 'alpha', active: false }, ADMIN);
      const [delivery] = await eventually('a refused attempt', async () => {
        const list = await deliveries(stack, endpoint.id);
        return list[0]?.attempts >= 2 && list;
      });
      expect(delivery.lastResponseStatus).toBeNull();
      expect(delivery.attemptLog[0].error).toMatch(/^refused: (127\.0\.0\.1|::1) is a loopback address \(localhost resolves to it\)/);
      expect(receiver.received).toEqual([]);
    } finally {
      await stack.close();
      await receiver.close();
    }
  });
});

describe('webhooks across a restart', () => {
  test('a delivery still due when the stack stops is delivered by the next stack on the same database', async () => {
    const databases = keptTestDatabases();
    const receiver = await startWebhookReceiver();
    // A long wait after the first failure: the first stack stops before it would try again.
    const patient = { ...TEST_WEBHOOKS, retryScheduleMs: [3_600_000] };
    try {
      receiver.answerWith(503);
      let first: TestStack | undefined = await startTestStack({ directory: networkDirectory(), webhooks: patient, databases });
      let secret: string;
      let endpointId: string;
      try {
        ({
          secret,
          endpoint: { id: endpointId },
        } = await register(first, 'beta', receiver.url, ['LICENSE_SUSPENDED'], BETA));
        await licenseEvent(first, 'license.suspended', 'L-VENDOR', ['beta'], { status: 'SUSPENDED' });
        await eventually('the failed first attempt', () => receiver.received.length === 1);
        const [pending] = await deliveries(first, endpointId);
        expect(pending).toMatchObject({ status: 'PENDING', attempts: 1, lastResponseStatus: 503 });
      } finally {
        await first.close();
        first = undefined;
      }
      receiver.answerWith(200);
      // The hour passes while nothing runs: the stored next attempt is moved to the past before the next stack starts.
      const hourLater = await openSubgraphDatabase(providersSubgraph, { database: { databaseUrl, dataDir: '' }, ...databases.of('providers') });
      try {
        expect(
          await hourLater.em.fork().nativeUpdate(WebhookDelivery, { status: WebhookDeliveryStatus.PENDING }, { nextAttemptAt: new Date(Date.now() - 1000) }),
        ).toBe(1);
      } finally {
        await hourLater.close(true);
      }
      const second = await startTestStack({ webhooks: TEST_WEBHOOKS, databases });
      try {
        const hook = await eventually('the delivery after the restart', () => receiver.received.length === 2 && receiver.received[1]);
        expect(hook.headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
        expect(verified(hook, secret!)).toMatchObject({ type: 'license.suspended', data: { licenseKey: 'L-VENDOR', status: 'SUSPENDED' } });
        const [done] = await eventually('the log', async () => {
          const list = await deliveries(second, endpointId!);
          return list[0]?.status === 'DELIVERED' && list;
        });
        expect(done.attempts).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
      await databases.drop();
    }
  });
});

describe('webhooks with several replicas', () => {
  test('three dispatchers on the same database deliver every event once, in order per endpoint', async () => {
    const databases = keptTestDatabases();
    const receiver = await startWebhookReceiver();
    const stack = await startTestStack({ directory: networkDirectory(), webhooks: { ...TEST_WEBHOOKS, pollIntervalMs: 20 }, databases });
    // Two more providers replicas' dispatchers, each with its own connection to the same database.
    const replicas = await Promise.all(
      [1, 2].map(() => openSubgraphDatabase(providersSubgraph, { database: { databaseUrl, dataDir: '' }, ...databases.of('providers') })),
    );
    const dispatchers = replicas.map((orm) => startWebhookDispatcher(orm, { ...DEFAULT_WEBHOOK_SETTINGS, ...TEST_WEBHOOKS, pollIntervalMs: 20 }));
    try {
      const first = await register(stack, 'beta', `${receiver.url}?endpoint=1`, ['LICENSE_REGISTERED', 'LICENSE_TRANSFERRED'], BETA);
      const second = await register(stack, 'beta', `${receiver.url}?endpoint=2`, ['LICENSE_REGISTERED', 'LICENSE_TRANSFERRED'], BETA);
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) ids.push(await licenseEvent(stack, i % 2 ? 'license.transferred' : 'license.registered', `L-R-${i}`, ['beta']));
      await eventually('every delivery', () => receiver.received.length >= 16);
      // Whatever a late duplicate would add shows up in the log's attempt counts too.
      for (const endpoint of [first, second]) {
        const log = await eventually('the log', async () => {
          const list = await deliveries(stack, endpoint.endpoint.id);
          return list.length === 8 && list.every((d) => d.status === 'DELIVERED') && list;
        });
        expect(log.map((d) => d.attempts)).toEqual(Array(8).fill(1));
      }
      for (const n of [1, 2]) {
        const got = receiver.received.filter((h) => h.path === `/hooks?endpoint=${n}`).map((h) => h.headers['webhook-id']);
        expect(got).toEqual(ids);
      }
      expect(receiver.received.length).toBe(16);
    } finally {
      for (const d of dispatchers) await d.close();
      for (const orm of replicas) await orm.close(true);
      await stack.close();
      await receiver.close();
      await databases.drop();
    }
  });
});

describe('webhooks with SUBGRAPH_SECRET', () => {
  const SECRET = 'webhook-test-subgraph-secret-of-32-bytes-or-more';
  let stack: TestStack;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    // Read by every service of the stack, as in a deployment: the gateway signs, the subgraphs verify.
    process.env.SUBGRAPH_SECRET = SECRET;
    receiver = await startWebhookReceiver();
    stack = await startTestStack({ directory: networkDirectory(), webhooks: TEST_WEBHOOKS });
  });
  afterAll(async () => {
    delete process.env.SUBGRAPH_SECRET;
    await stack?.close();
    await receiver?.close();
  });

  test('the licenses subgraph relays its events signed, and the internal route refuses what is not signed with the secret', async () => {
    const { secret } = await register(stack, 'alpha', receiver.url, ['LICENSE_SUSPENDED'], ALPHA);
    const id = await licenseEvent(stack, 'license.suspended', 'L-VENDOR', ['alpha'], { status: 'SUSPENDED' });
    const hook = await eventually('the relayed delivery', () => receiver.received[0]);
    expect(hook.headers['webhook-id']).toBe(id);
    expect(verified(hook, secret).data).toEqual({ licenseKey: 'L-VENDOR', status: 'SUSPENDED' });

    const forged = JSON.stringify({
      events: [
        {
          id: '0b0c5a52-8a47-4f0e-9d2e-3f4b5c6d7e8f',
          type: 'license.suspended',
          licenseKey: 'L-X',
          providerIds: ['alpha'],
          payload: {},
          occurredAt: new Date().toISOString(),
        },
      ],
    });
    const url = new URL(LICENSE_EVENTS_PATH, stack.subgraphs.providers.url);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
    expect(unsigned.status).toBe(401);
    const otherKey = signSubgraphRequest({ secret: 'x'.repeat(40), method: 'POST', path: url.pathname, body: forged });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...otherKey }, body: forged })).status).toBe(401);
    const rightKey = signSubgraphRequest({ secret: SECRET, method: 'POST', path: url.pathname, body: forged });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...rightKey }, body: forged })).status).toBe(200);
    await eventually('the signed event too', () => receiver.received.length >= 2);
    expect(receiver.received.map((h) => h.headers['webhook-id'])).toEqual([id, '0b0c5a52-8a47-4f0e-9d2e-3f4b5c6d7e8f']);
  });
});

describe('webhooks that fail, and the ways out (Standard Webhooks guidance)', () => {
  // Disabled after 3 failed attempts in a row (the rule's five days and ten attempts have their rule
  // test); a long attempt timeout, so that a held receiver is slow rather than failed.
  const FAILING = { ...TEST_WEBHOOKS, timeoutMs: 60_000, disablePolicy: { afterMs: 0, afterFailures: 3 } };
  const ENDPOINT = `query ($providerId: ID!) { webhookEndpoints(providerId: $providerId) { id enabled disabledAt disabledReason failingSince consecutiveFailures previousSecretValidUntil } }`;
  const ENABLE = `mutation ($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled disabledAt disabledReason consecutiveFailures } }`;
  const RETRY = `mutation ($id: ID!) { retryWebhookDelivery(id: $id) { id status attempts } }`;
  const SKIP = `mutation ($id: ID!) { skipWebhookDelivery(id: $id) { id status nextAttemptAt } }`;
  const ROTATE = `mutation ($id: ID!, $graceHours: Int) { rotateWebhookSecret(id: $id, graceHours: $graceHours) { secret endpoint { id previousSecretValidUntil } } }`;
  let stack: TestStack;
  const receivers: WebhookReceiver[] = [];
  const releases: Array<() => void> = [];

  beforeAll(async () => {
    stack = await startTestStack({ directory: networkDirectory(), webhooks: FAILING });
  });
  afterAll(async () => {
    releases.forEach((release) => release());
    await stack?.close();
    for (const r of receivers) await r.close();
  });
  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };
  const endpointOf = async (providerId: string, id: string) =>
    (await stack.graphql(ENDPOINT, { providerId }, ADMIN)).body.data.webhookEndpoints.find((e: any) => e.id === id);
  /** A delivery to another endpoint, waited for: the dispatcher has been round since (a barrier, not a clock). */
  const barrier = async () => {
    const other = await receiver();
    const { endpoint } = await register(stack, 'dora', other.url, ['LICENSE_REINSTATED']);
    await licenseEvent(stack, 'license.reinstated', 'L-BARRIER', ['dora']);
    await eventually('the barrier delivery', () => other.received.length === 1);
    await stack.graphql(REMOVE, { id: endpoint.id }, ADMIN);
  };

  test('410 Gone disables the endpoint at once: nothing more is attempted, the API shows why; enabled again, what waited goes out in order', async () => {
    const r = await receiver();
    r.answerWith(410);
    const { endpoint } = await register(stack, 'alpha', r.url, ['LICENSE_SUSPENDED'], ALPHA);
    const first = await licenseEvent(stack, 'license.suspended', 'L-GONE-1', ['alpha']);
    const disabled = await eventually('the endpoint disabled', async () => {
      const e = await endpointOf('alpha', endpoint.id);
      return e.enabled === false && e;
    });
    expect(disabled).toMatchObject({ disabledReason: 'the endpoint answered 410 Gone', consecutiveFailures: 1, disabledAt: expect.any(String) });
    const second = await licenseEvent(stack, 'license.suspended', 'L-GONE-2', ['alpha']);
    await barrier();
    await barrier();
    // One attempt in all (the 200 ms schedule would have retried it by now), the next event waiting.
    expect(r.received.length).toBe(1);
    const log = await deliveries(stack, endpoint.id, ALPHA);
    expect(log.map((d) => [d.eventId, d.status, d.attempts])).toEqual([
      [second, 'PENDING', 0],
      [first, 'PENDING', 1],
    ]);
    // Retry now is refused on a disabled endpoint: it has to be enabled first.
    const refused = await stack.graphql(RETRY, { id: log[1].id }, ALPHA);
    expect(codeOf(refused.body)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].message).toMatch(/is disabled \(the endpoint answered 410 Gone\): enable it first/);

    r.answerWith(200);
    expect(codeOf((await stack.graphql(ENABLE, { id: endpoint.id }, BETA)).body)).toBe('FORBIDDEN');
    const enabled = (await stack.graphql(ENABLE, { id: endpoint.id }, ALPHA)).body.data.enableWebhookEndpoint;
    expect(enabled).toEqual({ id: endpoint.id, enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
    await eventually('both deliveries', () => r.received.length === 3);
    expect(r.received.map((h) => [h.headers['webhook-id'], h.status])).toEqual([
      [first, 410],
      [first, 200],
      [second, 200],
    ]);
  });

  test('an endpoint whose every attempt fails for the disable period is disabled after exactly that many attempts', async () => {
    const r = await receiver();
    r.answerWith(500);
    const { endpoint } = await register(stack, 'alpha', r.url, ['LICENSE_REINSTATED'], ALPHA);
    await licenseEvent(stack, 'license.reinstated', 'L-FAILING', ['alpha']);
    const disabled = await eventually('the endpoint disabled', async () => {
      const e = await endpointOf('alpha', endpoint.id);
      return e.enabled === false && e;
    });
    expect(disabled.disabledReason).toMatch(/^every attempt failed since \d{4}-\d\d-\d\dT.+ \(3 in a row\)$/);
    expect(disabled.failingSince).toEqual(expect.any(String));
    await barrier();
    expect(r.received.map((h) => h.status)).toEqual([500, 500, 500]);
    const [delivery] = await deliveries(stack, endpoint.id);
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 3 });
  });

  test('Retry-After: the next attempt waits as long as the receiver asked (not the 200 ms schedule); "retry now" sends it at once', async () => {
    const r = await receiver();
    r.answerWith({ status: 503, headers: { 'retry-after': '3600' } }, 200);
    const { endpoint, secret } = await register(stack, 'beta', r.url, ['LICENSE_SUSPENDED'], BETA);
    const id = await licenseEvent(stack, 'license.suspended', 'L-LATER', ['beta']);
    await eventually('the first attempt', () => r.received.length === 1);
    await barrier();
    await barrier();
    expect(r.received.length).toBe(1);
    const [waiting] = await eventually('the log', async () => {
      const list = await deliveries(stack, endpoint.id, BETA);
      return list[0]?.attempts === 1 && list;
    });
    expect(waiting.status).toBe('PENDING');
    // The stored next attempt is an hour after the attempt: the receiver's wait, not the schedule's.
    expect(Date.parse(waiting.nextAttemptAt) - Date.parse(waiting.attemptLog[0].at)).toBe(3_600_000);

    // Another provider may not push it.
    expect(codeOf((await stack.graphql(RETRY, { id: waiting.id }, ALPHA)).body)).toBe('FORBIDDEN');
    const retried = (await stack.graphql(RETRY, { id: waiting.id }, BETA)).body.data.retryWebhookDelivery;
    expect(retried).toMatchObject({ id: waiting.id, status: 'PENDING', attempts: 1 });
    const hook = await eventually('the retry', () => r.received[1]);
    expect(hook.headers['webhook-id']).toBe(id);
    expect(verified(hook, secret).type).toBe('license.suspended');
    const [done] = await eventually('delivered', async () => {
      const list = await deliveries(stack, endpoint.id, BETA);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(done.attempts).toBe(2);
    // Done: neither retried nor skipped any more.
    const again = await stack.graphql(RETRY, { id: done.id }, BETA);
    expect(codeOf(again.body)).toBe('BAD_USER_INPUT');
    expect(again.body.errors[0].message).toMatch(/is DELIVERED, not PENDING/);
  });

  test('"skip" gives up a held head so the queue goes on, and a replay goes out at once instead of queueing behind a held head', async () => {
    const r = await receiver();
    const { endpoint } = await register(stack, 'carla', r.url, ['LICENSE_TRANSFERRED'], ADMIN);
    const early = await licenseEvent(stack, 'license.transferred', 'L-SKIP-0', ['carla']);
    await eventually('the early delivery', () => r.received.length === 1);
    // The receiver now says "not for an hour": the next event holds the queue.
    r.answerWith({ status: 503, headers: { 'retry-after': '3600' } });
    const held = await licenseEvent(stack, 'license.transferred', 'L-SKIP-1', ['carla']);
    const behind = await licenseEvent(stack, 'license.transferred', 'L-SKIP-2', ['carla']);
    await eventually('the held attempt', () => r.received.length === 2);
    r.answerWith(200);
    let log = await deliveries(stack, endpoint.id);
    const earlyDelivery = log.find((d) => d.eventId === early);
    // A replay of the early event goes out now, beside the held head.
    const replay = (await stack.graphql(REPLAY, { id: earlyDelivery.id }, ADMIN)).body.data.replayWebhookDelivery;
    expect(replay).toMatchObject({ eventId: early, status: 'PENDING' });
    await eventually('the replay', () => r.received.length === 3);
    expect(r.received[2].headers['webhook-id']).toBe(early);
    log = await deliveries(stack, endpoint.id);
    expect(log.find((d) => d.eventId === held)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(log.find((d) => d.eventId === behind)).toMatchObject({ status: 'PENDING', attempts: 0 });

    // Skip the held head: the next event goes.
    const heldDelivery = log.find((d) => d.eventId === held);
    const skipped = (await stack.graphql(SKIP, { id: heldDelivery.id }, { sub: 'c', role: 'provider', provider: 'carla' })).body.data.skipWebhookDelivery;
    expect(skipped).toEqual({ id: heldDelivery.id, status: 'SKIPPED', nextAttemptAt: null });
    await eventually('the event behind it', () => r.received.length === 4);
    expect(r.received[3].headers['webhook-id']).toBe(behind);
    const again = await stack.graphql(SKIP, { id: heldDelivery.id }, ADMIN);
    expect(codeOf(again.body)).toBe('BAD_USER_INPUT');
    expect(again.body.errors[0].message).toMatch(/is SKIPPED, not PENDING/);
    expect(codeOf((await stack.graphql(SKIP, { id: heldDelivery.id }, BETA)).body)).toBe('FORBIDDEN');
    expect(codeOf((await stack.graphql(SKIP, { id: '99999999' }, ADMIN)).body)).toBe('NOT_FOUND');
    // Skipped, not lost: a replay sends it.
    await stack.graphql(REPLAY, { id: heldDelivery.id }, ADMIN);
    await eventually('the skipped event, replayed', () => r.received.length === 5);
    expect(r.received[4].headers['webhook-id']).toBe(held);
  });

  test('secret rotation: both signatures while the old secret is in its grace period (each verifies), then the new one alone', async () => {
    const r = await receiver();
    const { endpoint, secret: oldSecret } = await register(stack, 'beta', r.url, ['MAINTENANCE_RECORDED'], BETA);
    expect(codeOf((await stack.graphql(ROTATE, { id: endpoint.id }, ALPHA)).body)).toBe('FORBIDDEN');
    const bad = await stack.graphql(ROTATE, { id: endpoint.id, graceHours: 1000 }, BETA);
    expect(codeOf(bad.body)).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/^graceHours must be a whole number from 0 to 168/);
    const rotated = (await stack.graphql(ROTATE, { id: endpoint.id }, BETA)).body.data.rotateWebhookSecret;
    const newSecret: string = rotated.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    // A day's grace by default.
    expect(Date.parse(rotated.endpoint.previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    await licenseEvent(stack, 'maintenance.recorded', 'L-ROT-1', ['beta']);
    const during = await eventually('a delivery during the grace period', () => r.received[0]);
    const signatures = during.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    signatures.forEach((s) => expect(s).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/));
    // A receiver with either secret verifies it (the standardwebhooks package tries every signature).
    expect(verified(during, newSecret).type).toBe('maintenance.recorded');
    expect(verified(during, oldSecret).type).toBe('maintenance.recorded');

    // The grace period is over (moved to the past in the database; no clock is waited for).
    const em = stack.orms.providers.em.fork();
    expect(
      await em.getConnection().execute(`update "webhook_endpoint" set "previous_secret_until" = ? where "id" = ?`, [new Date(Date.now() - 1000), endpoint.id]),
    ).toBeDefined();
    expect((await endpointOf('beta', endpoint.id)).previousSecretValidUntil).toBeNull();
    await licenseEvent(stack, 'maintenance.recorded', 'L-ROT-2', ['beta']);
    const after = await eventually('a delivery after the grace period', () => r.received[1]);
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verified(after, newSecret).type).toBe('maintenance.recorded');
    expect(() => verified(after, oldSecret)).toThrow();

    // graceHours 0: the replaced secret stops signing at once.
    const third = (await stack.graphql(ROTATE, { id: endpoint.id, graceHours: 0 }, ADMIN)).body.data.rotateWebhookSecret;
    expect(third.endpoint.previousSecretValidUntil).toBeNull();
    await licenseEvent(stack, 'maintenance.recorded', 'L-ROT-3', ['beta']);
    const last = await eventually('a delivery after an immediate rotation', () => r.received[2]);
    expect(verified(last, third.secret).type).toBe('maintenance.recorded');
    expect(() => verified(last, newSecret)).toThrow();
    // The secrets are in no audit entry.
    const trail = JSON.stringify((await stack.graphql(`{ auditTrail(providerId: "beta", first: 20) { edges { node { action after } } } }`, {}, BETA)).body);
    expect(trail).toContain('rotateWebhookSecret');
    expect(trail).not.toContain('whsec_');
  });

  test("a slow endpoint holds only its own queue: another endpoint's deliveries go on while it has not answered", async () => {
    const slow = await receiver();
    const fast = await receiver();
    const release = slow.hold();
    releases.push(release);
    await register(stack, 'alpha', slow.url, ['LICENSE_VENDOR_CHANGED'], ADMIN);
    await register(stack, 'beta', fast.url, ['LICENSE_VENDOR_CHANGED'], ADMIN);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await licenseEvent(stack, 'license.vendor_changed', `L-SLOW-${i}`, ['alpha', 'beta']));
    // The fast endpoint hears of all three while the slow one is still on the first (60 s allowed).
    await eventually('the fast endpoint', () => fast.received.length === 3, 15_000);
    expect(fast.received.map((h) => h.headers['webhook-id'])).toEqual(ids);
    expect(slow.received.map((h) => h.headers['webhook-id'])).toEqual([ids[0]]);
    release();
    await eventually('the slow endpoint, in order', () => slow.received.length === 3);
    expect(slow.received.map((h) => h.headers['webhook-id'])).toEqual(ids);
  });
});
