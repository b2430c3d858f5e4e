/**
 * What a request costs in SQL, per subgraph: the providers subgraph answers from its in-memory
 * directory snapshot and the support subgraph from its in-memory catalogue, so neither issues any
 * statement on a warm request; the licenses subgraph batches every lookup through a per-request
 * DataLoader. A request over many licenses with their vendors, partners and support contacts
 * issues exactly as many statements as a request over a few.
 */
import { DEFAULT_OPERATION_LIMITS } from '../../gateway/protection/operation-limits';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { manyLicenses, networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  // A page of 500 licenses with two routings each is over the default cost limit, on purpose.
  stack = await startTestStack({
    directory: networkDirectory(manyLicenses(200)),
    // The response cache is off: these tests count the statements of every request, and one of them
    // writes the database behind the directory's back.
    gateway: { responseCache: false, limits: { ...DEFAULT_OPERATION_LIMITS, maxCost: 100_000 } },
  });
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

/**
 * The statements one request issued, per subgraph. The providers subgraph's change feed polls the
 * marker row, the webhook dispatcher its due deliveries and the licenses subgraph its outbox in the
 * background (BACKGROUND_POLLS); those polls belong to no request.
 */
async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
  for (const name of SUBGRAPH_NAMES) stack.statements[name].length = 0;
  const { body } = await stack.graphql(query, variables);
  expect(body.errors).toBeUndefined();
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, stack.statements[n].filter((sql) => !isMarkerPoll(sql)).length])) as Record<
    SubgraphName,
    number
  >;
  // A licenses page comes back as its nodes; other queries as they are.
  const data = body.data?.licenses?.edges ? { ...body.data, licenses: body.data.licenses.edges.map((e: any) => e.node) } : body.data;
  return { data, statements };
}

/** Background polls that belong to no request: the change feed's marker, the webhook dispatcher, the license event relay. */
const BACKGROUND_POLLS = [
  /^\[query\] select version from directory_version where id = 1\b/,
  // PostgreSQL names the schema with the table: match the table and the condition only.
  /^\[query\] select min\("id"\) as "id" from .*"webhook_delivery" where "status" = 'PENDING'/,
  /^\[query\] select [`"]l0[`"]\.\* from .*[`"]license_event[`"] as [`"]l0[`"] where [`"]l0[`"]\.[`"]relayed_at[`"] is null/,
];
const isMarkerPoll = (sql: string) => BACKGROUND_POLLS.some((poll) => poll.test(sql));

test('SQL statements per subgraph do not grow with the number of licenses; providers and support issue none', async () => {
  const few = await statementsFor(LICENSES_WITH_EVERYTHING, { vendorId: 'beta' }); // 50 of the many, plus none of the fixed ones
  const all = await statementsFor(LICENSES_WITH_EVERYTHING); // 206 licenses
  expect(few.data.licenses).toHaveLength(50);
  expect(all.data.licenses).toHaveLength(206);
  expect(all.statements).toEqual(few.statements);
  // Licenses: the list, then one batched lookup per License fetch of the plan (the two support
  // contacts' @requires). Providers and support: everything from memory. (Before the snapshot:
  // providers 14, licenses 3, support 3.) The list is a page: one limited select plus one count; the Rust planner fetches
  // both support contacts' licenses in one batch.
  expect(all.statements).toEqual({ providers: 0, licenses: 3, support: 0 });
  // The answers are real: vendors, partners' offers and routed contacts came through.
  const withPartner = all.data.licenses.find((l: any) => l.supportPartner?.id === 'carla');
  expect(withPartner.supportPartner.offers.map((o: any) => o.id)).toEqual(['carla-old', 'carla-training']);
  expect(all.data.licenses.find((l: any) => l.key === 'L-VENDOR').level0.contacts).toEqual([{ id: 'alpha' }]);
});

test('a warm headline request issues no providers or support statement, one licenses statement', async () => {
  const headline = `{ supportContact(licenseKey: "L-PARTNER", topic: "training") {
    contacts { name email offers(service: TRAINING, current: true) { price { amount currency } } } escalation { name } billedBy { name } explanation } }`;
  const { data, statements } = await statementsFor(headline);
  expect(data.supportContact.contacts.map((c: any) => c.name)).toEqual(['Emil Hilfe', 'Dora Support', 'Carla Schulung', 'Beta Ortho Distribution']);
  expect(statements).toEqual({ providers: 0, licenses: 1, support: 0 });
});

test('each request reads licenses afresh: a change in the licenses database shows in the next request', async () => {
  const query = `{ license(key: "L-VENDOR") { holder { name } } }`;
  expect((await stack.graphql(query)).body.data.license.holder.name).toBe('Praxis L-VENDOR');
  await stack.orms.licenses.em.fork().getConnection().execute(`update license set holder_name = 'Praxis Renamed' where key = 'L-VENDOR'`);
  expect((await stack.graphql(query)).body.data.license.holder.name).toBe('Praxis Renamed');
});
