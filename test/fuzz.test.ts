/**
 * A bounded fuzz run against the real gateway and subgraphs: a few thousand generated bad requests
 * (broken bodies, wrong types and methods, oversized and deep operations, control characters in
 * ids, wrong variables), from a seeded generator so a failure repeats. Every answer must be JSON,
 * never 5xx, never HTML, never a stack, SQL, file path or internal address; afterwards the process
 * still answers the headline question correctly.
 */
import { networkDirectory } from './fixtures/network';
import { startTestStack, type TestStack } from './support/stack';

const REQUESTS = 3000;
const CONCURRENCY = 16;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

/** mulberry32: small, seeded, good enough to spread the cases. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const TOPICS = ['training', 'server-installation', 'updates', 'nope', ''];
const CONTROL = ['\u0000', '\u0001', '\u001b', '\u007f', '\n', '\t'];

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const text = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('');
  const json = (payload: unknown, extra: Record<string, string> = {}): Case => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(payload) });
  const nested = (depth: number) => {
    let selection = 'key';
    for (let i = 0; i < depth; i++) selection = `license { supportContact(topic: "training") { ${selection} } }`;
    return `{ license(key: "L-VENDOR") { supportContact(topic: "training") { ${selection} } } }`;
  };
  const cases: Array<() => Case> = [
    () => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: text(1 + Math.floor(next() * 200)) }),
    () => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: new Uint8Array(Array.from({ length: 64 }, () => Math.floor(next() * 256))) }),
    () => ({ method: 'POST', path: '/graphql', headers: { 'content-type': pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '']) }, body: '{"query":"{ supportTopics { id } }"}' }),
    () => json({ query: '{ supportTopics { id } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    () => json({ query: text(Math.floor(next() * 300)) }),
    () => json({ query: pick(['{', '}', '{ supportTopics {', 'query (', 'mutation { nope }', 'subscription { x }', '{ __schema { types { name } } }', '{ nope }', '{ supportTopics { nope } }']) }),
    () => json({ query: `{ license(key: "${pick(CONTROL)}L-${text(5).replace(/["\\]/g, '')}${pick(CONTROL)}") { key } }`.replace(/\n/g, '\\n') }),
    () => json({ query: 'query ($k: ID!, $t: ID!) { supportContact(licenseKey: $k, topic: $t) { explanation } }', variables: { k: pick(['L-VENDOR', `a${pick(CONTROL)}b`, 42, null, { x: 1 }, ['L']]), t: pick([...TOPICS, `t${pick(CONTROL)}`, 7]) } }),
    () => json({ query: `{ ${Array.from({ length: 20 + Math.floor(next() * 60) }, (_, i) => `a${i}: supportContact(licenseKey: "L-VENDOR", topic: "${pick(TOPICS)}") { explanation }`).join(' ')} }` }),
    () => json({ query: nested(5 + Math.floor(next() * 10)) }),
    () => json({ query: `{ supportTopics { ${'id '.repeat(1000 + Math.floor(next() * 3000))} } }` }),
    () => json({ query: 'query A { supportTopics { id } } query B { supportCategories { id } }', operationName: pick([undefined, 'C', 7, '']) }),
    () => json({ query: `{ licenses(first: ${pick(['-1', '501', '0', '100000', '"x"', 'null'])}, after: "${text(8).replace(/["\\]/g, '')}") { totalCount } }` }),
    () => json({ query: '{ supportTopics { id } }', variables: pick(['x', 7, [1], null]) as any }),
    () => json([{ query: '{ supportTopics { id } }' }, { query: '{ nope }' }]),
    () => ({ method: 'GET', path: `/graphql?query=${encodeURIComponent(pick(['{ supportTopics { id } }', 'mutation { x }', '{', text(20)]))}&variables=${encodeURIComponent(pick(['{', '[]', '{"a":1}']))}`, headers: { accept: pick(['application/json', '*/*', 'text/html']) } }),
    () => ({ method: pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS']), path: '/graphql', headers: { 'content-type': 'application/json' }, body: '{}' }),
    () => ({ method: 'GET', path: pick(['/', '/nope', '/graphql/../etc/passwd', '/%00', '/health?x=1', '/ready/x', '/metrics/..']), headers: {} }),
  ];
  return () => pick(cases)();
}

const LEAK = /<html|<!DOCTYPE|\bat \S+ \(|node_modules|\/work\/|\/tmp\/|SQLITE_|\bselect\b.+\bfrom\b|ECONNREFUSED|127\.0\.0\.1:\d+|\.ts:\d+/i;

test(`${REQUESTS} generated bad requests: no 5xx, no HTML, no leak; the headline is still right afterwards`, async () => {
  const headline = `{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } escalation { id } billedBy { id } explanation } }`;
  const before = await stack.graphql(headline);
  expect(before.body.errors).toBeUndefined();

  const base = stack.url.replace(/\/graphql$/, '');
  const nextCase = generator(random(20261125));
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined); // masked errors log their id; expected here
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < REQUESTS) {
          const request = nextCase();
          sent++;
          const response = await fetch(base + request.path, { method: request.method, headers: request.headers, body: request.body as BodyInit | undefined });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const type = response.headers.get('content-type') ?? '';
          const describe = () => `${request.method} ${request.path.slice(0, 60)} ${String(request.body ?? '').slice(0, 80)} -> ${response.status} ${text.slice(0, 200)}`;
          if (response.status >= 500) problems.push(`5xx: ${describe()}`);
          if (LEAK.test(text)) problems.push(`leak: ${describe()}`);
          if (text !== '' && !/json/.test(type)) problems.push(`not JSON (${type}): ${describe()}`);
          if (response.status >= 400 && text === '') problems.push(`error without a body: ${describe()}`);
          if (text !== '' && /json/.test(type)) {
            try {
              const body = JSON.parse(text);
              if (response.status >= 400 && typeof body?.errors?.[0]?.extensions?.code !== 'string') problems.push(`error without a code: ${describe()}`);
            } catch {
              problems.push(`unparsable JSON: ${describe()}`);
            }
          }
        }
      }),
    );
  } finally {
    silenced.mockRestore();
  }
  console.log(`fuzz: ${sent} requests; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(problems.slice(0, 20)).toEqual([]);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);

  const after = await stack.graphql(headline);
  expect(after.body).toEqual(before.body);
  expect((await fetch(`${base}/health`)).status).toBe(200);
}, 120_000);
