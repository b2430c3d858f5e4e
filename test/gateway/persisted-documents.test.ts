/**
 * Persisted documents through the real gateway: automatic persisted queries on the Apollo protocol
 * with Apollo Client 4's own persisted-query link (a miss, the document sent, then a hit by hash
 * alone), the hash checked against the document, kept in memory or in Redis; and trusted documents
 * (PERSISTED_DOCUMENTS_FILE as `npm run build` writes it for the support finder) with
 * PERSISTED_DOCUMENTS=only refusing anything else.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Redis } from 'ioredis';
import { persistedDocumentsSettings } from '../../gateway/protection/persisted-documents';
import { supportFinderDocuments } from '../../scripts/persisted-documents';
import { TOPICS_QUERY } from '../../web/src/operations';
import { testRedisUrl } from '../support/redis';
import { startTestStack, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any } };
};

/** An Apollo Client with the persisted-query link, recording what it sends. */
function apolloClient(url: string) {
  const sent: Record<string, any>[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(String(init?.body)));
    return fetch(input, init);
  };
  const client = new ApolloClient({
    link: ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: url, fetch: recordingFetch })]),
    cache: new InMemoryCache(),
  });
  return { client, sent };
}

/** A document of its own per call: Redis outlives a test run. */
const partnerList = () => gql`
  query PartnerList_${process.pid}_${Math.floor(Math.random() * 1e9)}($country: String!) {
    providers(country: $country) {
      name
      roles
    }
  }
`;
const PROVIDERS = partnerList();

async function apqWithApolloClient(stack: TestStack) {
  const PROVIDERS = partnerList();
  const first = apolloClient(stack.url);
  const miss = await first.client.query<{ providers: { name: string }[] }>({ query: PROVIDERS, variables: { country: 'DE' } });
  expect(Array.isArray(miss.data?.providers)).toBe(true);
  // A hash alone, PERSISTED_QUERY_NOT_FOUND, then the document with its hash.
  expect(first.sent).toHaveLength(2);
  expect(first.sent[0].query).toBeUndefined();
  expect(first.sent[0].extensions.persistedQuery).toEqual({ version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(first.sent[1].query).toContain('query PartnerList');
  expect(sha256(first.sent[1].query)).toBe(first.sent[0].extensions.persistedQuery.sha256Hash);
  // Another client (another process, page, ...): the hash alone is enough now.
  const second = apolloClient(stack.url);
  const hit = await second.client.query({ query: PROVIDERS, variables: { country: 'DE' } });
  expect(second.sent).toHaveLength(1);
  expect(second.sent[0].query).toBeUndefined();
  expect(hit.data).toEqual(miss.data);
  return first.sent[0].extensions.persistedQuery.sha256Hash as string;
}

describe('automatic persisted queries, in memory', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ directory: JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/demo-directory.json'), 'utf8')) });
  });
  afterAll(() => stack?.close());

  test('Apollo Client’s persisted-query link: a miss, then a hit by hash alone', async () => {
    await apqWithApolloClient(stack);
  });

  test('the protocol: an unknown hash is PERSISTED_QUERY_NOT_FOUND; a hash that is not the document’s is refused, not answered', async () => {
    const unknown = await post(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ never sent }') } } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })]);
    const query = '{ supportTopics { id } }';
    const mismatch = await post(stack.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ supportCategories { id } }') } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.data).toBeUndefined();
    expect(mismatch.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
    // …and that wrong hash was not registered for the document.
    expect((await post(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ supportCategories { id } }') } } })).status).toBe(404);
    // A plain document is still answered (PERSISTED_DOCUMENTS=allow).
    expect((await post(stack.url, { query })).body.data.supportTopics.length).toBeGreaterThan(0);
  });
});

test('automatic persisted queries in Redis (REDIS_URL): kept under apq:<hash>, shared by every gateway of that Redis', async () => {
  const redisUrl = await testRedisUrl();
  if (!redisUrl) return console.warn('no Redis: skipped');
  const redis = new Redis(redisUrl);
  const stack = await startTestStack({ gateway: { redisUrl } });
  const other = await startTestStack({ gateway: { redisUrl } });
  try {
    const hash = await apqWithApolloClient(stack);
    expect(await redis.get(`apq:${hash}`)).toContain('query PartnerList');
    expect(await redis.pttl(`apq:${hash}`)).toBeGreaterThan(0);
    // Another gateway of the same Redis knows it at once.
    const elsewhere = await post(other.url, { variables: { country: 'DE' }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.data.providers).toBeDefined();
    await redis.del(`apq:${hash}`);
  } finally {
    await other.close();
    await stack.close();
    redis.disconnect();
  }
});

describe('trusted documents, PERSISTED_DOCUMENTS=only', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-documents-'));
    const file = path.join(dir, 'persisted-documents.json');
    fs.writeFileSync(file, JSON.stringify(supportFinderDocuments()));
    stack = await startTestStack({ gateway: { persistedDocuments: { mode: 'only', file } } });
  });
  afterAll(async () => {
    await stack?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the support finder’s own documents are answered by id', async () => {
    const { status, body } = await post(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(TOPICS_QUERY) } } });
    expect(status).toBe(200);
    expect(body.data.supportTopics.length).toBeGreaterThan(0);
  });

  test('any other document, an unknown id or no id at all is refused, each with its code', async () => {
    const text = await post(stack.url, { query: TOPICS_QUERY });
    expect(text.status).toBe(400);
    expect(text.body.errors[0].extensions.code).toBe('PERSISTED_DOCUMENTS_ONLY');
    const unknown = await post(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ licenses { totalCount } }') } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const nothing = await post(stack.url, { variables: {} });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    // Apollo Client cannot register a document of its own either.
    const { client } = apolloClient(stack.url);
    await expect(client.query({ query: PROVIDERS, variables: { country: 'DE' } })).rejects.toThrow(/trusted documents|not one of the documents/);
  });
});

test('PERSISTED_DOCUMENTS: allow by default; only needs the file; a bad value is named', () => {
  expect(persistedDocumentsSettings(parsedSettings({}))).toEqual({ mode: 'allow', file: undefined });
  expect(persistedDocumentsSettings(parsedSettings({ PERSISTED_DOCUMENTS: 'only', PERSISTED_DOCUMENTS_FILE: 'x.json' }))).toEqual({
    mode: 'only',
    file: 'x.json',
  });
  expect(() => parsedSettings({ PERSISTED_DOCUMENTS: 'only' })).toThrow('PERSISTED_DOCUMENTS=only needs PERSISTED_DOCUMENTS_FILE');
  expect(() => persistedDocumentsSettings({ PERSISTED_DOCUMENTS: 'only' })).toThrow('PERSISTED_DOCUMENTS=only needs PERSISTED_DOCUMENTS_FILE');
  expect(() => parsedSettings({ PERSISTED_DOCUMENTS: 'some' })).toThrow('PERSISTED_DOCUMENTS="some": must be one of allow, only');
});
