/**
 * GraphQL over HTTP: graphql-http's server audits against the real gateway (three subgraphs on
 * their own databases), with no MUST failing; and request errors (parse, validation, variable
 * coercion) answered 4xx with an extensions.code on every error.
 */
import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

test('graphql-http server audits: no MUST fails', async () => {
  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url: () => stack.url })) results.push(await audit.fn());
  const count = (status: string) => results.filter((r) => r.status === status).length;
  console.log(
    `graphql-http audits: ${results.length} run, ${count('ok')} ok, ${count('error')} MUST failures, ${count('warn')} warnings, ${count('notice')} notices\n` +
      results
        .filter((r) => r.status !== 'ok')
        .map((r) => `  ${r.status} ${r.name}: ${(r as { reason?: string }).reason}`)
        .join('\n'),
  );
  expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
});

describe('request errors with Accept: application/graphql-response+json are 4xx, each error with a code', () => {
  const cases: [string, { query: string; variables?: Record<string, unknown> }, string][] = [
    ['a document that does not parse', { query: '{ provider(id: ' }, 'GRAPHQL_PARSE_FAILED'],
    ['a field that does not exist', { query: '{ noSuchField }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['an object for an ID! variable', { query: 'query P($k: ID!) { provider(id: $k) { name } }', variables: { k: { not: 'an id' } } }, 'BAD_USER_INPUT'],
    ['a required variable left out', { query: 'query P($k: ID!) { provider(id: $k) { name } }', variables: {} }, 'BAD_USER_INPUT'],
    [
      'an input field that does not exist',
      {
        query: 'mutation U($input: ProviderUpdateInput!, $version: Int!) { updateProvider(id: "dora", input: $input, version: $version) { name } }',
        variables: { input: { email: 'a@b.example', shoeSize: 44 }, version: 1 },
      },
      'BAD_USER_INPUT',
    ],
  ];
  test.each(cases)('%s', async (_what, body, code) => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
      const answer = (await response.json()) as { data?: unknown; errors: { message: string; extensions?: { code?: string } }[] };
      // application/json: the gateway's documented choice (docs/gateway.md), the same 4xx.
      expect(response.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors.length).toBeGreaterThan(0);
      for (const error of answer.errors) expect(error.extensions?.code).toBe(code);
    }
  });
});
