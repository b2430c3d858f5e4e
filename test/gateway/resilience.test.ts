/** A subgraph that is down or too slow: the gateway answers at once with an error naming it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningServer } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { gatewayBeside, subgraphUrlsOf, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

test('with the providers subgraph down, queries that need it fail naming it, others still answer, /ready is 503', async () => {
  await stack.subgraphs.providers.close();
  const { status, body } = await stack.graphql(`{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { name } } }`);
  expect(status).toBe(200);
  expect(body.errors[0].message).toMatch(/Subgraph "providers" is unavailable/);
  expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'providers' });

  const licensesOnly = await stack.graphql(`{ license(key: "L-VENDOR") { key status } }`);
  expect(licensesOnly.body).toEqual({ data: { license: { key: 'L-VENDOR', status: 'ACTIVE' } } });

  const base = stack.url.replace(/\/graphql$/, '');
  expect((await fetch(`${base}/health`)).status).toBe(200);
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(503);
  const report = (await ready.json()) as any;
  expect(report.subgraphs.providers).not.toBe('ok');
  expect(report.subgraphs.licenses).toBe('ok');
});

test('a subgraph that never answers times out with an error naming it instead of hanging', async () => {
  // A server that accepts requests and never responds.
  let received = 0;
  const silent = http.createServer(() => void received++);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
  let gateway: RunningServer | undefined;
  try {
    gateway = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses: silentUrl }, subgraphTimeoutMs: 300 });
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ license(key: "L-VENDOR") { key } }' }),
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body.errors[0].message).toBe('Subgraph "licenses" did not answer within 300 ms');
    expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'licenses' });
    // The answer came although the subgraph got the call and still holds it unanswered: the
    // gateway's own timer ended the wait (how long that took on a busy machine is the benchmarks' business).
    expect(received).toBe(1);
    expect(silent.listening).toBe(true);
  } finally {
    await gateway?.close();
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
