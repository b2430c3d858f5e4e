/**
 * Client mistakes in the request line or headers are 400 in GraphQL's JSON error shape, logged at
 * warn, never a 500 with a stack trace or a file path: a percent sign that starts no escape in an
 * asset path, and a Host header that is no host (sent over a raw socket: fetch would refuse it).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let webDir: string;
let logs: CapturedLogs;
beforeAll(async () => {
  // A built page as the gateway serves it: index.html and a hashed asset.
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-web-'));
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Support</title><script type="module" src="/assets/app-1a2b.js"></script>');
  fs.writeFileSync(path.join(webDir, 'assets', 'app-1a2b.js'), 'export {};');
  stack = await startTestStack({ gateway: { webDir } });
  logs = captureLogs('info');
});
afterAll(async () => {
  logs?.restore();
  await stack?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

/** Sends `request` as written and reads the whole answer (the server closes or it ends with its length). */
function raw(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection once it has answered (Connection: close).
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: rest.join('\r\n\r\n') });
    });
  });
}

/** No stack trace, file path or module name in what the client reads. */
const expectNoLeak = (text: string) => expect(text).not.toMatch(/\bat \S+ \(|\/work\/|\/tmp\/|node_modules|URIError|TypeError|\.ts:\d+/);

function expectBadRequest(status: number, contentType: string | null, body: string) {
  expect(status).toBe(400);
  expect(contentType).toMatch(/^application\/json/);
  expectNoLeak(body);
  const parsed = JSON.parse(body);
  expect(parsed.errors).toHaveLength(1);
  expect(parsed.errors[0].extensions.code).toBe('BAD_REQUEST');
  return parsed.errors[0].message as string;
}

const origin = () => new URL(stack.url).origin;
const port = () => Number(new URL(stack.url).port);
const warnings = (needle: string) => logs.records().filter((r) => r.level === 'warn' && JSON.stringify(r).includes(needle));

test.each(['/assets/%zz', '/assets/%E0%A4%A', '/assets/app-1a2b.js%'])(
  'GET %s is 400 BAD_REQUEST naming the path problem, logged at warn',
  async (assetPath) => {
    const response = await fetch(origin() + assetPath);
    const message = expectBadRequest(response.status, response.headers.get('content-type'), await response.text());
    expect(message).toMatch(/percent/i);
    expect(warnings(assetPath).length).toBeGreaterThan(0);
    // The page and its assets are still served.
    const asset = await fetch(`${origin()}/assets/app-1a2b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  },
);

test.each([
  ['GET /graphql?query=%7B__typename%7D', 'a b'],
  ['GET /', 'a b'],
  ['GET /health', 'exa mple.org'],
  ['GET /graphql?query=%7B__typename%7D', 'example.org:port'],
  ['GET /graphql?query=%7B__typename%7D', 'a/b'],
])('%s with Host "%s" is 400 BAD_REQUEST, logged at warn', async (requestLine, host) => {
  const answer = await raw(port(), `${requestLine} HTTP/1.1\r\nHost: ${host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`);
  const contentType = /^content-type: (.*)$/im.exec(answer.headers)?.[1] ?? null;
  const message = expectBadRequest(answer.status, contentType, answer.body);
  expect(message).toMatch(/Host/);
  expect(warnings('Host').length).toBeGreaterThan(0);
});

test('a POST with a malformed Host is refused the same way, and well-formed requests are answered', async () => {
  const body = JSON.stringify({ query: '{ __typename }' });
  const answer = await raw(
    port(),
    `POST /graphql HTTP/1.1\r\nHost: a b\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  expect(answer.status).toBe(400);
  expectNoLeak(answer.body);
  for (const host of ['127.0.0.1', `127.0.0.1:${port()}`, 'localhost', '[::1]:4000', 'support.example.org']) {
    const ok = await raw(
      port(),
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ data: { __typename: 'Query' } });
  }
});

test('a subgraph refuses a malformed Host the same way', async () => {
  const answer = await raw(Number(new URL(stack.subgraphs.support.url).port), 'GET /health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n');
  const contentType = /^content-type: (.*)$/im.exec(answer.headers)?.[1] ?? null;
  expectBadRequest(answer.status, contentType, answer.body);
});
