/**
 * A subgraph as an attacker or an unlucky operator meets it, over real HTTP on 127.0.0.1: where it
 * listens, signed requests only (when a secret is configured), JSON answers in GraphQL's error shape
 * for every bad request, masked unexpected errors, ids with control characters, timeouts against
 * slow clients, and a shutdown that does not wait on idle connections.
 */
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { listenHost } from '../../lib/http';
import { DEFAULT_SUBGRAPH_BODY_LIMIT, subgraphServiceSettings } from '../../lib/subgraph';
import { IDENTITY_HEADER, signSubgraphRequest, subgraphSecret, verifySubgraphRequest } from '../../lib/subgraph-signature';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { parsedSettings } from '../support/settings';

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const LICENSE_QUERY = JSON.stringify({ query: '{ license(key: "L-VENDOR") { key status holder { name vatId } } }' });
const ENTITIES_QUERY = JSON.stringify({
  query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on License { key holder { name country vatId } } } }',
  variables: { r: [{ __typename: 'License', key: 'L-VENDOR' }] },
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body };
}

/** The licenses subgraph shows licenses only to callers who may see them (lib/identity.ts): these tests read as an admin. */
const ADMIN_IDENTITY = { sub: 'test-admin', role: 'admin' };
const ADMIN_HEADER = JSON.stringify(ADMIN_IDENTITY);

/**
 * POST /graphql with an unsigned admin identity header: what a process that reaches the port can
 * send. A subgraph with a secret refuses it; one without ignores the header (the caller is anonymous).
 */
const post = (sub: TestSubgraph, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  send(sub.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: ADMIN_HEADER, ...headers },
    body: body as BodyInit,
  });

/** POST /graphql signed as the gateway signs an admin's request (the subgraph has SECRET). */
const postSigned = (sub: TestSubgraph, body: string) => post(sub, body, signed(body));

/** A query every caller may ask, anonymous ones too. */
const TYPENAME_QUERY = JSON.stringify({ query: '{ __typename }' });

/** POST /graphql signed with `secret` (by default the subgraph's own), as the gateway sends it. */
function signed(body: string, options: { secret?: string; identity?: object | string; now?: number; path?: string } = {}) {
  return signSubgraphRequest({
    method: 'POST',
    path: options.path ?? '/graphql',
    body,
    identity: options.identity ?? ADMIN_IDENTITY,
    secret: options.secret ?? SECRET,
    now: options.now,
  });
}

/** JSON in GraphQL's error shape with this status and code, and nothing an attacker could use. */
function expectCleanError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(typeof answer.body.errors[0].message).toBe('string');
  expectNoLeak(answer.text);
}

function expectNoLeak(text: string): void {
  expect(text).not.toMatch(/<html|<!doctype|<pre>/i);
  expect(text).not.toMatch(/\bat [^\s]+ \(|:\d+:\d+\)|stacktrace/i); // stack frames
  expect(text).not.toContain(ROOT);
  expect(text).not.toMatch(/node_modules|\.ts:\d+/);
  expect(text).not.toMatch(/\bselect\b[\s\S]*\bfrom\b|SQLITE_|syntax error|invalid byte sequence/i);
  expect(text).not.toMatch(/ECONNREFUSED|\d+\.\d+\.\d+\.\d+:\d+|Knex|MikroORM/i);
}

// Rejections are logged as JSON lines (warn and error); keep them out of the test output, and readable.
let logged: string[] = [];
let capture: CapturedLogs;
beforeEach(() => {
  capture = captureLogs('warn');
  logged = capture.lines;
});
afterEach(() => capture.restore());

describe('where a subgraph listens', () => {
  test('on 127.0.0.1 unless HOST says otherwise', async () => {
    const saved = process.env.HOST;
    delete process.env.HOST;
    const sub = await startTestSubgraph('providers');
    try {
      expect((sub.service.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(sub.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    } finally {
      await sub.close();
      if (saved !== undefined) process.env.HOST = saved;
    }
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  test('without a secret it warns once at start when HOST is not loopback, and not on loopback', async () => {
    const sub = await startTestSubgraph('providers');
    try {
      expect(logged.filter((l) => l.includes('subgraph_unsigned'))).toEqual([]);
      // The hook listen() calls with the address; binding a public address is not done in tests.
      sub.service.onListening!({ host: '0.0.0.0', port: 4001 });
      const warnings = logged.filter((l) => l.includes('subgraph_unsigned')).map((l) => JSON.parse(l));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 'warn', service: 'providers', host: '0.0.0.0' });
      expect(warnings[0].message).toContain('SUBGRAPH_SECRET');
    } finally {
      await sub.close();
    }
  });
});

describe('signed requests (SUBGRAPH_SECRET set)', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph('licenses', { secret: SECRET });
  });
  afterAll(() => sub?.close());

  test('a correctly signed request is answered', async () => {
    const answer = await post(sub, LICENSE_QUERY, signed(LICENSE_QUERY));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { license: { key: 'L-VENDOR', status: 'ACTIVE', holder: { name: 'Praxis L-VENDOR', vatId: null } } } });
  });

  test('with an identity: answered when signed with it, refused when it is changed, added or dropped', async () => {
    const identity = { sub: 'u1', role: 'holder', licenses: ['L-VENDOR'], name: 'Zahnärztin Müller' };
    const headers = signed(LICENSE_QUERY, { identity });
    expect(JSON.parse(headers[IDENTITY_HEADER])).toEqual(identity); // ASCII-safe JSON, same object
    expect((await post(sub, LICENSE_QUERY, headers)).status).toBe(200);

    const changed = await post(sub, LICENSE_QUERY, {
      ...signed(LICENSE_QUERY, { identity }),
      [IDENTITY_HEADER]: JSON.stringify({ ...identity, role: 'admin' }),
    });
    expectCleanError(changed, 401, 'UNAUTHENTICATED');
    expect(changed.body.errors[0].message).toMatch(/invalid/i);

    const added = await post(sub, LICENSE_QUERY, { ...signed(LICENSE_QUERY, { identity: '' }), [IDENTITY_HEADER]: JSON.stringify({ role: 'admin' }) });
    expectCleanError(added, 401, 'UNAUTHENTICATED');

    const { [IDENTITY_HEADER]: _dropped, ...withoutIdentity } = signed(LICENSE_QUERY, { identity });
    expectCleanError(await post(sub, LICENSE_QUERY, withoutIdentity), 401, 'UNAUTHENTICATED');
  });

  test('unsigned: 401 UNAUTHENTICATED saying the signature is missing, and no data', async () => {
    const answer = await post(sub, LICENSE_QUERY);
    expectCleanError(answer, 401, 'UNAUTHENTICATED');
    expect(answer.body.errors[0].message).toMatch(/missing/i);
    expect(answer.body.data).toBeUndefined();
    expect(logged.some((l) => l.includes('subgraph_request_refused') && l.includes('"reason":"missing"'))).toBe(true);
  });

  test('holder data cannot be read through _entities unsigned; signed, the same request reads it', async () => {
    const unsigned = await post(sub, ENTITIES_QUERY);
    expectCleanError(unsigned, 401, 'UNAUTHENTICATED');
    expect(unsigned.text).not.toContain('Praxis');
    const ok = await post(sub, ENTITIES_QUERY, signed(ENTITIES_QUERY));
    expect(ok.body).toEqual({ data: { _entities: [{ key: 'L-VENDOR', holder: { name: 'Praxis L-VENDOR', country: 'AT', vatId: null } }] } });
  });

  test('forged (another secret, or a made-up signature): 401 invalid', async () => {
    const otherSecret = await post(sub, LICENSE_QUERY, signed(LICENSE_QUERY, { secret: SECRET.replace('a-test', 'b-test') }));
    expectCleanError(otherSecret, 401, 'UNAUTHENTICATED');
    expect(otherSecret.body.errors[0].message).toMatch(/invalid/i);
    const headers = signed(LICENSE_QUERY);
    for (const signature of ['v1=' + '0'.repeat(64), 'v1=abc', 'garbage', 'v2=' + headers['x-directory-signature'].slice(3)]) {
      expectCleanError(await post(sub, LICENSE_QUERY, { ...headers, 'x-directory-signature': signature }), 401, 'UNAUTHENTICATED');
    }
  });

  test('expired or from the future (outside ±30 s): 401 expired', async () => {
    for (const now of [Date.now() - 5 * 60_000, Date.now() + 5 * 60_000]) {
      const answer = await post(sub, LICENSE_QUERY, signed(LICENSE_QUERY, { now }));
      expectCleanError(answer, 401, 'UNAUTHENTICATED');
      expect(answer.body.errors[0].message).toMatch(/expired/i);
    }
  });

  test('replayed: the same signed request a second time is refused', async () => {
    const headers = signed(LICENSE_QUERY);
    expect((await post(sub, LICENSE_QUERY, headers)).status).toBe(200);
    const replay = await post(sub, LICENSE_QUERY, headers);
    expectCleanError(replay, 401, 'UNAUTHENTICATED');
    expect(replay.body.errors[0].message).toMatch(/already used/i);
    // Two identical requests signed separately are two requests (each has its own nonce).
    expect((await post(sub, LICENSE_QUERY, signed(LICENSE_QUERY))).status).toBe(200);
  });

  test('body tampered (one byte, or whitespace only): 401 invalid', async () => {
    const headers = signed(LICENSE_QUERY);
    const otherKey = LICENSE_QUERY.replace('L-VENDOR', 'L-PARTNER');
    expectCleanError(await post(sub, otherKey, headers), 401, 'UNAUTHENTICATED');
    expectCleanError(await post(sub, LICENSE_QUERY + ' ', headers), 401, 'UNAUTHENTICATED');
  });

  test('path or method changed: 401 invalid', async () => {
    const headers = signed(LICENSE_QUERY, { path: '/graphql?x=1' });
    expectCleanError(await post(sub, LICENSE_QUERY, headers), 401, 'UNAUTHENTICATED');
    const get = signSubgraphRequest({ method: 'GET', path: '/graphql', secret: SECRET });
    expectCleanError(await post(sub, LICENSE_QUERY, get), 401, 'UNAUTHENTICATED');
  });

  test('/health stays open; every other route needs a signature (unknown ones too)', async () => {
    expect((await send(`${sub.base}/health`)).body).toEqual({ status: 'ok', service: 'licenses' });
    expectCleanError(await send(`${sub.base}/nope`), 401, 'UNAUTHENTICATED');
    const headers = signSubgraphRequest({ method: 'GET', path: '/nope', secret: SECRET });
    expectCleanError(await send(`${sub.base}/nope`, { headers }), 404, 'NOT_FOUND');
  });

  test('bad bodies that are correctly signed still get their JSON error', async () => {
    expectCleanError(await post(sub, '{"query":', signed('{"query":')), 400, 'BAD_REQUEST');
    const text = '{"query":"{ __typename }"}';
    expectCleanError(await post(sub, text, { ...signed(text), 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the signing module', () => {
  test('refuses a secret shorter than 32 bytes, and so does SUBGRAPH_SECRET', () => {
    expect(() => signSubgraphRequest({ method: 'POST', path: '/graphql', body: '{}', secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => parsedSettings({ SUBGRAPH_SECRET: 'x'.repeat(31) })).toThrow(/SUBGRAPH_SECRET=.*: must be at least 32 bytes/);
    expect(subgraphSecret(parsedSettings({ SUBGRAPH_SECRET: 'x'.repeat(32) }))).toBe('x'.repeat(32));
    expect(subgraphSecret(parsedSettings({}))).toBeUndefined();
    expect(() => parsedSettings({ SUBGRAPH_SECRET: 'too short' })).toThrow(/SUBGRAPH_SECRET/);
  });

  test('signs bytes and strings alike, and verifies without express', () => {
    const body = '{"query":"{ __typename }"}';
    const now = 1_800_000_000_000;
    const headers = signSubgraphRequest({ method: 'POST', path: '/graphql', body: Buffer.from(body), secret: SECRET, now, nonce: 'ab'.repeat(16) });
    expect(signSubgraphRequest({ method: 'post', path: '/graphql', body, secret: SECRET, now, nonce: 'ab'.repeat(16) })).toEqual(headers);
    expect(verifySubgraphRequest({ method: 'POST', path: '/graphql', body: Buffer.from(body), headers, secret: SECRET, now: now + 29_000 })).toMatchObject({
      ok: true,
    });
    expect(verifySubgraphRequest({ method: 'POST', path: '/graphql', body, headers, secret: SECRET, now: now + 31_000 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifySubgraphRequest({ method: 'POST', path: '/graphql', body: body + ' ', headers, secret: SECRET, now })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifySubgraphRequest({ method: 'POST', path: '/graphql', body, headers: {}, secret: SECRET, now })).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('every answer is JSON with a code (no secret configured)', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph('licenses', { bodyLimit: 64 * 1024 });
  });
  afterAll(() => sub?.close());

  test('malformed JSON: 400 BAD_REQUEST', async () => {
    for (const body of ['{bad', '{"query": "{ __typename }"', '\u0000\u0001', '{"query":"x"}}']) {
      expectCleanError(await post(sub, body), 400, 'BAD_REQUEST');
    }
    expect(logged).toEqual([]); // a bad body is the client's problem: no stack in the log either
  });

  test('wrong content type or charset, compressed body: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
    ]) {
      expectCleanError(await post(sub, LICENSE_QUERY, { 'content-type': type }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const gzipped = await post(sub, zlib.gzipSync(LICENSE_QUERY), { 'content-encoding': 'gzip' });
    expectCleanError(gzipped, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a body over the limit: 413 PAYLOAD_TOO_LARGE naming the limit', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(65 * 1024) } });
    const answer = await post(sub, big);
    expectCleanError(answer, 413, 'PAYLOAD_TOO_LARGE');
    expect(answer.body.errors[0].message).toContain(String(64 * 1024));
  });

  test('unknown routes and methods: JSON, 404 NOT_FOUND for a route', async () => {
    expectCleanError(await send(`${sub.base}/nope`), 404, 'NOT_FOUND');
    expectCleanError(await send(`${sub.base}/`, { method: 'DELETE' }), 404, 'NOT_FOUND');
    const put = await send(sub.server.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: LICENSE_QUERY });
    expect(put.status).toBeGreaterThanOrEqual(400);
    expect(put.status).toBeLessThan(500);
    expect(put.body.errors[0].message).toEqual(expect.any(String));
    expectNoLeak(put.text);
    // A browser gets no landing page from a subgraph either.
    const browser = await send(sub.server.url, { headers: { accept: 'text/html' } });
    expect(browser.contentType).toMatch(/^application\/json/);
    expectNoLeak(browser.text);
  });

  test('the default body limit (10 MB) lets a large gateway batch through', async () => {
    expect(subgraphServiceSettings(parsedSettings({})).bodyLimit).toBe(DEFAULT_SUBGRAPH_BODY_LIMIT);
    expect(subgraphServiceSettings(parsedSettings({ SUBGRAPH_BODY_LIMIT: '20mb' })).bodyLimit).toBe(20 * 1024 * 1024);
    expect(() => parsedSettings({ SUBGRAPH_BODY_LIMIT: 'lots' })).toThrow(/SUBGRAPH_BODY_LIMIT/);
    const roomy = await startTestSubgraph('licenses', { secret: SECRET });
    try {
      // 1,000 representations, padded to ~3 MB: the size the support subgraph meets for 1,000 licenses.
      const representations = Array.from({ length: 1000 }, (_, i) => ({ __typename: 'License', key: i % 2 ? 'L-VENDOR' : 'L-DIRECT', pad: 'x'.repeat(3000) }));
      const body = JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on License { key } } }',
        variables: { r: representations },
      });
      expect(body.length).toBeGreaterThan(3_000_000);
      const answer = await postSigned(roomy, body);
      expect(answer.status).toBe(200);
      expect(answer.body.data._entities).toHaveLength(1000);
    } finally {
      await roomy.close();
    }
  });
});

describe('keys and ids with control characters', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph('licenses', { secret: SECRET });
  });
  afterAll(() => sub?.close());

  test.each([
    ['a literal argument', { query: '{ license(key: "L-\\u0000VENDOR") { key } }' }, 'key'],
    ['a variable', { query: 'query ($k: ID!) { license(key: $k) { key } }', variables: { k: 'L-VENDOR\u0000' } }, 'key'],
    ['a list filter', { query: 'query ($v: ID) { licenses(vendorId: $v) { edges { node { key } } } }', variables: { v: 'al\u0000pha' } }, 'vendorId'],
    [
      'an _entities key',
      {
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on License { key } } }',
        variables: { r: [{ __typename: 'License', key: 'L-\u0000X' }] },
      },
      'License.key',
    ],
    ['another control character', { query: 'query ($k: ID!) { license(key: $k) { key } }', variables: { k: 'L-\u001bVENDOR' } }, 'key'],
  ])('in %s: BAD_USER_INPUT naming it, no SQL', async (_label, request, name) => {
    const answer = await postSigned(sub, JSON.stringify(request));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors[0].message).toContain(`is not a valid ${name}: it contains control characters`);
    expectNoLeak(answer.text);
  });

  test('ordinary keys still answer', async () => {
    const answer = await postSigned(sub, LICENSE_QUERY);
    expect(answer.body.data.license.key).toBe('L-VENDOR');
  });
});

describe('unexpected errors are masked', () => {
  test('a database that went away: INTERNAL_SERVER_ERROR with an errorId, the full error logged once under it', async () => {
    const sub = await startTestSubgraph('licenses', { secret: SECRET });
    try {
      expect((await postSigned(sub, LICENSE_QUERY)).body.data.license.key).toBe('L-VENDOR');
      await sub.orm.close(true);
      const answer = await postSigned(sub, LICENSE_QUERY);
      expect(answer.body.errors).toHaveLength(1);
      const [error] = answer.body.errors;
      expect(error).toEqual({
        message: 'Internal server error',
        path: ['license'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      expectNoLeak(answer.text);
      const lines = logged.filter((l) => l.includes(error.extensions.errorId)).map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'error', event: 'internal_error', service: 'licenses', errorId: error.extensions.errorId });
      // The log has what the answer does not: the real message and where it came from.
      expect(lines[0].error.message).not.toBe('Internal server error');
      expect(lines[0].error.stack).toContain('\n');
    } finally {
      await sub.close();
    }
  });

  test('errors raised on purpose pass through unchanged', async () => {
    const sub = await startTestSubgraph('licenses', { secret: SECRET });
    try {
      const query = JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on License { key } } }',
        variables: { r: [{ __typename: 'License', key: 'NOPE' }] },
      });
      const notFound = await postSigned(sub, query);
      expect(notFound.body.errors[0]).toMatchObject({ message: 'License "NOPE" not found', extensions: { code: 'NOT_FOUND' } });
      const invalid = await postSigned(sub, JSON.stringify({ query: '{ licenses(country: "Austria") { totalCount } }' }));
      expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const validation = await postSigned(sub, JSON.stringify({ query: '{ nope }' }));
      expect(validation.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(logged.filter((l) => l.includes('internal_error'))).toEqual([]);
    } finally {
      await sub.close();
    }
  });
});

/** Resolves once the server hangs up (ends or resets the connection); collects what it sent. */
function whenClosed(socket: net.Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.once('end', done);
    socket.once('close', done);
  });
}

/** A raw client; `allowHalfOpen`: one that does not hang up when the server ends its side. */
function connect(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('timeouts against slow clients', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    const http = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 5_000, shutdownTimeoutMs: 5_000 };
    sub = await startTestSubgraph('licenses', { http });
  });
  afterAll(() => sub?.close());

  test('headers sent byte by byte are cut by the headers timeout', async () => {
    const socket = await connect(sub.server.port);
    const closed = whenClosed(socket);
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Keep dribbling header bytes, as a slow-loris client does, until the server hangs up.
    const drip = setInterval(() => socket.writable && socket.write('X'), 50);
    const received = await closed;
    clearInterval(drip);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  test('a slowly sent body is cut by the request timeout', async () => {
    const socket = await connect(sub.server.port);
    const closed = whenClosed(socket);
    socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${LICENSE_QUERY.length + 1000}\r\n\r\n`);
    const drip = setInterval(() => socket.writable && socket.write(' '), 50);
    const received = await closed;
    clearInterval(drip);
    expect(received).not.toContain('"data"');
  });

  test('the subgraph still answers afterwards', async () => {
    expect((await post(sub, TYPENAME_QUERY)).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('graceful shutdown', () => {
  // Long keep-alive and shutdown timeouts: if close() waited on either, the jest timeout would fail the test.
  const patient = { headersTimeoutMs: 60_000, requestTimeoutMs: 600_000, keepAliveTimeoutMs: 600_000, shutdownTimeoutMs: 600_000 };

  test('closes idle keep-alive connections at once instead of waiting for them', async () => {
    const sub = await startTestSubgraph('licenses', { http: patient });
    // A client that keeps its side open: ending the connection politely would wait on it.
    const socket = await connect(sub.server.port, { allowHalfOpen: true });
    const closed = whenClosed(socket);
    // One complete request on a keep-alive connection, then the connection sits idle.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${TYPENAME_QUERY.length}\r\n\r\n${TYPENAME_QUERY}`,
    );
    await new Promise<void>((resolve) => socket.on('data', (chunk) => chunk.toString().includes('"__typename":"Query"') && resolve()));
    await sub.close();
    await closed;
  }, 20_000);

  test('lets an in-flight request finish and answer, then closes its connection', async () => {
    const sub = await startTestSubgraph('licenses', { http: patient });
    const socket = await connect(sub.server.port, { allowHalfOpen: true });
    const closed = whenClosed(socket);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${TYPENAME_QUERY.length}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 100)); // the request is in flight: headers in, body pending
    const closing = sub.close();
    socket.write(TYPENAME_QUERY);
    await closing;
    const received = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received).toContain('"__typename":"Query"');
  }, 20_000);

  test('cuts a request still unfinished after the shutdown timeout', async () => {
    const sub = await startTestSubgraph('licenses', { http: { ...patient, shutdownTimeoutMs: 200 } });
    const socket = await connect(sub.server.port);
    const closed = whenClosed(socket);
    socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    await new Promise((r) => setTimeout(r, 100));
    await sub.close();
    await closed;
  }, 20_000);
});
