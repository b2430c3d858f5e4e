/**
 * Logs: JSON lines (pino), one access line per gateway request whatever answered it, and one
 * request id from the caller (or made up) through the gateway into every subgraph's lines.
 */
import { type RunningServer } from '../../lib/http';
import { requestIdFrom } from '../../lib/log';
import { networkDirectory } from '../fixtures/network';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { gatewayBeside, startTestStack, tokenFor, type TestStack } from '../support/stack';

/** Licenses are private: the requests ask as an admin. */
let asAdmin: Record<string, string> = {};
beforeAll(async () => {
  asAdmin = { authorization: `Bearer ${await tokenFor({ sub: 'admin', role: 'admin' })}` };
});

let stack: TestStack;
let logs: CapturedLogs;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());
beforeEach(() => {
  logs = captureLogs('info');
});
afterEach(() => logs.restore());

const HEADLINE = `query Headline { supportContact(licenseKey: "L-PARTNER", topic: "training") { contacts { name offers(service: TRAINING) { price { amount } } } billedBy { name } explanation } }`;
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...asAdmin, ...headers }, body });

/** The access lines (event "request") written so far, by service ("gateway" has none). */
const accessLines = (requestId: string) => logs.records().filter((r) => r.event === 'request' && r.requestId === requestId);

test("a caller's x-request-id is answered, forwarded, and on the gateway's and every subgraph's lines of that request", async () => {
  const requestId = `test-${process.pid}-headline`;
  const response = await post(stack.url, JSON.stringify({ query: HEADLINE }), { 'x-request-id': requestId });
  expect(response.status).toBe(200);
  expect((await response.json()).errors).toBeUndefined();
  expect(response.headers.get('x-request-id')).toBe(requestId);

  const lines = accessLines(requestId);
  const gateway = lines.filter((l) => l.service === undefined);
  expect(gateway).toHaveLength(1);
  expect(gateway[0]).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operationName: 'Headline', requestId });
  expect(typeof gateway[0].durationMs).toBe('number');
  expect(typeof gateway[0].time).toBe('string');
  // The headline query needs all three subgraphs; each logged its part under the gateway's id.
  const services = new Set(lines.filter((l) => l.service).map((l) => l.service));
  expect([...services].sort()).toEqual(['licenses', 'providers', 'support']);
  for (const line of lines.filter((l) => l.service)) expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
  // No other request's lines carry this id.
  expect(
    logs
      .records()
      .filter((r) => r.requestId === requestId)
      .every((r) => r.event === 'request'),
  ).toBe(true);
});

test('without a usable x-request-id the gateway makes one, answers it and the subgraphs log it', async () => {
  for (const [i, header] of [undefined, 'has spaces and "quotes"', 'x'.repeat(200), 'tab\there<script>'].entries()) {
    // A different query each time: a response cache hit would reach no subgraph.
    const query = `{ provider(id: "alpha") { name n${i}: id } }`;
    const response = await post(stack.url, JSON.stringify({ query }), header === undefined ? {} : { 'x-request-id': header });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      accessLines(requestId)
        .map((l) => l.service ?? 'gateway')
        .sort(),
    ).toEqual(['gateway', 'providers']);
  }
  expect(requestIdFrom('abc-123_X.y:z')).toBe('abc-123_X.y:z');
});

test('a refused request is one access line with its status and code, and no stack', async () => {
  const cases: [string, Record<string, string>, number, string][] = [
    ['{"query": ', {}, 400, 'BAD_REQUEST'],
    ['not json', { 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [JSON.stringify({ query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: supportCategories { id }`).join(' ')} }` }), {}, 400, 'TOO_MANY_ROOT_FIELDS'],
  ];
  for (const [body, headers, status, code] of cases) {
    const requestId = `refused-${code}`;
    const response = await post(stack.url, body, { ...headers, 'x-request-id': requestId });
    expect(response.status).toBe(status);
    const lines = logs.records().filter((r) => r.requestId === requestId);
    expect(lines).toHaveLength(1); // the access line only: nothing reached a subgraph, nothing was logged as an error
    expect(lines[0]).toMatchObject({ event: 'request', status, errorCodes: [code] });
    expect(logs.lines.join('\n')).not.toMatch(/\bat \S+ \(|"stack"/);
  }
});

describe('a gateway with a rate limit and the response cache', () => {
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await gatewayBeside(stack, {
      directoryChanges: stack.directoryChanges,
      responseCache: true,
      rateLimit: { requests: 3, windowSeconds: 60 },
    });
  });
  afterAll(() => gateway?.close());

  test('cache miss, hit, then 429: one line each, with the cache result, the operation name and the code', async () => {
    const body = JSON.stringify({ query: 'query Categories { supportCategories { id } }' });
    const ids = ['cache-1', 'cache-2', 'cache-3', 'cache-4'];
    const statuses = [];
    for (const id of ids) statuses.push((await post(gateway.url, body, { 'x-request-id': id })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const line = (id: string) => {
      const lines = logs.records().filter((r) => r.requestId === id && r.event === 'request' && r.service === undefined);
      expect(lines).toHaveLength(1);
      return lines[0];
    };
    expect(line('cache-1')).toMatchObject({ status: 200, cache: 'miss', operationName: 'Categories' });
    expect(line('cache-2')).toMatchObject({ status: 200, cache: 'hit', operationName: 'Categories' });
    expect(line('cache-2').errorCodes).toBeUndefined();
    expect(line('cache-4')).toMatchObject({ status: 429, errorCodes: ['RATE_LIMITED'] });
    // A hit reaches no subgraph.
    expect(logs.records().filter((r) => r.requestId === 'cache-2' && r.service)).toEqual([]);
  });
});
