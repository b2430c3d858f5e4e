/**
 * Idempotency-Key through the gateway (gateway/shared-state/idempotency.ts, lib/idempotent-mutations.ts): a
 * retried registerLicense answers the same and registers once; the same key with other variables is
 * IDEMPOTENCY_KEY_REUSED; another caller's same key is independent; two concurrent requests with
 * one key do not both run; after the whole stack restarts on the same databases, the key still
 * holds; a first run whose process died is taken over if it never committed, and answered
 * IDEMPOTENCY_ANSWER_LOST if it did. SQLite files in a
 * temporary folder, or PostgreSQL schemas with DATABASE_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY, SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import type { SubgraphEM } from '../../lib/orm';
import { startStack, type RunningStack } from '../../app/stack';
import { LicenseEvent } from '../../subgraphs/licenses/events/license-event.entity';
import { databaseUrl, dropTestSchemas, TEST_JWT_SECRET, tokenFor } from '../support/stack';
import { randomUUID } from 'node:crypto';
import { IdempotencyRecord } from '../../lib/idempotency-record.entity';
import { IDEMPOTENCY_LEASE_MS, idempotencyKeyHash } from '../../lib/idempotency';
import { requestFingerprint } from '../../gateway/shared-state/idempotency';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idempotency-'));
const schemas = SUBGRAPH_NAMES.map((name) => `test_${process.pid}_idem_${name}`);
const database = (name: SubgraphName) => ({
  database: { databaseUrl, dataDir: dir },
  sqliteFile: path.join(dir, `${name}.sqlite`),
  pgSchema: `test_${process.pid}_idem_${name}`,
});

const start = (directory?: unknown) =>
  startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    database,
    beforeServe: async (orms) => {
      if (directory === undefined) return;
      const result = await importDirectory(directory, orms);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    },
    gateway: { rateLimit: false, jwtSecret: TEST_JWT_SECRET },
  });

let stack: RunningStack;
beforeAll(async () => {
  stack = await start(JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')));
});
afterAll(async () => {
  await stack?.close();
  await dropTestSchemas(databaseUrl ? schemas : []);
  fs.rmSync(dir, { recursive: true, force: true });
});

const ALPENDENT = { sub: 'orders-system', role: 'provider', provider: 'alpendent-demo' };
const HELVEDENT = { sub: 'orders-system', role: 'provider', provider: 'helvedent-demo' };
const REGISTER = 'mutation Register($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key version vendor { id } } }';
const input = (key: string) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'WORKSTATION',
  programVersion: '3.2',
  holder: { name: 'Praxis Tokio', country: 'JP', language: 'ja' },
});

async function post(as: Parameters<typeof tokenFor>[0], body: object, key?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(as)}` };
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(stack.gateway.url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text: await response.text() };
}

const registrations = async (key: string) =>
  (await (stack.orms.licenses.em.fork() as SubgraphEM).find(LicenseEvent, { licenseKey: key, type: 'license.registered' })).length;

test("a retry answers the same and registers once; other variables are IDEMPOTENCY_KEY_REUSED; another caller's same key is its own", async () => {
  const first = await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-1') } }, 'order-4711');
  expect(first.status).toBe(200);
  expect(JSON.parse(first.text)).toEqual({ data: { registerLicense: { key: 'IDEM-1', version: 1, vendor: { id: 'alpendent-demo' } } } });
  expect(first.replayed).toBeNull();

  // Variables in another order are the same request.
  const { key: _k, ...rest } = input('IDEM-1');
  const retry = await post(ALPENDENT, { variables: { input: { ...rest, key: 'IDEM-1' } }, query: REGISTER }, 'order-4711');
  expect(retry).toEqual({ status: 200, replayed: 'true', text: first.text });
  expect(await registrations('IDEM-1')).toBe(1);

  const reused = await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-2') } }, 'order-4711');
  expect(reused.status).toBe(422);
  expect(JSON.parse(reused.text).errors[0]).toMatchObject({ message: expect.stringContaining('order-4711'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  expect(await registrations('IDEM-2')).toBe(0);

  const other = await post(HELVEDENT, { query: REGISTER, variables: { input: input('IDEM-3') } }, 'order-4711');
  expect(JSON.parse(other.text)).toEqual({ data: { registerLicense: { key: 'IDEM-3', version: 1, vendor: { id: 'helvedent-demo' } } } });
});

test('without the header a retry runs again (and is refused: the key is taken); a refusal is a kept answer too', async () => {
  const again = await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-1') } });
  expect(JSON.parse(again.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const refused = await post(ALPENDENT, { query: REGISTER, variables: { input: input('OC3-DEMO-0001') } }, 'order-taken');
  const retried = await post(ALPENDENT, { query: REGISTER, variables: { input: input('OC3-DEMO-0001') } }, 'order-taken');
  expect(retried).toEqual({ ...refused, replayed: 'true' });
});

test('two concurrent requests with one key: exactly one runs', async () => {
  const body = { query: REGISTER, variables: { input: input('IDEM-RACE') } };
  const answers = await Promise.all([post(ALPENDENT, body, 'order-race'), post(ALPENDENT, body, 'order-race'), post(ALPENDENT, body, 'order-race')]);
  for (const answer of answers) {
    if (answer.status === 200) expect(JSON.parse(answer.text).data.registerLicense.key).toBe('IDEM-RACE');
    else expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_USE');
  }
  expect(await registrations('IDEM-RACE')).toBe(1);
  const settled = await post(ALPENDENT, body, 'order-race');
  expect(settled.replayed).toBe('true');
});

test('queries ignore the header; a key that is no key is refused', async () => {
  const query = await post(ALPENDENT, { query: '{ license(key: "IDEM-1") { key } }' }, 'order-4711');
  expect(JSON.parse(query.text)).toEqual({ data: { license: { key: 'IDEM-1' } } });
  const bad = await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-X') } }, 'x'.repeat(256));
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_INVALID');
});

test('signIn is checked afresh every time: the key keeps no answer for it', async () => {
  const issued = await post(
    { sub: 'ops', role: 'admin' },
    { query: 'mutation { issueLicenseAccessCode(licenseKey: "OC3-DEMO-0001") { accessCode } }' },
    randomUUID(),
  );
  const code = JSON.parse(issued.text).data.issueLicenseAccessCode.accessCode;
  const signIn = async (accessCode: string) => {
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'practice-sign-in' },
      body: JSON.stringify({ query: 'mutation($c: String!) { signIn(licenseKey: "OC3-DEMO-0001", accessCode: $c) { token } }', variables: { c: accessCode } }),
    });
    return { replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
  };
  const wrong = await signIn('WRONG-CODE');
  expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  // Other variables under the same key: not IDEMPOTENCY_KEY_REUSED, the code is checked.
  const right = await signIn(code);
  expect(right.replayed).toBeNull();
  expect(right.body.data.signIn.token).toEqual(expect.any(String));
  const again = await signIn(code);
  expect(again.replayed).toBeNull();
  expect(again.body.data.signIn.token).toEqual(expect.any(String));
});

test('after the whole stack restarts on the same databases, the key still holds', async () => {
  await stack.close();
  stack = await start();
  const retry = await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-1') } }, 'order-4711');
  expect(retry.status).toBe(200);
  expect(retry.replayed).toBe('true');
  expect(JSON.parse(retry.text)).toEqual({ data: { registerLicense: { key: 'IDEM-1', version: 1, vendor: { id: 'alpendent-demo' } } } });
  expect((await post(ALPENDENT, { query: REGISTER, variables: { input: input('IDEM-9') } }, 'order-4711')).status).toBe(422);
  expect(await registrations('IDEM-1')).toBe(1);
});

test('a first run presumed lost (past the lease): one that never committed is taken over and runs once; one that committed without keeping its answer is IDEMPOTENCY_ANSWER_LOST and runs nothing', async () => {
  const em = stack.orms.licenses.em.fork() as SubgraphEM;
  const longAgo = new Date(Date.now() - IDEMPOTENCY_LEASE_MS - 60_000);
  const body = (licenseKey: string) => ({ query: REGISTER, operationName: 'Register', variables: { input: input(licenseKey) } });
  // The row a first run leaves when its process dies (lib/idempotent-mutations.ts).
  const left = (key: string, licenseKey: string, state: 'running' | 'committed', claimedAt = longAgo) =>
    em.insert(IdempotencyRecord, {
      scope: 'provider:alpendent-demo:orders-system',
      keyHash: idempotencyKeyHash(key),
      fingerprint: requestFingerprint({ document: REGISTER, operationName: 'Register', variables: { input: input(licenseKey) } }),
      state,
      claim: randomUUID(),
      claimedAt,
      expiresAt: new Date(Date.now() + 60 * 60 * 1000),
      answer: null,
    });

  await left('order-crashed', 'IDEM-CRASHED', 'running');
  const taken = await post(ALPENDENT, body('IDEM-CRASHED'), 'order-crashed');
  expect(taken.replayed).toBeNull();
  expect(JSON.parse(taken.text).data.registerLicense.key).toBe('IDEM-CRASHED');
  expect(await post(ALPENDENT, body('IDEM-CRASHED'), 'order-crashed')).toEqual({ ...taken, replayed: 'true' });
  expect(await registrations('IDEM-CRASHED')).toBe(1);

  await left('order-answer-lost', 'IDEM-LOST', 'committed');
  const lost = await post(ALPENDENT, body('IDEM-LOST'), 'order-answer-lost');
  expect(lost.status).toBe(409);
  expect(JSON.parse(lost.text).errors[0].extensions.code).toBe('IDEMPOTENCY_ANSWER_LOST');
  expect(await registrations('IDEM-LOST')).toBe(0);

  // Within the lease, the first run may still go on: the retry waits.
  await left('order-still-running', 'IDEM-RUNNING', 'running', new Date());
  const running = await post(ALPENDENT, body('IDEM-RUNNING'), 'order-still-running');
  expect(running.status).toBe(409);
  expect(JSON.parse(running.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_USE');
  expect(await registrations('IDEM-RUNNING')).toBe(0);
});
