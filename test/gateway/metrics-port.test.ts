/**
 * METRICS_PORT keeps /metrics off the public listener: set, the gateway serves its metrics only on
 * that port (on HOST, loopback by default) and the public port answers 404 for /metrics, as for any
 * path it does not serve. Unset, /metrics stays on the public port (test/gateway/metrics.test.ts).
 */
import net from 'node:net';
import { gatewaySettings } from '../../gateway/settings';
import { startTestStack, TEST_JWT_SECRET, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

let stack: TestStack;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  stack = await startTestStack({ gateway: { metricsPort } });
});
afterAll(() => stack?.close());

test('the metrics are served on METRICS_PORT, and the public port answers 404 for /metrics', async () => {
  expect(
    (
      await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Counted { __typename }' }),
      })
    ).status,
  ).toBe(200);
  const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await metrics.text()).toMatch(/^gateway_requests_total\{operation="Counted",outcome="ok"\} 1$/m);

  const publicMetrics = await fetch(`${new URL(stack.url).origin}/metrics`);
  expect(publicMetrics.status).toBe(404);
  const body = await publicMetrics.json();
  expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
  expect(JSON.stringify(body)).not.toMatch(/gateway_requests_total/);
});

test('the metrics listener serves nothing else', async () => {
  for (const path of ['/graphql', '/health', '/']) {
    const response = await fetch(`http://127.0.0.1:${metricsPort}${path}`);
    expect(response.status).toBe(404);
    expect((await response.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  }
  expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: 'POST' })).status).toBe(405);
});

test('METRICS_PORT is read and checked with the other settings', () => {
  expect(gatewaySettings(parsedSettings({ JWT_SECRET: TEST_JWT_SECRET, METRICS_PORT: '9464' })).metricsPort).toBe(9464);
  expect(gatewaySettings(parsedSettings({ JWT_SECRET: TEST_JWT_SECRET })).metricsPort).toBeUndefined();
  expect(() => parsedSettings({ JWT_SECRET: TEST_JWT_SECRET, METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
  expect(() => parsedSettings({ JWT_SECRET: TEST_JWT_SECRET, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
});

test('closing the gateway closes the metrics listener', async () => {
  const port = await freePort();
  const other = await startTestStack({ gateway: { metricsPort: port } });
  expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
  await other.close();
  await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
});
