/**
 * API keys for a provider's integrations (docs/guide.md "Identity and access", docs/rules.md "Who may see and change what"), through the
 * gateway over HTTP with every subgraph real: an admin issues a key, shown once; the key acts as its
 * provider and sees exactly that provider's licenses; revoked or made-up keys are 401; nobody but an
 * admin issues, revokes or lists keys; the database holds only the key's hash; the response cache
 * never hands one key's answer to another caller; the gateway's question to the providers subgraph
 * travels signed when SUBGRAPH_SECRET is set.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType, type GraphQLObjectType } from 'graphql';
import { API_KEY_IDENTITY_PATH } from '../../lib/api-keys';
import { subgraphCaller } from '../../lib/identity';
import { IDENTITY_HEADER, signSubgraphRequest } from '../../lib/subgraph-signature';
import { networkDirectory } from '../fixtures/network';
import { gatewayBeside, subgraphUrlsOf, startTestStack, tokenFor, type TestStack } from '../support/stack';
import { startTestSubgraph } from '../support/subgraph';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const ISSUE = `mutation ($providerId: ID!, $label: String!) { issueApiKey(providerId: $providerId, label: $label) { id key providerId label } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) }`;
const LIST = `query ($providerId: ID!) { apiKeys(providerId: $providerId) { id providerId label createdAt revokedAt } }`;
const LICENSES = `{ licenses(first: 500) { totalCount edges { node { key } } } }`;
const LICENSE = `query ($key: ID!) { license(key: $key) { key vendor { id } } }`;

const HOLDER = { sub: 'praxis-vendor', role: 'holder', licenses: ['L-VENDOR'] };
const PROVIDER = { sub: 'alpha-desk', role: 'provider', provider: 'alpha' };

interface Issued {
  id: string;
  key: string;
  providerId: string;
  label: string;
}

async function issue(providerId: string, label = `${providerId} ERP sync`): Promise<Issued> {
  const answer = await stack.graphql(ISSUE, { providerId, label });
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.issueApiKey;
}

/** POSTs a query with `X-API-Key: key` (and any other headers). */
async function withKey(key: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, url = stack.url) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const licenseKeys = (answer: { body: any }) => answer.body.data.licenses.edges.map((e: { node: { key: string } }) => e.node.key).sort();

/** The rows of the api_key table, as the database holds them. */
const storedKeys = (): Promise<Record<string, unknown>[]> => stack.orms.providers.em.getConnection().execute('select * from api_key order by created_at, id');

/** The gateway's response cache lookups so far, from its Prometheus text. */
async function cacheLookups(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).text();
  const count = (result: string) => Number(text.match(new RegExp(`^gateway_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

describe('issuing', () => {
  test('an admin issues a key for a provider: a long random key, in this answer only', async () => {
    const issued = await issue('alpha', '  ERP sync  ');
    expect(issued).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: expect.stringMatching(/^onyx_[A-Za-z0-9_-]{43}$/),
      providerId: 'alpha',
      label: 'ERP sync',
    });
    const again = await issue('alpha', 'ERP sync');
    expect(again.key).not.toBe(issued.key);
    expect(again.id).not.toBe(issued.id);
  });

  test('the key is not readable again: the list shows id, label and dates, the type has no key or hash', async () => {
    // Read (and so cached) before the key exists: issuing moves the response cache past that answer.
    expect((await stack.graphql(LIST, { providerId: 'beta' })).body.data.apiKeys).toEqual([]);
    expect((await stack.graphql(LIST, { providerId: 'beta' })).body.data.apiKeys).toEqual([]);
    const issued = await issue('beta', 'Ticket bridge');
    const listed = await stack.graphql(LIST, { providerId: 'beta' });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.apiKeys).toContainEqual({
      id: issued.id,
      providerId: 'beta',
      label: 'Ticket bridge',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(issued.key);
    // The public API (schema/api.graphql, drift-tested against the running graph): only the answer
    // to issueApiKey has a field for the key, and no type has one for its hash.
    const api = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'));
    expect(Object.keys((api.getType('ApiKey') as GraphQLObjectType).getFields())).toEqual(['id', 'providerId', 'label', 'createdAt', 'revokedAt']);
    const holders = Object.values(api.getTypeMap()).filter(
      (t) => isObjectType(t) && t.name !== 'License' && Object.keys(t.getFields()).some((f) => f === 'key' || f === 'hash'),
    );
    expect(holders.map((t) => t.name)).toEqual(['IssuedApiKey']);
  });

  test('the database holds only the SHA-256 hash of the key, never the key', async () => {
    const issued = await issue('carla', 'Calendar');
    const row = (await storedKeys()).find((r) => r.id === issued.id)!;
    expect(row).toMatchObject({ provider_id: 'carla', label: 'Calendar', hash: createHash('sha256').update(issued.key).digest('hex'), revoked_at: null });
    expect(Object.keys(row).sort()).toEqual(['created_at', 'hash', 'id', 'label', 'provider_id', 'revoked_at']);
    const everything = JSON.stringify(await storedKeys());
    expect(everything).not.toContain(issued.key);
    expect(everything).not.toContain(issued.key.slice('onyx_'.length));
  });

  test.each([
    ['an empty label', 'alpha', '   ', 'BAD_USER_INPUT', /label must not be empty/],
    ['a label over 100 characters', 'alpha', 'x'.repeat(101), 'BAD_USER_INPUT', /at most 100 characters/],
    ['a label with a line break', 'alpha', 'ERP\nsync', 'BAD_USER_INPUT', /control characters/],
    ['an unknown provider', 'no-such-provider', 'ERP sync', 'NOT_FOUND', /no-such-provider/],
  ])('%s: refused with a clear error, nothing stored', async (_name, providerId, label, code, message) => {
    const before = (await storedKeys()).length;
    const answer = await stack.graphql(ISSUE, { providerId, label });
    expect(answer.body.data ?? null).toBeNull(); // the gateway leaves out data: null
    expect(answer.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code }) })]);
    if (code === 'BAD_USER_INPUT') expect(answer.body.errors[0].extensions.argumentName).toBe('label');
    expect((await storedKeys()).length).toBe(before);
  });

  test('the list of an unknown provider is NOT_FOUND', async () => {
    const answer = await stack.graphql(LIST, { providerId: 'no-such-provider' });
    expect(answer.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('a key acts as its provider', () => {
  test("a distributor's key sees the licenses it sold, a support partner's those it is designated for", async () => {
    const alpha = await issue('alpha');
    const emil = await issue('emil');
    const asAlpha = await withKey(alpha.key, LICENSES);
    expect(asAlpha.status).toBe(200);
    expect(licenseKeys(asAlpha)).toEqual(['L-PARTNER', 'L-SUSPENDED', 'L-VENDOR']);
    expect(asAlpha.body.data.licenses.totalCount).toBe(3);
    expect(licenseKeys(await withKey(emil.key, LICENSES))).toEqual(['L-PARTNER']);
    expect((await withKey(alpha.key, LICENSE, { key: 'L-VENDOR' })).body.data.license).toEqual({ key: 'L-VENDOR', vendor: { id: 'alpha' } });
  });

  test("it cannot see other providers' licenses", async () => {
    const dora = await issue('dora');
    const emil = await issue('emil');
    expect((await withKey(dora.key, LICENSES)).body.data.licenses).toEqual({ totalCount: 0, edges: [] });
    for (const key of ['L-VENDOR', 'L-DIRECT', 'L-US']) expect((await withKey(emil.key, LICENSE, { key })).body.data.license).toBeNull();
  });

  test('the response cache keeps answers per key: another key never gets them', async () => {
    const alpha = await issue('alpha');
    const dora = await issue('dora');
    const query = `{ licenses(first: 500) { totalCount } }`;
    const first = await cacheLookups();
    expect((await withKey(alpha.key, query)).body.data.licenses.totalCount).toBe(3);
    expect((await withKey(alpha.key, query)).body.data.licenses.totalCount).toBe(3);
    const afterAlpha = await cacheLookups();
    expect(afterAlpha.hit - first.hit).toBe(1); // the same key again: from the cache
    expect((await withKey(dora.key, query)).body.data.licenses.totalCount).toBe(0);
    const afterDora = await cacheLookups();
    expect(afterDora.miss - afterAlpha.miss).toBe(1);
    expect(afterDora.hit - afterAlpha.hit).toBe(0);
    // Nor does a caller without credentials, nor one with a made-up key.
    expect((await stack.graphql(query, undefined, null)).body.data.licenses.totalCount).toBe(0);
    expect((await withKey(`onyx_${'A'.repeat(43)}`, query)).status).toBe(401);
  });

  test('the subgraphs learn which key called: keyId travels in the signed identity', () => {
    const header = (identity: object) => ({ headers: { [IDENTITY_HEADER]: JSON.stringify(identity) } });
    const viaKey = { role: 'provider', sub: 'api-key:k1', provider: 'alpha', keyId: 'k1' };
    // With a secret: the signature check has run before the header is read.
    const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
    expect(subgraphCaller(header(viaKey), SECRET)).toEqual(viaKey);
    expect(subgraphCaller(header({ role: 'provider', sub: 'alpha-desk', provider: 'alpha' }), SECRET)).toEqual({
      role: 'provider',
      sub: 'alpha-desk',
      provider: 'alpha',
    });
    expect(() => subgraphCaller(header({ role: 'admin', sub: 'ops', keyId: 'k1' }), SECRET)).toThrow(/keyId/);
  });
});

describe('refused keys', () => {
  test('a revoked key is 401 from the next request on, even for an answer the cache holds', async () => {
    const issued = await issue('alpha', 'Old integration');
    expect((await withKey(issued.key, LICENSES)).status).toBe(200);
    expect((await withKey(issued.key, LICENSES)).status).toBe(200); // now verified and cached
    const revoked = await stack.graphql(REVOKE, { id: issued.id });
    expect(revoked.body).toEqual({ data: { revokeApiKey: true } });
    const after = await withKey(issued.key, LICENSES);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ errors: [{ message: 'Unknown or revoked API key', extensions: { code: 'UNAUTHENTICATED' } }] });
    // Revoking again changes nothing; the list shows when it was revoked.
    expect((await stack.graphql(REVOKE, { id: issued.id })).body).toEqual({ data: { revokeApiKey: false } });
    const listed = (await stack.graphql(LIST, { providerId: 'alpha' })).body.data.apiKeys.find((k: { id: string }) => k.id === issued.id);
    expect(listed.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await storedKeys()).find((r) => r.id === issued.id)!.revoked_at).not.toBeNull();
  });

  test("issuing and revoking are in the provider's audit trail: who, when, the key's id and label, never the key", async () => {
    const issued = await issue('alpha', 'Audited integration');
    await stack.graphql(REVOKE, { id: issued.id });
    const trail = `query ($providerId: ID) { auditTrail(providerId: $providerId, first: 500) { edges { node { actorRole actorSub action subjectType subjectId before after } } } }`;
    const entries = (await stack.graphql(trail, { providerId: 'alpha' })).body.data.auditTrail.edges
      .map((e: { node: Record<string, string | null> }) => e.node)
      .filter((n: Record<string, string | null>) => n.subjectId === issued.id);
    // Newest first: the revocation, then the issue.
    expect(entries.map((e: Record<string, string | null>) => e.action)).toEqual(['revokeApiKey', 'issueApiKey']);
    for (const entry of entries) expect(entry).toMatchObject({ actorRole: 'admin', actorSub: 'test-admin', subjectType: 'apiKey' });
    expect(JSON.parse(entries[1].after)).toEqual({ label: 'Audited integration', createdAt: expect.any(String), revokedAt: null });
    expect(JSON.parse(entries[0].before).revokedAt).toBeNull();
    expect(JSON.parse(entries[0].after).revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const hash = (await storedKeys()).find((r) => r.id === issued.id)!.hash as string;
    for (const entry of entries) expect(`${entry.before}${entry.after}`).not.toMatch(new RegExp(`${issued.key}|${hash}`));
  });

  test("revoking one key leaves the provider's other keys working", async () => {
    const kept = await issue('alpha', 'Kept');
    const dropped = await issue('alpha', 'Dropped');
    await stack.graphql(REVOKE, { id: dropped.id });
    expect((await withKey(kept.key, LICENSES)).body.data.licenses.totalCount).toBe(3);
  });

  test.each([
    ['a well-formed key no admin issued', `onyx_${'x'.repeat(43)}`],
    ['a value of another shape', 'made-up'],
    ['an empty header', ''],
  ])('%s is 401 UNAUTHENTICATED', async (_name, key) => {
    const answer = await withKey(key, LICENSES);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: [{ message: 'Unknown or revoked API key', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  test('a key and a token together are 401, asking for one of them', async () => {
    const issued = await issue('alpha');
    const answer = await withKey(issued.key, LICENSES, undefined, { authorization: `Bearer ${await tokenFor(PROVIDER)}` });
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0]).toEqual({
      message: expect.stringMatching(/either an Authorization header or an X-API-Key header, not both/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  test('revoking an unknown key is NOT_FOUND', async () => {
    const answer = await stack.graphql(REVOKE, { id: 'no-such-key' });
    expect(answer.body.errors[0]).toMatchObject({ message: expect.stringMatching(/no-such-key/), extensions: { code: 'NOT_FOUND' } });
  });
});

describe('only an admin issues, revokes and lists keys', () => {
  let target: Issued;
  beforeAll(async () => {
    target = await issue('alpha', 'Target');
  });

  const callers: [string, string, (query: string, variables: Record<string, unknown>) => Promise<{ body: any }>][] = [
    ['anonymous', 'UNAUTHENTICATED', (query, variables) => stack.graphql(query, variables, null)],
    ['a provider (token)', 'FORBIDDEN', (query, variables) => stack.graphql(query, variables, PROVIDER)],
    ['a holder', 'FORBIDDEN', (query, variables) => stack.graphql(query, variables, HOLDER)],
    ["a provider's own API key", 'FORBIDDEN', (query, variables) => withKey(target.key, query, variables)],
  ];
  test.each(callers)('%s gets %s for each, and nothing changes', async (_name, code, ask) => {
    const before = await storedKeys();
    for (const [query, variables] of [
      [ISSUE, { providerId: 'alpha', label: 'Mine' }],
      [REVOKE, { id: target.id }],
      [LIST, { providerId: 'alpha' }],
    ] as const) {
      const answer = await ask(query, variables);
      expect(answer.body.data ?? null).toBeNull(); // the gateway leaves out data: null
      expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code }) })]);
    }
    expect(await storedKeys()).toEqual(before);
    expect((await withKey(target.key, LICENSES)).status).toBe(200);
  });
});

describe('the gateway asks the providers subgraph', () => {
  const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

  test(`${API_KEY_IDENTITY_PATH} with SUBGRAPH_SECRET answers only signed requests, by the key's hash`, async () => {
    const issued = await issue('alpha');
    const hash = createHash('sha256').update(issued.key).digest('hex');
    const providers = await startTestSubgraph('providers', { secret: SECRET });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // That subgraph has its own database: issue a key there through its own GraphQL, signed as an admin.
      const body = JSON.stringify({ query: ISSUE, variables: { providerId: 'emil', label: 'Direct' } });
      const issuedThere = await fetch(providers.server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signSubgraphRequest({ method: 'POST', path: '/graphql', body, identity: { role: 'admin', sub: 'ops' }, secret: SECRET }),
        },
        body,
      });
      const { key, id } = ((await issuedThere.json()) as any).data.issueApiKey;
      const ask = (keyHash: string, signed: boolean) => {
        const path = `${API_KEY_IDENTITY_PATH}?hash=${keyHash}`;
        return fetch(`${providers.base}${path}`, { headers: signed ? signSubgraphRequest({ method: 'GET', path, secret: SECRET }) : {} });
      };
      expect((await ask(createHash('sha256').update(key).digest('hex'), false)).status).toBe(401);
      expect(await (await ask(createHash('sha256').update(key).digest('hex'), true)).json()).toEqual({ apiKey: { id, providerId: 'emil' } });
      // A key of another database, and a malformed hash: no identity.
      expect(await (await ask(hash, true)).json()).toEqual({ apiKey: null });
      expect(await (await ask('not-a-hash', true)).json()).toEqual({ apiKey: null });
    } finally {
      jest.restoreAllMocks();
      await providers.close();
    }
  });

  test('with SUBGRAPH_SECRET on, a key works end to end and a revoked one is refused', async () => {
    const saved = process.env.SUBGRAPH_SECRET;
    process.env.SUBGRAPH_SECRET = SECRET;
    let signedStack: TestStack | undefined;
    try {
      signedStack = await startTestStack({ directory: networkDirectory() });
      const issued = (await signedStack.graphql(ISSUE, { providerId: 'emil', label: 'Signed' })).body.data.issueApiKey;
      const asKey = () => withKey(issued.key, LICENSES, undefined, {}, signedStack!.url);
      expect(licenseKeys(await asKey())).toEqual(['L-PARTNER']);
      expect((await signedStack.graphql(REVOKE, { id: issued.id })).body.data.revokeApiKey).toBe(true);
      expect((await asKey()).status).toBe(401);
    } finally {
      if (saved === undefined) delete process.env.SUBGRAPH_SECRET;
      else process.env.SUBGRAPH_SECRET = saved;
      await signedStack?.close();
    }
  });

  test('when the providers subgraph cannot be asked, a key is 503 SUBGRAPH_UNAVAILABLE, not 401', async () => {
    const server = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), providers: 'http://127.0.0.1:1/graphql' } });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await withKey(`onyx_${'x'.repeat(43)}`, LICENSES, undefined, {}, server.url);
      expect(answer.status).toBe(503);
      expect(answer.body.errors[0]).toEqual({ message: expect.stringMatching(/cannot be checked right now/), extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    } finally {
      jest.restoreAllMocks();
      await server.close();
    }
  });

  test('a gateway deployed alone with the response cache off asks on every request, so a revocation counts at once', async () => {
    const server = await gatewayBeside(stack);
    try {
      const issued = await issue('emil', 'Alone');
      expect(licenseKeys(await withKey(issued.key, LICENSES, undefined, {}, server.url))).toEqual(['L-PARTNER']);
      await stack.graphql(REVOKE, { id: issued.id });
      expect((await withKey(issued.key, LICENSES, undefined, {}, server.url)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
