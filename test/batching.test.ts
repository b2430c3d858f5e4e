/**
 * Every by-id lookup and every __resolveReference goes through a per-request DataLoader: a request
 * over many licenses with their vendors, partners and support contacts issues the same number of
 * SQL statements per subgraph as a request over a few.
 */
import { DEFAULT_OPERATION_LIMITS } from '../gateway/operation-limits';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config';
import { manyLicenses, networkDirectory } from './fixtures/network';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
beforeAll(async () => {
  // A page of 500 licenses with two routings each is over the default cost limit, on purpose.
  stack = await startTestStack({ directory: networkDirectory(manyLicenses(200)), gateway: { limits: { ...DEFAULT_OPERATION_LIMITS, maxCost: 100_000 } } });
});
afterAll(() => stack?.close());

const LICENSES_WITH_EVERYTHING = `query ($vendorId: ID) {
  licenses(vendorId: $vendorId, first: 500) {
    edges { node {
      key
      vendor { id name roles }
      supportPartner { id name offers { id } }
      training: supportContact(topic: "training") { contacts { id name } explanation }
      level0: supportContact(topic: "server-installation") { contacts { id } escalation { id } billedBy { id } }
    } }
  }
}`;

async function statementsFor(variables: Record<string, unknown>): Promise<{ licenses: number; statements: Record<SubgraphName, number> }> {
  for (const name of SUBGRAPH_NAMES) stack.statements[name].length = 0;
  const { body } = await stack.graphql(LICENSES_WITH_EVERYTHING, variables);
  expect(body.errors).toBeUndefined();
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, stack.statements[n].length])) as Record<SubgraphName, number>;
  return { licenses: body.data.licenses.edges.length, statements };
}

test('SQL statements per subgraph do not grow with the number of licenses', async () => {
  const few = await statementsFor({ vendorId: 'beta' }); // 50 of the many, plus none of the fixed ones
  const all = await statementsFor({}); // 206 licenses
  expect(few.licenses).toBe(50);
  expect(all.licenses).toBe(206);
  expect(all.statements).toEqual(few.statements);
  // A few batched statements per fetch of the query plan (measured: providers 14, licenses 4,
  // support 3), far below one per license.
  for (const name of SUBGRAPH_NAMES) expect(all.statements[name]).toBeLessThan(20);
  expect(all.statements.licenses).toBeGreaterThan(0);
  expect(all.statements.providers).toBeGreaterThan(0);
  expect(all.statements.support).toBeGreaterThan(0);
});

test('each request gets its own identity map: a change in the database shows in the next request', async () => {
  const before = await stack.graphql(`{ provider(id: "alpha") { name } }`);
  expect(before.body.data.provider.name).toBe('Alpha Dental Vertrieb');
  await stack.orms.providers.em.fork().getConnection().execute(`update provider set name = 'Alpha Renamed' where id = 'alpha'`);
  const after = await stack.graphql(`{ provider(id: "alpha") { name } }`);
  expect(after.body.data.provider.name).toBe('Alpha Renamed');
});
