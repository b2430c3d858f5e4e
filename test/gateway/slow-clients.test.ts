/**
 * Slow clients at the gateway: headers trickled a byte at a time (slow loris) are cut by
 * HTTP_HEADERS_TIMEOUT_MS, on a fresh connection and on a kept-alive one after an answer, because
 * the server checks its timeouts every second or so (lib/http.ts connectionsCheckingInterval; Node's
 * default of 30 s would keep such a connection for 30 s past the limit). No time is asserted: the
 * server must close the connection by itself (a 408 or a hang-up) while the client keeps sending,
 * and the test's own 20 s ceiling is far below what the old 30 s check needed. The subgraphs' servers
 * are built the same way (test/subgraphs/subgraph-guard.test.ts "timeouts against slow clients").
 */
import net from 'node:net';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    gateway: { http: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 10_000, shutdownTimeoutMs: 5_000 } },
  });
});
afterAll(() => stack?.close());

/** Writes `first`, then keeps dribbling header bytes until the server closes; what the server sent. */
function trickle(first: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: stack.gateway.port, host: '127.0.0.1' });
    let received = '';
    let drip: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve(received);
    });
    socket.on('connect', () => {
      socket.write(first);
      drip = setInterval(() => socket.writable && socket.write('x'), 100);
    });
    socket.setTimeout(30_000, () => reject(new Error('the server kept the slow connection open')));
  });
}

const HEADERS = 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';

test('headers trickled byte by byte on a new connection are cut (408 or hang-up)', async () => {
  const received = await trickle(HEADERS);
  expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
}, 20_000);

test('and on a kept-alive connection after an answer', async () => {
  const answered = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const received = await trickle(answered + HEADERS);
  expect(received.startsWith('HTTP/1.1 200')).toBe(true);
  const after = received.slice(received.indexOf('HTTP/1.1', 1));
  expect(received.indexOf('HTTP/1.1', 1) === -1 || after.startsWith('HTTP/1.1 408')).toBe(true);
}, 20_000);

test('the gateway still answers afterwards', async () => {
  expect((await fetch(`${stack.url.replace(/\/graphql$/, '')}/health`)).status).toBe(200);
});
