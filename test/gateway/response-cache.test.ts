/**
 * The gateway's response cache: answers repeat without touching a subgraph, and are never stale:
 * an import written by another connection (as `npm run import` does) is in the very next answer,
 * answers with errors are not kept, nothing outlives the UTC midnight after it was computed, the
 * hits and misses show in /metrics, and with Redis the gateway replicas share one cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGatewayService } from '../../gateway/gateway';
import { createResponseCache, untilUtcMidnight } from '../../gateway/shared-state/response-cache';
import { gatewaySettings } from '../../gateway/settings';
import { SUBGRAPH_NAMES } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import { listen, type RunningServer } from '../../lib/http';
import { startStack, type RunningStack } from '../../app/stack';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { subgraphs } from '../../app/subgraphs';
import { networkDirectory, providers } from '../fixtures/network';
import { testRedisUrl } from '../support/redis';
import { databaseUrl, dropTestSchemas, TEST_JWT_SECRET, tokenFor } from '../support/stack';
import { parsedSettings } from '../support/settings';

const ALPHA = `{ provider(id: "alpha") { name offers { id price { amount } } } }`;
const HEADLINE = `{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id name } billedBy { id } explanation } }`;

let stack: RunningStack;
let dataDir: string;
const schemas: string[] = [];
const database = (name: string) => {
  const pgSchema = `cache_${process.pid}_${name}`;
  schemas.push(pgSchema);
  // Files (or schemas) that a second connection can open, as the import command does.
  return { database: { databaseUrl, dataDir }, pgSchema };
};

beforeAll(async () => {
  // Polls far apart: a change by another connection must reach the answer by the cache's own check.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
  await dropTestSchemas(SUBGRAPH_NAMES.map((n) => `cache_${process.pid}_${n}`));
  stack = await startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    database,
    beforeServe: async (orms) => {
      const result = await importDirectory(networkDirectory(), orms);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    },
    gateway: { rateLimit: false, jwtSecret: TEST_JWT_SECRET },
    settings: { DIRECTORY_POLL_INTERVAL_MS: 3_600_000 },
  });
});
afterAll(async () => {
  await stack?.close();
  await dropTestSchemas(schemas);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let adminToken: string;
beforeAll(async () => {
  adminToken = await tokenFor({ sub: 'cache-admin', role: 'admin' });
});

/** As an admin (licenses are private), unless other headers say otherwise. */
async function graphql(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: any };
}

/** The gateway's cache lookups so far, from its Prometheus text. */
async function lookups(gatewayUrl: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const count = (result: string) => Number(text.match(new RegExp(`^gateway_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

test('a repeated query is answered from the cache: a hit in /metrics, the same answer', async () => {
  const before = await lookups(stack.gateway.url);
  const first = await graphql(stack.gateway.url, HEADLINE);
  const second = await graphql(stack.gateway.url, HEADLINE);
  expect(first.errors).toBeUndefined();
  expect(second).toEqual(first);
  const after = await lookups(stack.gateway.url);
  expect(after.miss - before.miss).toBe(1);
  expect(after.hit - before.hit).toBe(1);
});

test("answers are kept per caller: other credentials do not get another caller's answer", async () => {
  const before = await lookups(stack.gateway.url);
  await graphql(stack.gateway.url, ALPHA, { authorization: `Bearer ${await tokenFor({ sub: 'caller-one', role: 'admin' })}` });
  await graphql(stack.gateway.url, ALPHA, { authorization: `Bearer ${await tokenFor({ sub: 'caller-two', role: 'admin' })}` });
  const after = await lookups(stack.gateway.url);
  expect(after.miss - before.miss).toBe(2);
});

test('answers with errors are not kept', async () => {
  const query = `{ supportContact(licenseKey: "NO-SUCH", topic: "training") { explanation } }`;
  const before = await lookups(stack.gateway.url);
  expect((await graphql(stack.gateway.url, query)).errors[0].extensions.code).toBe('NOT_FOUND');
  expect((await graphql(stack.gateway.url, query)).errors[0].extensions.code).toBe('NOT_FOUND');
  const after = await lookups(stack.gateway.url);
  expect(after.hit - before.hit).toBe(0);
});

test('an import through another connection (as `npm run import` writes) is in the very next answer', async () => {
  const cached = await graphql(stack.gateway.url, ALPHA);
  expect((await graphql(stack.gateway.url, ALPHA)).data).toEqual(cached.data); // now cached
  // Another ORM on the same files or schemas: this process's feeds are not told of its commit.
  const other = {
    providers: await openSubgraphDatabase(subgraphs.providers as any, database('providers')),
    licenses: await openSubgraphDatabase(subgraphs.licenses as any, database('licenses')),
  };
  try {
    const repriced = providers.map((p) =>
      p.id === 'alpha' ? { ...p, name: 'Alpha Repriced', offers: [{ ...p.offers![0], price: { amount: '275.00', currency: 'EUR' } }] } : p,
    );
    const result = await importDirectory({ providers: repriced, licenses: [] }, other);
    expect(result.ok).toBe(true);
  } finally {
    await other.providers.close(true);
    await other.licenses.close(true);
  }
  const next = await graphql(stack.gateway.url, ALPHA);
  expect(next.data.provider).toEqual({ name: 'Alpha Repriced', offers: [{ id: 'alpha-l0', price: { amount: '275.00' } }] });
});

test('no answer outlives the UTC midnight after it was computed', async () => {
  expect(untilUtcMidnight(Date.parse('2026-11-25T23:59:59.000Z'))).toBe(1_000);
  expect(untilUtcMidnight(Date.parse('2026-11-25T00:00:00.000Z'))).toBe(86_400_000);
  let now = Date.parse('2026-11-25T23:59:00.000Z');
  const cache = createResponseCache({ directory: { current: () => 1, subscribe: () => () => undefined }, now: () => now });
  const answer = { contentType: 'application/json', body: Buffer.from('{"data":{}}') };
  await cache.store('k', answer);
  now = Date.parse('2026-11-25T23:59:59.999Z');
  expect(await cache.lookup('k')).toEqual(answer);
  now = Date.parse('2026-11-26T00:00:00.000Z');
  expect(await cache.lookup('k')).toBeUndefined();
});

test('a full cache lets the least recently used answer go first (a hit counts as a use once a second)', async () => {
  let now = Date.parse('2026-11-25T10:00:00.000Z');
  const cache = createResponseCache({ directory: { current: () => 1, subscribe: () => () => undefined }, maxEntries: 2, now: () => now });
  const answer = (n: number) => ({ contentType: 'application/json', body: Buffer.from(`{"data":{"n":${n}}}`) });
  await cache.store('a', answer(1));
  await cache.store('b', answer(2));
  now += 1_000;
  expect(await cache.lookup('a')).toEqual(answer(1)); // a is now the more recent of the two
  await cache.store('c', answer(3)); // over the limit: b goes
  expect(await cache.lookup('b')).toBeUndefined();
  expect(await cache.lookup('a')).toEqual(answer(1));
  expect(await cache.lookup('c')).toEqual(answer(3));
});

test('RESPONSE_CACHE=off turns it off; other values are refused naming the variable', () => {
  expect(gatewaySettings(parsedSettings({ RESPONSE_CACHE: 'off' })).responseCache).toBe(false);
  expect(gatewaySettings(parsedSettings({})).responseCache).toBe(true);
  expect(() => parsedSettings({ RESPONSE_CACHE: 'maybe' })).toThrow('RESPONSE_CACHE="maybe": must be "on" or "off"');
});

describe('gateways of our own', () => {
  const started: RunningServer[] = [];
  afterAll(async () => {
    for (const server of started) await server.close();
  });
  const subgraphUrls = () => Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, stack.subgraphs[n].url]));

  test('with the cache off, nothing is looked up', async () => {
    const gateway = await listen(
      await createGatewayService({
        subgraphSecret: stack.subgraphSecret,
        subgraphUrls: subgraphUrls(),
        rateLimit: false,
        responseCache: false,
        jwtSecret: TEST_JWT_SECRET,
      }),
      0,
    );
    started.push(gateway);
    await graphql(gateway.url, HEADLINE);
    await graphql(gateway.url, HEADLINE);
    expect(await lookups(gateway.url)).toEqual({ hit: 0, miss: 0 });
  });

  test('with Redis, gateway replicas share one cache', async () => {
    const redisUrl = await testRedisUrl();
    if (!redisUrl) return console.warn('no Redis reachable: the shared cache is not tested here (CI runs it)');
    // Each replica follows the directory through the providers subgraph, as when deployed alone.
    const [a, b] = [
      await listen(
        await createGatewayService({
          subgraphSecret: stack.subgraphSecret,
          subgraphUrls: subgraphUrls(),
          rateLimit: false,
          redisUrl,
          jwtSecret: TEST_JWT_SECRET,
        }),
        0,
      ),
      await listen(
        await createGatewayService({
          subgraphSecret: stack.subgraphSecret,
          subgraphUrls: subgraphUrls(),
          rateLimit: false,
          redisUrl,
          jwtSecret: TEST_JWT_SECRET,
        }),
        0,
      ),
    ];
    started.push(a, b);
    const query = `{ provider(id: "beta") { name } supportTopics { id } } # ${process.pid}-${Date.now()}`;
    const fromA = await graphql(a.url, query);
    const fromB = await graphql(b.url, query);
    expect(fromB).toEqual(fromA);
    expect(await lookups(a.url)).toEqual({ hit: 0, miss: 1 });
    expect(await lookups(b.url)).toEqual({ hit: 1, miss: 0 });
  });
});
