/**
 * Bad requests of every kind, from a seeded generator so a run repeats: broken bodies, wrong types
 * and methods, oversized and deep operations, control characters in ids, wrong variables, unknown
 * routes. Used by the fuzz test (test/e2e/fuzz.test.ts) and `npm run stress`.
 */
/** mulberry32: small, seeded, good enough to spread the cases. */
export function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const TOPICS = ['training', 'server-installation', 'updates', 'nope', ''];
const CONTROL = ['\u0000', '\u0001', '\u001b', '\u007f', '\n', '\t'];

/** A generator of bad requests of every kind the gateway must turn away cleanly; `only`: those kinds alone (their indexes). */
export function badRequests(next: () => number, only?: readonly number[]): () => BadRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const text = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('');
  const json = (payload: unknown, extra: Record<string, string> = {}): BadRequest => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...extra },
    body: JSON.stringify(payload),
  });
  const nested = (depth: number) => {
    let selection = 'key';
    for (let i = 0; i < depth; i++) selection = `license { supportContact(topic: "training") { ${selection} } }`;
    return `{ license(key: "L-VENDOR") { supportContact(topic: "training") { ${selection} } } }`;
  };
  const cases: Array<() => BadRequest> = [
    () => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: text(1 + Math.floor(next() * 200)) }),
    () => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array(Array.from({ length: 64 }, () => Math.floor(next() * 256))),
    }),
    () => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '']) },
      body: '{"query":"{ supportTopics { id } }"}',
    }),
    () => json({ query: '{ supportTopics { id } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    () => json({ query: text(Math.floor(next() * 300)) }),
    () =>
      json({
        query: pick([
          '{',
          '}',
          '{ supportTopics {',
          'query (',
          'mutation { nope }',
          'subscription { x }',
          '{ __schema { types { name } } }',
          '{ nope }',
          '{ supportTopics { nope } }',
        ]),
      }),
    () => json({ query: `{ license(key: "${pick(CONTROL)}L-${text(5).replace(/["\\]/g, '')}${pick(CONTROL)}") { key } }`.replace(/\n/g, '\\n') }),
    () =>
      json({
        query: 'query ($k: ID!, $t: ID!) { supportContact(licenseKey: $k, topic: $t) { explanation } }',
        variables: { k: pick(['L-VENDOR', `a${pick(CONTROL)}b`, 42, null, { x: 1 }, ['L']]), t: pick([...TOPICS, `t${pick(CONTROL)}`, 7]) },
      }),
    () =>
      json({
        query: `{ ${Array.from({ length: 20 + Math.floor(next() * 60) }, (_, i) => `a${i}: supportContact(licenseKey: "L-VENDOR", topic: "${pick(TOPICS)}") { explanation }`).join(' ')} }`,
      }),
    () => json({ query: nested(5 + Math.floor(next() * 10)) }),
    () => json({ query: `{ supportTopics { ${'id '.repeat(1000 + Math.floor(next() * 3000))} } }` }),
    () => json({ query: 'query A { supportTopics { id } } query B { supportCategories { id } }', operationName: pick([undefined, 'C', 7, '']) }),
    () =>
      json({ query: `{ licenses(first: ${pick(['-1', '501', '0', '100000', '"x"', 'null'])}, after: "${text(8).replace(/["\\]/g, '')}") { totalCount } }` }),
    () => json({ query: '{ supportTopics { id } }', variables: pick(['x', 7, [1], null]) as any }),
    () => json([{ query: '{ supportTopics { id } }' }, { query: '{ nope }' }]),
    () => ({
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(pick(['{ supportTopics { id } }', 'mutation { x }', '{', text(20)]))}&variables=${encodeURIComponent(pick(['{', '[]', '{"a":1}']))}`,
      headers: { accept: pick(['application/json', '*/*', 'text/html']) },
    }),
    () => ({ method: pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS']), path: '/graphql', headers: { 'content-type': 'application/json' }, body: '{}' }),
    () => ({ method: 'GET', path: pick(['/', '/nope', '/graphql/../etc/passwd', '/%00', '/health?x=1', '/ready/x', '/metrics/..']), headers: {} }),
  ];
  const chosen = only ? cases.filter((_, i) => only.includes(i)) : cases;
  return () => pick(chosen)();
}
