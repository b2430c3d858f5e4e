/**
 * A first run that is alive but slow past the lease cannot commit once a retry took its key over
 * (lib/idempotent-mutations.ts): its commit is refused inside its own transaction, so of the two
 * only the retry changes data. A registerLicense held inside its transaction (its call to the
 * providers subgraph's /license-changes waits behind a proxy) while a retry, after the lease, takes
 * the key over: the license is registered once, the retry answers it, the first run is
 * IDEMPOTENCY_KEY_IN_USE. PostgreSQL only: on SQLite one connection serves a database, so no retry
 * can claim anything while a run holds a transaction.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DEMO_DIRECTORY } from '../../lib/config';
import { IDEMPOTENCY_LEASE_MS, idempotencyKeyHash } from '../../lib/idempotency';
import { IdempotencyRecord } from '../../lib/idempotency-record.entity';
import { LICENSE_CHANGES_PATH } from '../../lib/license-changes';
import { listen, type RunningServer } from '../../lib/http';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { createSubgraphService, openSubgraphDatabase, subgraphServiceSettings } from '../../lib/subgraph';
import { licensesSubgraph } from '../../subgraphs/licenses/subgraph';
import { LicenseEvent } from '../../subgraphs/licenses/events/license-event.entity';
import {
  databaseUrl,
  gatewayBeside,
  keptTestDatabases,
  startTestStack,
  subgraphUrlsOf,
  tokenFor,
  type KeptTestDatabases,
  type TestStack,
} from '../support/stack';
import { parsedSettings } from '../support/settings';

const describeOnPostgres = databaseUrl ? describe : describe.skip;

describeOnPostgres('a retry that takes over a slow first run', () => {
  let databases: KeptTestDatabases;
  let stack: TestStack;
  let held: { arrived: Promise<void>; release: () => void } | undefined;
  let hold = false;
  let proxy: http.Server;
  let licenses: RunningServer;
  let gateway: RunningServer;
  let secondOrm: SubgraphORM;

  beforeAll(async () => {
    databases = keptTestDatabases();
    stack = await startTestStack({ directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')), databases });
    // In front of the providers subgraph: holds the next /license-changes call (made inside the license change's transaction).
    const providers = new URL(stack.subgraphs.providers.url);
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (hold && req.url?.startsWith(LICENSE_CHANGES_PATH)) {
          hold = false;
          let release!: () => void;
          const released = new Promise<void>((r) => (release = r));
          let arrived!: () => void;
          const arrival = new Promise<void>((r) => (arrived = r));
          const current = { arrived: arrival, release };
          held = current;
          arrived();
          await released;
        }
        const headers = { ...req.headers };
        delete headers.host;
        const upstream = http.request(new URL(req.url ?? '/', providers), { method: req.method, headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    // A second licenses replica on the same database, reaching the providers subgraph through the proxy.
    secondOrm = await openSubgraphDatabase(licensesSubgraph, { database: { databaseUrl, dataDir: '' }, pgSchema: databases.of('licenses').pgSchema });
    const service = await createSubgraphService(licensesSubgraph, secondOrm, {
      ...subgraphServiceSettings(parsedSettings(process.env)),
      secret: stack.subgraphSecret,
      providersUrl: proxyUrl,
    });
    licenses = await listen(service, 0);
    gateway = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses: licenses.url } });
  });
  afterAll(async () => {
    held?.release();
    await gateway?.close();
    await licenses?.close();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await stack?.close();
    await databases?.drop();
  });

  const ALPENDENT = { sub: 'orders-system', role: 'provider', provider: 'alpendent-demo' };
  const REGISTER = 'mutation Register($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key version } }';
  const body = {
    query: REGISTER,
    variables: {
      input: {
        key: 'FENCE-1',
        packageName: 'OnyxCeph³ 3D Pro',
        type: 'WORKSTATION',
        programVersion: '3.2',
        holder: { name: 'Praxis', country: 'AT', language: 'de' },
      },
    },
  };
  async function post(url: string, key: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(ALPENDENT)}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  test('the license is registered once: by the retry; the first run is refused at its commit', async () => {
    const key = randomUUID();
    const em = () => stack.orms.licenses.em.fork() as SubgraphEM;
    const where = { scope: 'provider:alpendent-demo:orders-system', keyHash: idempotencyKeyHash(key) };
    hold = true;
    const first = post(gateway.url, key);
    for (let i = 0; i < 400 && !held; i++) await new Promise((r) => setTimeout(r, 25));
    await held!.arrived;
    // The first run now waits inside its transaction. Its lease has passed (as if it had been slow for minutes).
    const claimed = await em().findOneOrFail(IdempotencyRecord, where);
    expect(claimed.state).toBe('running');
    await em().nativeUpdate(IdempotencyRecord, where, { claimedAt: new Date(Date.now() - IDEMPOTENCY_LEASE_MS - 60_000) });
    const retry = post(stack.url, key);
    // The retry takes the key over (and then waits for the first run's uncommitted license row).
    for (let i = 0; i < 400 && (await em().findOneOrFail(IdempotencyRecord, where)).claim === claimed.claim; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await em().findOneOrFail(IdempotencyRecord, where)).claim).not.toBe(claimed.claim);
    held!.release();
    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    expect(firstAnswer.status).toBe(409);
    expect(firstAnswer.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(retryAnswer).toEqual({ status: 200, body: { data: { registerLicense: { key: 'FENCE-1', version: 1 } } } });
    expect((await em().find(LicenseEvent, { licenseKey: 'FENCE-1', type: 'license.registered' })).length).toBe(1);
    expect((await em().findOneOrFail(IdempotencyRecord, where)).state).toBe('done');
  });
});
