/**
 * The providers subgraph serves an in-memory snapshot of the directory; these tests prove it never
 * outlives a change: an import in this process is in the very next gateway answer, a change written
 * through another connection to the same database shows within a second (polling the change
 * marker), and with Redis a notice reaches other feeds at once. Deadline loops wait for what is
 * asynchronous by design; nothing asserts on speed.
 */
import { subgraphRequestSigner } from '../../gateway/upstream/subgraph-signer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { bumpDirectoryVersion, DIRECTORY_VERSION_PATH, watchDirectory, watchDirectoryFromGateway, type DirectoryChangeFeed } from '../../lib/directory-changes';
import { importDirectory } from '../../app/directory/import-directory';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { startStack, type RunningStack } from '../../app/stack';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { subgraphs } from '../../app/subgraphs';
import { networkDirectory, providers } from '../fixtures/network';
import { databaseUrl, dropTestSchemas, startTestStack, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const ALPHA_QUERY = `{ provider(id: "alpha") { name offers { id price { amount } } } }`;
const TRAINING_CONTACTS = `{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { id } } }`;

/** The network directory with alpha renamed and repriced, and a new partner serving AT. */
function changedDirectory(name: string, amount: string) {
  const changed = providers.map((p) => (p.id === 'alpha' ? { ...p, name, offers: [{ ...p.offers![0], price: { amount, currency: 'EUR' } }] } : p));
  const newcomer = { id: 'zeta', name: 'Zeta Schulung', roles: ['SUPPORT_PARTNER'], active: true, country: 'AT', serviceCountries: ['AT'], languages: ['de'] };
  return { providers: [...changed, newcomer], licenses: [] };
}

/** Repeats `probe` until it returns true or `ms` pass; gives the last value for the failure message. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await probe();
  }
  return value;
}

async function gatewayGraphql(stack: RunningStack, query: string) {
  const response = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: any; errors?: any };
}

/** The stack's subgraphs serve only what its gateway signed (SUBGRAPH_SECRET or the one it made): sign as the gateway does. */
const signedGet = (stack: RunningStack) => (url: string) => subgraphRequestSigner(stack.subgraphSecret)(url, 'GET', '');

const directoryVersionUrl = (stack: RunningStack) => new URL(DIRECTORY_VERSION_PATH, stack.subgraphs.providers.url).toString();

describe('in this process', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ directory: networkDirectory() });
  });
  afterAll(() => stack?.close());

  test('an import is in the very next gateway answer; the feed tells listeners before the import returns', async () => {
    const before = await stack.graphql(ALPHA_QUERY);
    expect(before.body.data.provider).toEqual({ name: 'Alpha Dental Vertrieb', offers: [{ id: 'alpha-l0', price: { amount: '250.00' } }] });
    expect((await stack.graphql(TRAINING_CONTACTS)).body.data.supportContact.contacts.map((c: any) => c.id)).not.toContain('zeta');
    const start = stack.directoryChanges.current();
    const heard: number[] = [];
    const unsubscribe = stack.directoryChanges.subscribe((version) => heard.push(version));
    try {
      const result = await importDirectory(changedDirectory('Alpha Neu', '275.00'), stack.orms);
      expect(result.ok).toBe(true);
      // Synchronous: no poll could have run between the commit and here.
      expect(heard).toEqual([start + 1]);
      expect(stack.directoryChanges.current()).toBe(start + 1);
    } finally {
      unsubscribe();
    }
    const after = await stack.graphql(ALPHA_QUERY);
    expect(after.body.data.provider).toEqual({ name: 'Alpha Neu', offers: [{ id: 'alpha-l0', price: { amount: '275.00' } }] });
    // Service areas come from the same snapshot: the newcomer serves AT and ranks among the partners.
    expect((await stack.graphql(TRAINING_CONTACTS)).body.data.supportContact.contacts.map((c: any) => c.id)).toContain('zeta');
    // What a gateway deployed alone would poll.
    expect(await (await fetch(directoryVersionUrl(stack), { headers: signedGet(stack)(directoryVersionUrl(stack)) })).json()).toEqual({ version: start + 1 });
  });

  test('an import that changes nothing valid bumps nothing', async () => {
    const start = stack.directoryChanges.current();
    const result = await importDirectory({ providers: [{ id: 'broken' }], licenses: [] }, stack.orms);
    expect(result.ok).toBe(false);
    expect(stack.directoryChanges.current()).toBe(start);
  });

  test('a gateway without the database follows the providers subgraph by polling /directory-version', async () => {
    const feed = await watchDirectoryFromGateway({ providersUrl: stack.subgraphs.providers.url, pollIntervalMs: 50, requestHeaders: signedGet(stack) });
    try {
      expect(feed.current()).toBe(stack.directoryChanges.current());
      const heard: number[] = [];
      feed.subscribe((version) => heard.push(version));
      await importDirectory(changedDirectory('Alpha Gateway', '280.00'), stack.orms);
      const target = stack.directoryChanges.current();
      expect(
        await eventually(
          async () => feed.current(),
          (v) => v === target,
        ),
      ).toBe(target);
      expect(heard).toEqual([target]);
    } finally {
      await feed.close();
    }
  });

  test('bumpDirectoryVersion refuses to run outside the outermost transaction', async () => {
    const em = stack.orms.providers.em.fork() as SubgraphEM;
    await expect(bumpDirectoryVersion(em)).rejects.toThrow('inside the transaction');
    await expect(em.transactional((outer) => outer.transactional((inner) => bumpDirectoryVersion(inner as SubgraphEM)))).rejects.toThrow(
      'outermost transaction',
    );
  });
});

/** A stack on databases that a second ORM can open too: SQLite files, or PostgreSQL schemas. */
async function startSharedStack(): Promise<{ stack: RunningStack; openSecond(name: SubgraphName): Promise<SubgraphORM>; cleanUp(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-changes-'));
  const tag = `changes_${process.pid}_${Date.now()}`;
  const options = (name: SubgraphName) => ({
    database: { databaseUrl, dataDir },
    sqliteFile: path.join(dataDir, `${name}.sqlite`),
    pgSchema: `${tag}_${name}`,
  });
  const stack = await startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    // As an entry point would: the environment parsed now (the Redis tests set REDIS_URL first).
    settings: parsedSettings(process.env),
    database: options,
    beforeServe: async (orms) => {
      const result = await importDirectory(networkDirectory(), orms);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    },
  });
  return {
    stack,
    openSecond: (name) => openSubgraphDatabase(subgraphs[name] as any, options(name)),
    async cleanUp() {
      await stack.close();
      await dropTestSchemas(SUBGRAPH_NAMES.map((name) => `${tag}_${name}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe(`another connection to the same ${databaseUrl ? 'PostgreSQL schema' : 'SQLite file'}`, () => {
  let shared: Awaited<ReturnType<typeof startSharedStack>>;
  const second = {} as Record<'providers' | 'licenses', SubgraphORM>;
  beforeAll(async () => {
    shared = await startSharedStack();
    second.providers = await shared.openSecond('providers');
    second.licenses = await shared.openSecond('licenses');
  });
  afterAll(async () => {
    await second.providers?.close(true);
    await second.licenses?.close(true);
    await shared?.cleanUp();
  });

  test('an import through another ORM (as `npm run import` or another replica would) shows within a second, by polling the marker', async () => {
    const start = shared.stack.directoryChanges.current();
    expect((await gatewayGraphql(shared.stack, ALPHA_QUERY)).data.provider.name).toBe('Alpha Dental Vertrieb');
    const result = await importDirectory(changedDirectory('Alpha Elsewhere', '260.00'), second);
    expect(result.ok).toBe(true);
    const seen = await eventually(
      () => gatewayGraphql(shared.stack, ALPHA_QUERY),
      (body) => body.data?.provider?.name === 'Alpha Elsewhere',
    );
    expect(seen.data.provider).toEqual({ name: 'Alpha Elsewhere', offers: [{ id: 'alpha-l0', price: { amount: '260.00' } }] });
    expect(shared.stack.directoryChanges.current()).toBe(start + 1);
  });
});

// ---- Redis: runs wherever a Redis answers (CI starts one before `npm run test:postgres`) ----------

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at redisUrl; decided before the tests are declared, so they can skip. */
function redisAnswers(url: string): boolean {
  const probe = `
    const { hostname, port } = new URL(process.argv[1]);
    const socket = require('net').connect(Number(port) || 6379, hostname || '127.0.0.1');
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));`;
  return spawnSync(process.execPath, ['-e', probe, url], { timeout: 5_000 }).status === 0;
}

const redisReachable = redisAnswers(redisUrl);
// CI starts Redis and sets REQUIRE_REDIS: there a missing Redis fails instead of skipping.
if (!redisReachable && process.env.REQUIRE_REDIS) throw new Error(`REQUIRE_REDIS is set but no Redis answers at ${redisUrl}`);
const describeWithRedis = redisReachable ? describe : describe.skip;

describeWithRedis(`with Redis (${redisUrl})`, () => {
  let shared: Awaited<ReturnType<typeof startSharedStack>>;
  const second = {} as Record<'providers' | 'licenses', SubgraphORM>;
  const feeds: DirectoryChangeFeed[] = [];
  // Polling an hour apart: only a Redis notice can tell these feeds within the test.
  const NO_POLLING = 3_600_000;
  const savedRedisUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    // The writer publishes where REDIS_URL points (the stack's settings, parsed from it).
    process.env.REDIS_URL = redisUrl;
    shared = await startSharedStack();
    second.providers = await shared.openSecond('providers');
    second.licenses = await shared.openSecond('licenses');
  });
  afterAll(async () => {
    for (const feed of feeds) await feed.close();
    await second.providers?.close(true);
    await second.licenses?.close(true);
    await shared?.cleanUp();
    if (savedRedisUrl === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = savedRedisUrl;
  });

  test('a change committed through one ORM reaches a feed over another ORM and a gateway feed through Redis', async () => {
    // A replica's feed: its own ORM on the same database, so it hears nothing in process.
    const replica = await watchDirectory(second.providers, { redisUrl, pollIntervalMs: NO_POLLING });
    feeds.push(replica);
    // A gateway deployed alone: asks the providers subgraph when Redis says something changed.
    const gateway = await watchDirectoryFromGateway({
      providersUrl: shared.stack.subgraphs.providers.url,
      redisUrl,
      pollIntervalMs: NO_POLLING,
      requestHeaders: signedGet(shared.stack),
    });
    feeds.push(gateway);
    const start = replica.current();
    expect(gateway.current()).toBe(start);

    const result = await importDirectory(changedDirectory('Alpha Redis', '290.00'), shared.stack.orms);
    expect(result.ok).toBe(true);
    expect(shared.stack.directoryChanges.current()).toBe(start + 1);

    expect(
      await eventually(
        async () => replica.current(),
        (v) => v === start + 1,
      ),
    ).toBe(start + 1);
    expect(
      await eventually(
        async () => gateway.current(),
        (v) => v === start + 1,
      ),
    ).toBe(start + 1);
  });
});
