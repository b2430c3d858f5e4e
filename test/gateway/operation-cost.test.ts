/**
 * The cost limit costs what will be served: a page is `first` items, 50 when `first` is left out or
 * null (literal or variable), and a `first` the subgraphs would refuse (below 0 or above 500) is
 * refused by the gateway as BAD_USER_INPUT before anything runs, instead of making the estimate
 * negative while the other fields of the operation are fetched. The refusal reads like the
 * subgraph's own (HTTP 200, no data, the same message), so the API answers it one way.
 */
import { networkDirectory } from '../fixtures/network';
import { ADMIN, startTestStack, tokenFor, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

/** Sent as an admin, who may see every license (anonymous callers see none). */
async function send(query: string, variables?: Record<string, unknown>) {
  for (const name of ['providers', 'licenses', 'support'] as const) stack.statements[name].length = 0;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(ADMIN)}` };
  const response = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as any };
}

/** No subgraph read anything for the operation (the response cache's directory version check aside). */
function expectNothingRan() {
  const read = (name: 'providers' | 'licenses' | 'support') => stack.statements[name].filter((sql) => !sql.includes('directory_version'));
  expect(read('licenses')).toHaveLength(0);
  expect(read('providers')).toHaveLength(0);
  expect(read('support')).toHaveLength(0);
}

/** Five support contacts with their contacts' offers per license: 600 per license on the page. */
const ROUTED = `node { key ${['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: supportContact(topic: "training") { contacts { offers { id } } }`).join(' ')} }`;

test("the review's request: pages of 500 beside an auditTrail(first: -2147483648) is BAD_USER_INPUT, and nothing runs", async () => {
  const pages = ['a', 'b', 'c'].map((alias) => `${alias}: licenses(first: 500) { edges { node { key holder { name } } } }`).join(' ');
  const answer = await send(`{ ${pages} z: auditTrail(first: -2147483648) { edges { node { id } } } }`);
  expect(answer.status).toBe(200);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toEqual([
    { message: 'first must be between 0 and 500 (got -2147483648) (argument first)', extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } },
  ]);
  expectNothingRan();
});

test.each([
  ['a negative literal', 'licenses(first: -1)', undefined, -1],
  ['a negative variable', 'licenses(first: $n)', { n: -5 }, -5],
  ['more than a page holds', 'licenses(first: 501)', undefined, 501],
  ['more than a page holds, by variable', 'licenses(first: $n)', { n: 100_000 }, 100_000],
])('%s is refused as the subgraph would refuse it, before anything runs', async (_name, field, variables, got) => {
  const answer = await send(`query ${variables ? '($n: Int)' : ''} { ${field} { edges { node { key } } } }`, variables);
  expect(answer.status).toBe(200);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors[0]).toEqual({
    message: `first must be between 0 and 500 (got ${got}) (argument first)`,
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
  });
  expectNothingRan();
});

test.each([
  ['first: null', 'licenses(first: null)', undefined],
  ['first: $n with n null', 'licenses(first: $n)', { n: null }],
  ['first left out', 'licenses', undefined],
])('%s is costed as the page of 50 it is served as', async (_name, field, variables) => {
  // 50 licenses * 600 = 30,000, over the limit of 25,000; a page of 10 costs 6,000 and runs.
  const answer = await send(`query ${field.includes('$n') ? '($n: Int)' : ''} { ${field} { edges { ${ROUTED} } } }`, variables);
  expect(answer.status).toBe(400);
  expect(answer.body.errors[0].extensions).toMatchObject({ code: 'OPERATION_TOO_EXPENSIVE', maxCost: 25_000 });
  expect(answer.body.errors[0].extensions.cost).toBeGreaterThanOrEqual(30_000);
  expectNothingRan();
});

test('within the limit, the same operation runs (first: 10, and first: 0 costs nothing)', async () => {
  const small = await send(`query ($n: Int) { licenses(first: $n) { edges { ${ROUTED} } } }`, { n: 10 });
  expect(small.body.errors).toBeUndefined();
  expect(small.body.data.licenses.edges.length).toBeGreaterThan(0);
  const empty = await send(`{ licenses(first: 0) { totalCount edges { ${ROUTED} } } }`);
  expect(empty.body.errors).toBeUndefined();
  expect(empty.body.data.licenses.edges).toEqual([]);
});
