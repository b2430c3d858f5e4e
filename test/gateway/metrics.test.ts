/**
 * Metrics: GET /metrics on the gateway and on each subgraph, scraped over HTTP and parsed, move
 * with the requests sent: requests by operation and outcome, latency histograms, subgraph calls,
 * cache lookups, SQL statements, the database pool and process metrics.
 */
import { networkDirectory } from '../fixtures/network';
import { sampleValue, scrape, type Scrape } from '../support/prometheus';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

/** Licenses are private: the requests ask as an admin. */
let asAdmin: Record<string, string> = {};
beforeAll(async () => {
  asAdmin = { authorization: `Bearer ${await tokenFor({ sub: 'admin', role: 'admin' })}` };
});
import { SUBGRAPH_NAMES } from '../../lib/config';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const metricsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');
const HEADLINE = `query Headline { supportContact(licenseKey: "L-PARTNER", topic: "training") { contacts { name offers(service: TRAINING) { price { amount } } } billedBy { name } explanation } }`;
const send = (query: string) =>
  fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin }, body: JSON.stringify({ query }) });

/** The gateway's and every subgraph's scrape. */
async function scrapeAll(): Promise<{ gateway: Scrape } & Record<string, Scrape>> {
  const entries = await Promise.all(
    [['gateway', metricsUrl(stack.url)] as const, ...SUBGRAPH_NAMES.map((name) => [name, metricsUrl(stack.subgraphs[name].url)] as const)].map(
      async ([name, url]) => [name, await scrape(url)] as const,
    ),
  );
  return Object.fromEntries(entries) as any;
}

test('the gateway counts requests by operation and outcome, their latency, subgraph calls and cache lookups', async () => {
  const before = await scrapeAll();
  expect((await send(HEADLINE)).status).toBe(200);
  expect((await send(HEADLINE)).status).toBe(200); // the response cache answers the second
  expect((await send('query Missing { supportContact(licenseKey: "NO-SUCH-KEY", topic: "training") { explanation } }')).status).toBe(200);
  expect((await send('{ nope }')).status).toBe(400);
  const after = await scrapeAll();
  const delta = (name: string, labels: Record<string, string> = {}, which: Scrape = after.gateway, was: Scrape = before.gateway) =>
    sampleValue(which, name, labels) - sampleValue(was, name, labels);

  expect(delta('gateway_requests_total', { operation: 'Headline', outcome: 'ok' })).toBe(2);
  expect(delta('gateway_requests_total', { operation: 'Missing', outcome: 'graphql_error' })).toBe(1);
  expect(delta('gateway_requests_total', { operation: 'anonymous', outcome: 'rejected' })).toBe(1);
  expect(delta('gateway_request_duration_seconds_count', { operation: 'Headline' })).toBe(2);
  expect(delta('gateway_request_duration_seconds_bucket', { operation: 'Headline', le: '+Inf' })).toBe(2);
  expect(delta('gateway_request_duration_seconds_sum', { operation: 'Headline' })).toBeGreaterThan(0);
  expect(after.gateway.families.gateway_request_duration_seconds.type).toBe('histogram');
  expect(delta('gateway_response_cache_lookups_total', { result: 'hit' })).toBe(1);
  expect(delta('gateway_response_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(2);
  // The headline query calls each subgraph at least once (once it misses the cache).
  for (const subgraph of SUBGRAPH_NAMES) expect(delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph, result: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(after.gateway.samples.gateway_subgraph_fetch_errors_total ?? []).toEqual([]);
  // Process metrics from prom-client.
  expect(sampleValue(after.gateway, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(after.gateway.families.nodejs_eventloop_lag_seconds).toBeDefined();
});

test('each subgraph counts its requests, SQL statements and pool, labelled with its name', async () => {
  const before = await scrapeAll();
  // A license not asked before: the licenses subgraph must read it from its database.
  expect((await send('query OneLicense { license(key: "L-VENDOR") { key } }')).status).toBe(200);
  const after = await scrapeAll();
  const licenses = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(after.licenses, name, labels) - sampleValue(before.licenses, name, labels);
  expect(licenses('subgraph_requests_total', { service: 'licenses', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(licenses('subgraph_request_duration_seconds_count', { service: 'licenses' })).toBeGreaterThanOrEqual(1);
  expect(licenses('subgraph_sql_query_duration_seconds_count', { service: 'licenses', result: 'ok' })).toBeGreaterThanOrEqual(1);
  expect(after.licenses.families.subgraph_sql_query_duration_seconds.type).toBe('histogram');
  for (const name of SUBGRAPH_NAMES) {
    const scrape = after[name];
    expect(scrape.samples.subgraph_db_pool_connections.map((s) => s.labels.state).sort()).toEqual(['free', 'pending', 'used']);
    expect(scrape.samples.subgraph_db_pool_connections.every((s) => s.labels.service === name && s.value >= 0)).toBe(true);
    expect(sampleValue(scrape, 'process_resident_memory_bytes', { service: name })).toBeGreaterThan(0);
  }
});

test('the gateway keeps client-chosen operation names bounded', async () => {
  // Many distinct names from a client end up as "other" beyond the first hundred, not as new series.
  for (let i = 0; i < 110; i++) await send(`query Op${i}_${process.pid} { supportCategories { id } }`);
  const after = await scrape(metricsUrl(stack.url));
  const operations = new Set((after.samples.gateway_requests_total ?? []).map((s) => s.labels.operation));
  expect(operations.size).toBeLessThanOrEqual(102); // 100 names + anonymous + other
  expect(operations.has('other')).toBe(true);
});
