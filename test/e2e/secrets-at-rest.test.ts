/**
 * Secrets at rest (docs/security-data.md "Secrets at rest"): an API key, a holder's access code and
 * a webhook signing secret, each issued with an Idempotency-Key (so its answer is kept for retries),
 * are nowhere in the databases: a scan of the providers and licenses SQLite files' raw bytes (or,
 * on PostgreSQL, of every row of their schemas) finds neither the secret nor its base64. The
 * retries still answer the same secret, and the webhook secret still signs deliveries. A webhook
 * secret stored before sealing (plain) still signs, and is sealed when the providers subgraph starts.
 * After a rotation of SECRETS_KEYS (a new key first, the old one after it) webhook secrets are
 * re-sealed with the new key at start and still sign, and answers kept under the old key still open.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { DEMO_DIRECTORY } from '../../lib/config';
import type { SubgraphEM } from '../../lib/orm';
import { isSealedSecret, sealedKeyId } from '../../lib/secret-box';
import { developmentSecretKeys } from '../../lib/secret-keys';
import { WebhookEndpoint } from '../../subgraphs/providers/webhooks/webhook.entities';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { ADMIN, databaseUrl, keptTestDatabases, startTestStack, tokenFor, type KeptTestDatabases, type TestStack } from '../support/stack';

const WEBHOOKS = { pollIntervalMs: 50, retryScheduleMs: [200, 200], allowedHosts: ['127.0.0.1'] };
const ALPENDENT = { sub: 'orders-system', role: 'provider', provider: 'alpendent-demo' };

let databases: KeptTestDatabases;
let receiver: WebhookReceiver;
let stack: TestStack;

beforeAll(async () => {
  databases = keptTestDatabases();
  receiver = await startWebhookReceiver();
  stack = await startTestStack({ directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')), databases, webhooks: WEBHOOKS });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
  await databases?.drop();
});

async function post(query: string, variables: Record<string, unknown>, key: string, as: object = ADMIN) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(as as typeof ADMIN)}`, 'idempotency-key': key },
    body: JSON.stringify({ query, variables }),
  });
  return { replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
}

/** Issues with a key, retries with it (the kept answer), and returns the secret. */
async function issuedTwice(query: string, variables: Record<string, unknown>, secretOf: (data: any) => string): Promise<string> {
  const key = randomUUID();
  const first = await post(query, variables, key);
  expect(first.body.errors).toBeUndefined();
  const retry = await post(query, variables, key);
  expect(retry.replayed).toBe('true');
  expect(retry.body).toEqual(first.body);
  return secretOf(first.body.data);
}

/** Everything the two databases hold, as bytes: the SQLite files as they are on disk, or every row of the PostgreSQL schemas. */
async function storedBytes(): Promise<Buffer> {
  const names = ['providers', 'licenses'] as const;
  if (!databaseUrl) {
    return Buffer.concat(
      names.flatMap((name) => {
        const file = databases.of(name).sqliteFile;
        return [file, `${file}-journal`, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
      }),
    );
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const parts: string[] = [];
    for (const name of names) {
      const schema = databases.of(name).pgSchema;
      const tables = await client.query(`select table_name from information_schema.tables where table_schema = $1`, [schema]);
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`select row_to_json(t)::text as row from "${schema}"."${table_name}" t`);
        parts.push(...rows.rows.map((r: { row: string }) => r.row));
      }
    }
    return Buffer.from(parts.join('\n'));
  } finally {
    await client.end();
  }
}

/** The ways a secret could sit in the bytes: as it is, and in base64 at each of the three alignments. */
function tracesOf(secret: string): string[] {
  const traces = [secret];
  for (const pad of ['', 'x', 'xx']) {
    const encoded = Buffer.from(pad + secret).toString('base64');
    // Drop the characters that depend on what surrounds the secret.
    traces.push(encoded.slice(4, -4));
  }
  return traces;
}

test('an API key, an access code and a webhook secret issued with an Idempotency-Key are not in the databases; the retries answer them', async () => {
  const apiKey = await issuedTwice(
    'mutation($p: ID!) { issueApiKey(providerId: $p, label: "ERP sync") { id key } }',
    { p: 'alpendent-demo' },
    (data) => data.issueApiKey.key,
  );
  const accessCode = await issuedTwice(
    'mutation($k: ID!) { issueLicenseAccessCode(licenseKey: $k) { accessCode } }',
    { k: 'OC3-DEMO-0001' },
    (data) => data.issueLicenseAccessCode.accessCode,
  );
  const webhookSecret = await issuedTwice(
    'mutation($p: ID!, $url: String!) { registerWebhookEndpoint(providerId: $p, url: $url, events: [LICENSE_REGISTERED]) { secret endpoint { id } } }',
    { p: 'alpendent-demo', url: receiver.url },
    (data) => data.registerWebhookEndpoint.secret,
  );
  expect(webhookSecret).toMatch(/^whsec_/);

  const stored = await storedBytes();
  expect(stored.length).toBeGreaterThan(0);
  const secrets = {
    apiKey,
    accessCode,
    accessCodeAsTyped: accessCode.replace(/-/g, ''),
    webhookSecret,
    webhookKey: webhookSecret.slice('whsec_'.length),
  };
  for (const [what, secret] of Object.entries(secrets)) {
    for (const trace of tracesOf(secret)) expect({ what, found: stored.includes(trace) }).toEqual({ what, found: false });
  }

  // Sealed, the secret still signs: a license registered by the provider reaches the endpoint verifiably.
  const before = receiver.received.length;
  const input = {
    key: 'SEALED-1',
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    holder: { name: 'Praxis', country: 'AT', language: 'de' },
  };
  const registered = await post('mutation($i: LicenseRegistrationInput!) { registerLicense(input: $i) { key } }', { i: input }, randomUUID(), ALPENDENT);
  expect(registered.body.errors).toBeUndefined();
  const hook = await eventually('the license.registered delivery', () => receiver.received.slice(before).find((h) => h.body.includes('SEALED-1')));
  expect(new Webhook(webhookSecret).verify(hook.body, hook.headers)).toMatchObject({ type: 'license.registered' });
});

test('a webhook secret stored before sealing still signs, and is sealed when the providers subgraph starts', async () => {
  const plain = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const id = randomUUID();
  const em = stack.orms.providers.em.fork() as SubgraphEM;
  await em.insert(WebhookEndpoint, {
    id,
    providerId: 'alpendent-demo',
    url: receiver.url,
    events: ['license.registered'] as any,
    secret: plain,
    createdAt: new Date(),
    consecutiveFailures: 0,
  });
  await stack.close();
  stack = await startTestStack({ databases, webhooks: WEBHOOKS });
  const row = await (stack.orms.providers.em.fork() as SubgraphEM).findOneOrFail(WebhookEndpoint, { id });
  expect(isSealedSecret(row.secret)).toBe(true);
  expect((await storedBytes()).includes(plain)).toBe(false);

  const before = receiver.received.length;
  const input = {
    key: 'SEALED-2',
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    holder: { name: 'Praxis', country: 'AT', language: 'de' },
  };
  await post('mutation($i: LicenseRegistrationInput!) { registerLicense(input: $i) { key } }', { i: input }, randomUUID(), ALPENDENT);
  const verified = await eventually('a delivery to the endpoint stored plain', () =>
    receiver.received.slice(before).find((h) => {
      try {
        new Webhook(plain).verify(h.body, h.headers);
        return h.body.includes('SEALED-2');
      } catch {
        return false;
      }
    }),
  );
  expect(verified).toBeDefined();
});

test('rotating SECRETS_KEYS: with a new key first and the old one after it, webhook secrets are re-sealed with the new key at start and still sign, and an answer kept under the old key is still replayed', async () => {
  const kept = randomUUID();
  const issue = () => post('mutation($p: ID!) { issueApiKey(providerId: $p, label: "rotation") { key } }', { p: 'alpendent-demo' }, kept);
  const before = await issue();
  const endpoint = await post(
    'mutation($p: ID!, $url: String!) { registerWebhookEndpoint(providerId: $p, url: $url, events: [LICENSE_REGISTERED]) { secret endpoint { id } } }',
    { p: 'alpendent-demo', url: receiver.url },
    randomUUID(),
  );
  const { secret, endpoint: registered } = endpoint.body.data.registerWebhookEndpoint;
  const saved = process.env.SECRETS_KEYS;
  // The ring the stack ran with (development: no SECRETS_KEYS, no SUBGRAPH_SECRET in this environment), now second.
  const old = developmentSecretKeys(process.env.SUBGRAPH_SECRET || undefined).current;
  process.env.SECRETS_KEYS = `k2:${Buffer.alloc(32, 42).toString('base64')},${old.id}:${old.key.toString('base64')}`;
  try {
    await stack.close();
    stack = await startTestStack({ databases, webhooks: WEBHOOKS });
  } finally {
    if (saved === undefined) delete process.env.SECRETS_KEYS;
    else process.env.SECRETS_KEYS = saved;
  }
  const row = await (stack.orms.providers.em.fork() as SubgraphEM).findOneOrFail(WebhookEndpoint, { id: registered.id });
  expect(sealedKeyId(row.secret)).toBe('k2');
  const replayed = await issue();
  expect(replayed).toEqual({ replayed: 'true', body: before.body });

  const count = receiver.received.length;
  const input = {
    key: 'SEALED-3',
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    holder: { name: 'Praxis', country: 'AT', language: 'de' },
  };
  await post('mutation($i: LicenseRegistrationInput!) { registerLicense(input: $i) { key } }', { i: input }, randomUUID(), ALPENDENT);
  const hook = await eventually('a delivery signed with the re-sealed secret', () =>
    receiver.received.slice(count).find((h) => {
      try {
        new Webhook(secret).verify(h.body, h.headers);
        return h.body.includes('SEALED-3');
      } catch {
        return false;
      }
    }),
  );
  expect(hook).toBeDefined();
});
