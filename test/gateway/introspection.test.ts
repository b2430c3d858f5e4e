/**
 * Introspection through the real gateway: graphql's own introspection query gives back exactly the
 * published API schema (schema/api.graphql), `__schema`/`__type`/`__typename` mixed with planned
 * fields (also through fragments) answer as one execution would, and INTROSPECTION=off refuses
 * them with INTROSPECTION_DISABLED while `__typename` still works; INTROSPECTION=signed-in (the
 * production default) answers them to a verified caller and refuses the anonymous one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { introspectionEnabled } from '../../gateway/protection/introspection';
import { ROOT } from '../support/build';
import { testRedisUrl } from '../support/redis';
import { ADMIN, startTestStack, tokenFor, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const post = async (url: string, body: unknown, accept = 'application/graphql-response+json') => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any } };
};

describe('INTROSPECTION=on', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ gateway: { introspection: true } });
  });
  afterAll(() => stack?.close());

  test('the introspection query (graphql-js, with descriptions) gives back the published API schema', async () => {
    const { status, body } = await post(stack.url, { query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }) });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const served = printSchema(lexicographicSortSchema(buildClientSchema(body.data as IntrospectionQuery)));
    const published = printSchema(lexicographicSortSchema(buildSchema(fs.readFileSync(path.join(ROOT, 'schema', 'api.graphql'), 'utf8'))));
    expect(served).toBe(published);
  });

  test('__schema, __type and __typename alone', async () => {
    expect((await post(stack.url, { query: '{ __schema { queryType { name } mutationType { name } } }' })).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } },
    });
    const type = await post(stack.url, { query: 'query T($name: String!) { __type(name: $name) { name kind } }', variables: { name: 'SupportTopic' } });
    expect(type).toEqual({ status: 200, body: { data: { __type: { name: 'SupportTopic', kind: 'OBJECT' } } } });
    expect((await post(stack.url, { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    expect((await post(stack.url, { query: '{ __type(name: "NoSuchType") { name } }' })).body).toEqual({ data: { __type: null } });
  });

  test('mixed with planned fields, in any order and through fragments, answered as one execution would', async () => {
    const { body: plain } = await post(stack.url, { query: '{ supportTopics { id } }' });
    expect(plain.data.supportTopics.length).toBeGreaterThan(0);
    const topics = plain.data.supportTopics;
    const first = await post(stack.url, { query: '{ t: __type(name: "SupportTopic") { name } supportTopics { id } __typename }' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ data: { t: { name: 'SupportTopic' }, supportTopics: topics, __typename: 'Query' } });
    expect(Object.keys(first.body.data)).toEqual(['t', 'supportTopics', '__typename']);
    const last = await post(stack.url, { query: '{ supportTopics { id } __schema { queryType { name } } }' });
    expect(Object.keys(last.body.data)).toEqual(['supportTopics', '__schema']);
    expect(last.body.data).toEqual({ supportTopics: topics, __schema: { queryType: { name: 'Query' } } });
    const fragments = await post(stack.url, {
      query: 'query Q { ...Both ... on Query { __typename } } fragment Both on Query { __schema { queryType { name } } supportTopics { id } }',
      operationName: 'Q',
    });
    expect(fragments.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } }, supportTopics: topics, __typename: 'Query' } });
    // An error of the planned part stays with its path; the introspection part is still answered.
    const failing = await post(stack.url, {
      query: '{ __type(name: "License") { name } supportContact(licenseKey: "NO-SUCH-LICENSE", topic: "training") { explanation } }',
    });
    expect(failing.body.data).toEqual({ __type: { name: 'License' }, supportContact: null });
    expect(failing.body.errors).toEqual([
      expect.objectContaining({ path: ['supportContact', 'license'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });
});

describe('INTROSPECTION=off', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ gateway: { introspection: false } });
  });
  afterAll(() => stack?.close());

  test('__schema and __type are refused with INTROSPECTION_DISABLED (not a planning failure); __typename is answered', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ supportTopics { id } __type(name: "SupportTopic") { name } }', getIntrospectionQuery()]) {
      const { status, body } = await post(stack.url, { query });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors.length).toBeGreaterThan(0);
      for (const error of body.errors) expect(error.extensions.code).toBe('INTROSPECTION_DISABLED');
    }
    // application/json gets the same 4xx (the gateway's documented choice for request errors).
    expect((await post(stack.url, { query: '{ __schema { queryType { name } } }' }, 'application/json')).status).toBe(400);
    expect((await post(stack.url, { query: '{ __typename supportTopics { id } }' })).body.data.__typename).toBe('Query');
  });
});

describe('INTROSPECTION=signed-in', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ gateway: { introspection: 'signed-in' } });
  });
  afterAll(() => stack?.close());

  const asking = async (query: string, claims?: Parameters<typeof tokenFor>[0]) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
    if (claims) headers.authorization = `Bearer ${await tokenFor(claims)}`;
    const response = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any } };
  };

  test('a signed-in caller (admin or partner) gets the schema; the anonymous caller is refused, also for a document already validated for someone else', async () => {
    const query = '{ __schema { queryType { name } } __type(name: "SupportTopic") { name } }';
    const partner = { sub: 'p1', role: 'provider', provider: 'dora' };
    for (const claims of [ADMIN, partner]) {
      const { status, body } = await asking(query, claims);
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'SupportTopic' } });
    }
    const anonymous = await asking(query);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.data).toBeUndefined();
    for (const error of anonymous.body.errors) {
      expect(error.extensions.code).toBe('INTROSPECTION_DISABLED');
      expect(error.message).toMatch(/signed-in callers only.*send a token or an API key/);
    }
    // And the other way round: refused first, then answered to a verified caller.
    expect((await asking(getIntrospectionQuery())).status).toBe(400);
    const full = await asking(getIntrospectionQuery(), partner);
    expect(full.status).toBe(200);
    expect(full.body.data.__schema.types.length).toBeGreaterThan(10);
    // __typename is no introspection of the schema: anonymous callers keep it.
    expect((await asking('{ __typename supportTopics { id } }')).body.data.__typename).toBe('Query');
  });
});

test('a gateway with INTROSPECTION=off never answers from what one with it on put into a shared response cache (Redis)', async () => {
  const redisUrl = await testRedisUrl();
  if (!redisUrl) return console.warn('no Redis: skipped');
  const on = await startTestStack({ gateway: { introspection: true, redisUrl } });
  const off = await startTestStack({ gateway: { introspection: false, redisUrl } });
  try {
    const query = `{ __schema { queryType { name } } } # ${process.pid}-${Date.now()}`;
    for (let i = 0; i < 2; i++) expect((await post(on.url, { query })).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const refused = await post(off.url, { query });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
  } finally {
    await off.close();
    await on.close();
  }
});

test('INTROSPECTION: on by default, signed-in by default in production, and a bad value is named', () => {
  expect(introspectionEnabled(parsedSettings({}))).toBe(true);
  expect(introspectionEnabled(parsedSettings({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }))).toBe('signed-in');
  expect(introspectionEnabled(parsedSettings({ INTROSPECTION: 'Signed-In' }))).toBe('signed-in');
  expect(introspectionEnabled(parsedSettings({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), INTROSPECTION: 'on' }))).toBe(true);
  expect(introspectionEnabled(parsedSettings({ INTROSPECTION: 'OFF' }))).toBe(false);
  expect(() => parsedSettings({ INTROSPECTION: 'yes' })).toThrow('INTROSPECTION="yes": must be "on", "off" or "signed-in"');
});
