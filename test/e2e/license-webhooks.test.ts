/**
 * A distributor's integration hears of its customers' licenses: the lifecycle mutations, sent
 * through the gateway, write their events to the licenses outbox; the relay hands them to the
 * providers subgraph, which delivers them signed (Standard Webhooks) to the distributor's endpoint
 * on the loopback. The whole path, no event written by hand. SQLite, and PostgreSQL with DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { DEMO_DIRECTORY } from '../../lib/config';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const DISTRIBUTOR = { sub: 'alpendent-orders', role: 'provider', provider: 'alpendent-demo' } as const;
const ADMIN = { sub: 'ops', role: 'admin' } as const;

let stack: TestStack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startTestStack({
    directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')),
    webhooks: { pollIntervalMs: 50, retryScheduleMs: [200, 200, 200], allowedHosts: ['127.0.0.1'] },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

test('registerLicense, then recordMaintenancePayment, reach the vendor endpoint in order, signed', async () => {
  const registered = await stack.graphql(
    `mutation ($providerId: ID!, $url: String!) { registerWebhookEndpoint(providerId: $providerId, url: $url, events: [LICENSE_REGISTERED, MAINTENANCE_RECORDED]) { secret } }`,
    { providerId: 'alpendent-demo', url: receiver.url },
    DISTRIBUTOR,
  );
  expect(registered.body.errors).toBeUndefined();
  const secret = registered.body.data.registerWebhookEndpoint.secret as string;

  const input = {
    key: 'LC-HOOK-1',
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    holder: { name: 'Praxis Hook', country: 'AT', language: 'de', vatId: null },
  };
  const license = await stack.graphql(
    `mutation ($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key version } }`,
    { input },
    DISTRIBUTOR,
  );
  expect(license.body.errors).toBeUndefined();
  const paid = await stack.graphql(
    `mutation ($key: ID!, $version: Int!) { recordMaintenancePayment(key: $key, version: $version, paidThrough: "2027-12-31") { version maintenancePaidThrough } }`,
    { key: 'LC-HOOK-1', version: license.body.data.registerLicense.version },
    ADMIN,
  );
  expect(paid.body.errors).toBeUndefined();

  const hooks = await eventually('both deliveries', () => (receiver.received.length >= 2 ? receiver.received : undefined));
  const events = hooks.map((hook) => new Webhook(secret).verify(hook.body, hook.headers) as { type: string; data: Record<string, any> });
  expect(events.map((event) => event.type)).toEqual(['license.registered', 'maintenance.recorded']);
  expect(events[0].data).toMatchObject({ key: 'LC-HOOK-1', vendorId: 'alpendent-demo', status: 'ACTIVE' });
  expect(events[1].data).toMatchObject({ key: 'LC-HOOK-1', maintenancePaidThrough: '2027-12-31' });
});
