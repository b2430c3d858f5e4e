/**
 * Stopping in order (docs/configuration.md, the shutdown paragraph; docs/deploy.md "Scaling out"):
 * a server told to stop says so on GET /ready at once (503) and keeps serving for the drain delay,
 * each answer with `Connection: close`, before it stops accepting; the gateway's runtime does not
 * dispose itself on SIGINT/SIGTERM behind the entry point's back. In process here; the
 * multi-replica suite (test/replicas) proves the same with real processes behind HAProxy.
 */
import http from 'node:http';
import { DEFAULT_HTTP_SETTINGS, listen, type RunningServer } from '../../lib/http';
import { createSubgraphService, openSubgraphDatabase, subgraphServiceSettings } from '../../lib/subgraph';
import { supportSubgraph } from '../../subgraphs/support/subgraph';
import { adapterSignalHandlers } from '../../gateway/http/shutdown';
import { dropTestSchemas, gatewayBeside, startTestStack, testDatabase, type TestStack } from '../support/stack';

const DRAIN = { ...DEFAULT_HTTP_SETTINGS, drainDelayMs: 1_500 };

/** GET or POST over node:http without keep-alive pooling, to read the Connection header. */
function request(url: string, method: 'GET' | 'POST', body?: string): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

test("the gateway's runtime leaves SIGINT and SIGTERM to the entry point (its server adapter would dispose it mid-request)", async () => {
  const gateway = await gatewayBeside(stack);
  try {
    expect(adapterSignalHandlers()).toEqual([]);
  } finally {
    await gateway.close();
  }
});

test('a gateway told to stop answers /ready 503 at once, keeps answering queries (Connection: close) for the drain delay, then stops accepting', async () => {
  const gateway: RunningServer = await gatewayBeside(stack, { http: DRAIN });
  const base = gateway.url.replace(/\/graphql$/, '');
  expect((await request(`${base}/ready`, 'GET')).status).toBe(200);
  const closed = gateway.close();
  const ready = await request(`${base}/ready`, 'GET');
  expect({ status: ready.status, body: JSON.parse(ready.body) }).toEqual({ status: 503, body: { status: 'draining' } });
  const answer = await request(gateway.url, 'POST', JSON.stringify({ query: '{ supportTopics { id } }' }));
  expect({ status: answer.status, connection: answer.connection, errors: JSON.parse(answer.body).errors }).toEqual({
    status: 200,
    connection: 'close',
    errors: undefined,
  });
  await closed;
  await expect(request(`${base}/ready`, 'GET')).rejects.toThrow(/ECONNREFUSED/);
});

test('a subgraph answers /ready 200 while it serves and 503 from the moment it begins to stop, while still serving', async () => {
  const database = testDatabase('support');
  const orm = await openSubgraphDatabase(supportSubgraph, database);
  const server = await listen(await createSubgraphService(supportSubgraph, orm, { ...subgraphServiceSettings({}), http: DRAIN }), 0);
  const base = server.url.replace(/\/graphql$/, '');
  try {
    expect(JSON.parse((await request(`${base}/ready`, 'GET')).body)).toEqual({ status: 'ready', service: 'support' });
    const closed = server.close();
    const ready = await request(`${base}/ready`, 'GET');
    expect({ status: ready.status, body: JSON.parse(ready.body) }).toEqual({ status: 503, body: { status: 'draining', service: 'support' } });
    const answer = await request(server.url, 'POST', JSON.stringify({ query: '{ supportTopics { id } }' }));
    expect({ status: answer.status, connection: answer.connection }).toEqual({ status: 200, connection: 'close' });
    expect(JSON.parse(answer.body).data.supportTopics.length).toBeGreaterThan(0);
    await closed;
  } finally {
    await server.close();
    await dropTestSchemas([database.pgSchema]);
  }
});
