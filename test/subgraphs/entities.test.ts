/**
 * Each subgraph on its own, as the gateway sees it: `_entities` through Apollo's executeOperation
 * (no HTTP), over a real in-memory database.
 */
import type { ApolloServer } from '@apollo/server';
import type { SubgraphName } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import type { SubgraphORM } from '../../lib/orm';
import { createSubgraphService, openSubgraphDatabase } from '../../lib/subgraph';
import { subgraphs } from '../../app/subgraphs';
import { networkDirectory } from '../fixtures/network';
import { dropTestSchemas, testDatabase } from '../support/stack';

const orms = {} as Record<SubgraphName, SubgraphORM>;
const apollo = {} as Record<SubgraphName, ApolloServer<any>>;
/** What each service holds while serving (the providers subgraph's directory snapshot). */
const serving = {} as Record<SubgraphName, any>;
const disposers: Array<() => Promise<void>> = [];
const schemas: string[] = [];

beforeAll(async () => {
  for (const name of ['providers', 'licenses', 'support'] as const) {
    const options = testDatabase(name);
    schemas.push(options.pgSchema);
    orms[name] = await openSubgraphDatabase(subgraphs[name] as any, options);
  }
  const result = await importDirectory(networkDirectory(), orms);
  expect(result.ok).toBe(true);
  for (const name of ['providers', 'licenses', 'support'] as const) {
    const service = await createSubgraphService(subgraphs[name] as any, orms[name]);
    apollo[name] = service.apollo;
    serving[name] = service.serving;
    disposers.push(service.dispose!);
  }
});
afterAll(async () => {
  // Stops Apollo, then what the service holds, then its database.
  for (const dispose of disposers) await dispose();
  await dropTestSchemas(schemas);
});

async function entities(name: SubgraphName, representations: object[], selection: string) {
  const response = await apollo[name].executeOperation(
    { query: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`, variables: { representations } },
    { contextValue: (await subgraphs[name].createContext(orms[name], serving[name], { role: 'admin', sub: 'test' })) as any },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

test('providers resolves Provider references in order, null for unknown ids', async () => {
  const result = await entities(
    'providers',
    [
      { __typename: 'Provider', id: 'dora' },
      { __typename: 'Provider', id: 'nope' },
      { __typename: 'Provider', id: 'alpha' },
    ],
    '... on Provider { id name }',
  );
  expect(result).toEqual({ data: { _entities: [{ id: 'dora', name: 'Dora Support' }, null, { id: 'alpha', name: 'Alpha Dental Vertrieb' }] } });
});

test('providers resolves a ServiceArea into the providers serving the country, the manufacturer and the currency', async () => {
  const result = await entities(
    'providers',
    [
      { __typename: 'ServiceArea', country: 'AT' },
      { __typename: 'ServiceArea', country: 'US' },
    ],
    '... on ServiceArea { country currency manufacturer { id } providers { id } }',
  );
  expect(result.data?._entities).toEqual([
    // Every provider serving AT, active or not, by name; the routing rules do the choosing.
    { country: 'AT', currency: 'EUR', manufacturer: { id: 'ii' }, providers: ['alpha', 'beta', 'carla', 'dora', 'emil', 'gone', 'ii'].map((id) => ({ id })) },
    { country: 'US', currency: 'USD', manufacturer: { id: 'ii' }, providers: [{ id: 'ii' }] },
  ]);
});

test('licenses resolves License references; an unknown key is NOT_FOUND naming it', async () => {
  const ok = await entities(
    'licenses',
    [{ __typename: 'License', key: 'L-VENDOR' }],
    '... on License { key status vendor { id } holder { country serviceArea { country } } }',
  );
  expect(ok).toEqual({
    data: { _entities: [{ key: 'L-VENDOR', status: 'ACTIVE', vendor: { id: 'alpha' }, holder: { country: 'AT', serviceArea: { country: 'AT' } } }] },
  });
  const missing = await entities('licenses', [{ __typename: 'License', key: 'NOPE' }], '... on License { key }');
  expect(missing.errors?.[0]).toMatchObject({ message: 'License "NOPE" not found', extensions: { code: 'NOT_FOUND' } });
});

test('support routes a SupportContact from the facts in its representation', async () => {
  const provider = (id: string, name: string, roles: string[], extra: object = {}) => ({
    id,
    name,
    active: true,
    roles,
    serviceCountries: ['AT'],
    languages: ['de'],
    offers: [],
    ...extra,
  });
  const manufacturer = provider('ii', 'Image Instruments GmbH', ['MANUFACTURER']);
  const vendor = provider('alpha', 'Alpha Dental Vertrieb', ['DISTRIBUTOR']);
  const representation = {
    __typename: 'SupportContact',
    topic: { id: 'server-installation' },
    license: {
      key: 'L-X',
      status: 'ACTIVE',
      maintenancePaidThrough: '2099-12-31',
      vendor,
      supportPartner: null,
      holder: { country: 'AT', language: 'de', serviceArea: { country: 'AT', currency: 'EUR', manufacturer, providers: [vendor, manufacturer] } },
    },
  };
  const result = await entities(
    'support',
    [representation],
    '... on SupportContact { topic { name } contacts { id } escalation { id } billedBy { id } explanation }',
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    expect.objectContaining({ topic: { name: 'Server installation' }, contacts: [{ id: 'alpha' }], escalation: [{ id: 'ii' }], billedBy: { id: 'alpha' } }),
  ]);
});
