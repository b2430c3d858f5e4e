/**
 * An Idempotency-Key means once, whatever fails between the client and the subgraph that commits
 * (gateway/shared-state/idempotency.ts, lib/idempotent-mutations.ts): a registerLicense through a gateway with a
 * short SUBGRAPH_TIMEOUT_MS, in front of a licenses subgraph whose answer comes late (a delaying
 * proxy between them: the subgraph commits, the gateway times out), answers SUBGRAPH_TIMEOUT; the
 * retry with the same key answers the committed license (also through another gateway replica) and
 * the license exists once. The same for a mutation sent as an automatic persisted query (hash
 * alone on the retry) and as a trusted document (its id alone). A chunked body is refused before
 * anything runs (the request guard wants a Content-Length), so no form of request skips the key.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import type { SubgraphEM } from '../../lib/orm';
import type { RunningServer } from '../../lib/http';
import { LicenseEvent } from '../../subgraphs/licenses/events/license-event.entity';
import { gatewayBeside, startTestStack, subgraphUrlsOf, tokenFor, type TestStack } from '../support/stack';

const ALPENDENT = { sub: 'orders-system', role: 'provider', provider: 'alpendent-demo' };
const REGISTER = 'mutation Register($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key version holder { name } vendor { id } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const input = (key: string) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'WORKSTATION',
  programVersion: '3.2',
  holder: { name: 'Praxis Graz', country: 'AT', language: 'de' },
});
const registered = (key: string) => ({ data: { registerLicense: { key, version: 1, holder: { name: 'Praxis Graz' }, vendor: { id: 'alpendent-demo' } } } });

/**
 * Between the slow gateway and the licenses subgraph: passes every request on at once; while `hold`
 * is set, the answer to a registerLicense comes back to the gateway that much later (the subgraph
 * has committed long before).
 */
function delayingProxy(target: string) {
  const state = { holdMs: 0, held: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const hold = state.holdMs > 0 && body.includes('registerLicense') ? state.holdMs : 0;
      const headers = { ...req.headers };
      delete headers.host;
      const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          if (hold) state.held++;
          setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(parts));
          }, hold);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  return {
    state,
    listen: () =>
      new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let stack: TestStack;
let proxy: ReturnType<typeof delayingProxy>;
let slow: RunningServer;
let trustedDir: string;
let slowTrusted: RunningServer;
const TRUSTED_ID = sha256(REGISTER);

beforeAll(async () => {
  stack = await startTestStack({ directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')) });
  proxy = delayingProxy(stack.subgraphs.licenses.url);
  const licenses = await proxy.listen();
  slow = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses }, subgraphTimeoutMs: 1000 });
  trustedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idempotent-trusted-'));
  const file = path.join(trustedDir, 'documents.json');
  fs.writeFileSync(file, JSON.stringify({ [TRUSTED_ID]: REGISTER }));
  slowTrusted = await gatewayBeside(stack, {
    subgraphUrls: { ...subgraphUrlsOf(stack), licenses },
    subgraphTimeoutMs: 1000,
    persistedDocuments: { mode: 'only', file },
  });
});
afterAll(async () => {
  await slowTrusted?.close();
  await slow?.close();
  await proxy?.close();
  await stack?.close();
  if (trustedDir) fs.rmSync(trustedDir, { recursive: true, force: true });
});
afterEach(() => {
  proxy.state.holdMs = 0;
});

async function post(url: string, body: object, key: string, options: { chunked?: boolean } = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${await tokenFor(ALPENDENT)}`,
    'idempotency-key': key,
  };
  const bytes = Buffer.from(JSON.stringify(body));
  // A body in pieces without Content-Length: sent with Transfer-Encoding: chunked.
  const sent = options.chunked
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.subarray(0, 10));
          controller.enqueue(bytes.subarray(10));
          controller.close();
        },
      })
    : bytes;
  const response = await fetch(url, { method: 'POST', headers, body: sent, ...(options.chunked ? { duplex: 'half' } : {}) } as RequestInit);
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
}

const registrations = async (key: string) =>
  (await (stack.orms.licenses.em.fork() as SubgraphEM).find(LicenseEvent, { licenseKey: key, type: 'license.registered' })).length;

/** Waits (without timing anything) until the subgraph has committed the registration the gateway gave up on. */
async function untilCommitted(key: string) {
  for (let i = 0; i < 200 && (await registrations(key)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
}

/** The first request times out at the gateway though the subgraph committed; returns its answer. */
async function timedOut(url: string, body: object, key: string, licenseKey: string) {
  proxy.state.holdMs = 3000;
  const first = await post(url, body, key);
  proxy.state.holdMs = 0;
  expect(first.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_TIMEOUT');
  await untilCommitted(licenseKey);
  return first;
}

test('a registerLicense that timed out at the gateway but committed: the retry answers the committed license, through either replica, and it exists once', async () => {
  const key = randomUUID();
  const body = { query: REGISTER, variables: { input: input('ONCE-1') } };
  await timedOut(slow.url, body, key, 'ONCE-1');
  const retry = await post(slow.url, body, key);
  expect(retry).toEqual({ status: 200, replayed: 'true', body: registered('ONCE-1') });
  // Another gateway replica (the stack's own) gives the same answer: the key lives in the licenses database.
  expect(await post(stack.url, body, key)).toEqual({ status: 200, replayed: 'true', body: registered('ONCE-1') });
  expect(await registrations('ONCE-1')).toBe(1);
  // Other variables under the same key are refused, also after a timeout.
  const reused = await post(slow.url, { query: REGISTER, variables: { input: input('ONCE-1B') } }, key);
  expect(reused.status).toBe(422);
  expect(reused.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
  expect(await registrations('ONCE-1B')).toBe(0);
});

test('an automatic persisted query: the retry by hash alone answers the committed license', async () => {
  const key = randomUUID();
  const query = `${REGISTER} # apq ${key}`;
  const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } };
  await timedOut(slow.url, { query, variables: { input: input('ONCE-APQ') }, ...persisted }, key, 'ONCE-APQ');
  const retry = await post(slow.url, { variables: { input: input('ONCE-APQ') }, ...persisted }, key);
  expect(retry).toEqual({ status: 200, replayed: 'true', body: registered('ONCE-APQ') });
  expect(await registrations('ONCE-APQ')).toBe(1);
});

test('a trusted document (PERSISTED_DOCUMENTS=only): the retry by id answers the committed license', async () => {
  const key = randomUUID();
  const body = { variables: { input: input('ONCE-TRUSTED') }, extensions: { persistedQuery: { version: 1, sha256Hash: TRUSTED_ID } } };
  await timedOut(slowTrusted.url, body, key, 'ONCE-TRUSTED');
  const retry = await post(slowTrusted.url, body, key);
  expect(retry).toEqual({ status: 200, replayed: 'true', body: registered('ONCE-TRUSTED') });
  expect(await registrations('ONCE-TRUSTED')).toBe(1);
});

test('a chunked body (no Content-Length) never runs a mutation past its key: it is refused before anything runs', async () => {
  const key = randomUUID();
  const body = { query: REGISTER, variables: { input: input('ONCE-CHUNKED') } };
  for (const url of [slow.url, stack.url]) {
    const answer = await post(url, body, key, { chunked: true });
    expect(answer.status).toBe(411);
    expect(answer.body.errors[0].extensions.code).toBe('LENGTH_REQUIRED');
  }
  expect(await registrations('ONCE-CHUNKED')).toBe(0);
  // The key was not used up: the request sent whole runs once.
  expect((await post(stack.url, body, key)).body).toEqual(registered('ONCE-CHUNKED'));
  expect(await post(stack.url, body, key)).toEqual({ status: 200, replayed: 'true', body: registered('ONCE-CHUNKED') });
  expect(await registrations('ONCE-CHUNKED')).toBe(1);
});
