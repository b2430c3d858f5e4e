/**
 * The rate limit and the response cache know a caller by who it is, as verified, not by how its
 * Authorization header is spelled: `Bearer`, `bearer`, `BEARER` and any run of whitespace are one
 * caller with one limit and one cache scope, and so is a fresh token for the same subject and role.
 */
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

const LIMIT = 8;
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory(), gateway: { rateLimit: { requests: LIMIT, windowSeconds: 60 } } });
});
afterAll(() => stack?.close());

/** Nine ways to write the same credentials that the gateway accepts. */
const spellings = (token: string) =>
  ['Bearer', 'bearer', 'BEARER', 'bEaReR', 'Bearer  ', 'bearer\t', 'BEARER \t ', 'Bearer   ', 'beaRER\t\t'].map(
    (scheme) => `${scheme.trimEnd() === scheme ? `${scheme} ` : scheme}${token}`,
  );

async function ask(authorization: string | undefined, query = '{ supportCategories { id } }') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any };
}

test("every spelling of one caller's credentials counts against one limit, and so does a fresh token", async () => {
  const caller = { sub: `spelling-${process.pid}`, role: 'admin' };
  const token = await tokenFor(caller);
  const statuses = [];
  for (const authorization of spellings(token)) statuses.push((await ask(authorization)).status);
  expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
  // A new token for the same subject and role is the same caller.
  const fresh = await tokenFor(caller, '2h');
  expect(fresh).not.toBe(token);
  const refused = await ask(`Bearer ${fresh}`);
  expect(refused.status).toBe(429);
  expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  // Other callers keep their own budgets: another subject, and anonymous callers from this address.
  expect((await ask(`Bearer ${await tokenFor({ sub: `other-${process.pid}`, role: 'admin' })}`)).status).toBe(200);
  expect((await ask(undefined)).status).toBe(200);
});

test('refused credentials count against the address they come from, whatever they are', async () => {
  const statuses = [];
  for (let i = 0; i <= LIMIT; i++) statuses.push((await ask(`Bearer not.a.token${i}`)).status);
  expect(statuses).toEqual([...Array(LIMIT).fill(401), 429]);
});

test("every spelling of one caller's credentials shares one cache scope: the second is a hit", async () => {
  const token = await tokenFor({ sub: `cache-${process.pid}`, role: 'admin' });
  const [first, second] = spellings(token).slice(3, 5);
  const query = '{ licenses(first: 3) { edges { node { key holder { name } } } } }';
  const miss = await ask(first, query);
  expect(miss.body.errors).toBeUndefined();
  // The licenses were read (SQLite: from `license`; PostgreSQL: from "<schema>"."license").
  expect(stack.statements.licenses.some((sql) => /from [^ ]*[`"]license[`"]/.test(sql))).toBe(true);
  stack.statements.licenses.length = 0;
  const hit = await ask(second, query);
  expect(hit.body).toEqual(miss.body);
  expect(stack.statements.licenses).toEqual([]);
  // A caller with another identity is not answered from that scope.
  const holder = await ask(`Bearer ${await tokenFor({ sub: `holder-${process.pid}`, role: 'holder', licenses: ['L-VENDOR'] })}`, query);
  expect(holder.body.data.licenses.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(['L-VENDOR']);
});
