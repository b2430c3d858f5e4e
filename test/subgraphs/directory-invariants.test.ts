/**
 * The directory's invariants hold in the database itself, not only in the import's validator:
 * plain SQL that bypasses every line of our code cannot add a second manufacturer or move an offer
 * to another provider (SQLite or PostgreSQL, as migrated). The import hands the manufacturer role
 * from one provider to another in an order the database accepts.
 */
import { importDirectory } from '../../app/directory/import-directory';
import type { SubgraphORM } from '../../lib/orm';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { licensesSubgraph } from '../../subgraphs/licenses/subgraph';
import { providersSubgraph } from '../../subgraphs/providers/subgraph';
import { databaseUrl, dropTestSchemas, testDatabase } from '../support/stack';

let providers: SubgraphORM;
let licenses: SubgraphORM;
const schemas: string[] = [];

beforeEach(async () => {
  const p = testDatabase('providers');
  const l = testDatabase('licenses');
  schemas.push(p.pgSchema, l.pgSchema);
  providers = await openSubgraphDatabase(providersSubgraph, p);
  licenses = await openSubgraphDatabase(licensesSubgraph, l);
});

afterEach(async () => {
  await providers?.close(true);
  await licenses?.close(true);
  await dropTestSchemas(schemas.splice(0));
});

const sql = (statement: string) => providers.em.getConnection().execute(statement);
const roles = (...names: string[]) => `'${JSON.stringify(names)}'`;
const insertProvider = (id: string, providerRoles: string) =>
  sql(
    `insert into "provider" ("id", "name", "roles", "active", "country", "service_countries", "languages") values ('${id}', '${id}', ${providerRoles}, ${databaseUrl ? 'true' : 1}, 'DE', '["DE"]', '["de"]')`,
  );
const insertOffer = (id: string, providerId: string) =>
  sql(
    `insert into "offer" ("id", "provider_id", "service", "title", "amount", "currency", "unit") values ('${id}', '${providerId}', 'TRAINING', 'Training', '10.00', 'EUR', 'PER_DAY')`,
  );

describe(`in the database (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`, () => {
  test('at most one provider holds the MANUFACTURER role, alone or among other roles', async () => {
    await insertProvider('maker', roles('MANUFACTURER'));
    await insertProvider('dist', roles('DISTRIBUTOR', 'SUPPORT_PARTNER'));
    await insertProvider('partner', roles('SUPPORT_PARTNER'));
    await expect(insertProvider('second-maker', roles('DISTRIBUTOR', 'MANUFACTURER'))).rejects.toThrow(/provider_one_manufacturer/);
    await expect(sql(`update "provider" set "roles" = ${roles('MANUFACTURER', 'DISTRIBUTOR')} where "id" = 'dist'`)).rejects.toThrow(
      /provider_one_manufacturer/,
    );
    // Handing the role over works once the first one gives it up.
    await sql(`update "provider" set "roles" = ${roles('DISTRIBUTOR')} where "id" = 'maker'`);
    await sql(`update "provider" set "roles" = ${roles('MANUFACTURER')} where "id" = 'partner'`);
    const [{ n }] = await sql(`select count(*) as "n" from "provider" where cast("roles" as text) like '%"MANUFACTURER"%'`);
    expect(Number(n)).toBe(1);
  });

  test('an offer stays with its provider: its provider cannot change, and it cannot outlive or lack one', async () => {
    await insertProvider('a', roles('SUPPORT_PARTNER'));
    await insertProvider('b', roles('SUPPORT_PARTNER'));
    await insertOffer('a-training', 'a');
    await expect(sql(`update "offer" set "provider_id" = 'b' where "id" = 'a-training'`)).rejects.toThrow(/offer_provider_fixed/);
    await expect(insertOffer('orphan', 'nobody')).rejects.toThrow(/foreign key/i);
    // Its own provider may still change everything else about it.
    await sql(`update "offer" set "amount" = '12.00', "provider_id" = 'a' where "id" = 'a-training'`);
    await sql(`delete from "provider" where "id" = 'a'`);
    expect(await sql(`select "id" from "offer"`)).toEqual([]);
  });
});

const provider = (id: string, providerRoles: string[], offers?: object[]) => ({
  id,
  name: id,
  roles: providerRoles,
  active: true,
  country: 'DE',
  serviceCountries: ['DE'],
  languages: ['de'],
  ...(offers ? { offers } : {}),
});

describe('the import', () => {
  test('hands the MANUFACTURER role over within one file, whatever the order of the records', async () => {
    expect(
      await importDirectory({ providers: [provider('old-maker', ['MANUFACTURER']), provider('next', ['DISTRIBUTOR'])] }, { providers, licenses }),
    ).toMatchObject({ ok: true });
    const handover = { providers: [provider('next', ['MANUFACTURER']), provider('old-maker', ['DISTRIBUTOR'])] };
    expect(await importDirectory(handover, { providers, licenses })).toMatchObject({ ok: true });
    const rows = await sql(`select "id" from "provider" where cast("roles" as text) like '%"MANUFACTURER"%'`);
    expect(rows).toEqual([{ id: 'next' }]);
  });
});
