/**
 * The committed migrations of each subgraph produce exactly the schema its entities describe.
 * PostgreSQL: MikroORM's schema diff after migrating must be empty. SQLite: its diff reports
 * every table with a foreign key as changed (a comparator limitation), so the migrated tables are
 * compared with the tables MikroORM creates from the entities instead.
 */
import { SUBGRAPH_NAMES } from '../lib/config';
import { initORM } from '../lib/orm';
import type { SubgraphORM } from '../lib/orm';
import { openSubgraphDatabase } from '../lib/subgraph';
import { subgraphs } from '../lib/subgraphs';
import { databaseUrl, dropTestSchemas, testDatabase } from './support/stack';

const sqliteTables = (orm: SubgraphORM) =>
  orm.em.getConnection().execute(
    `select type, name, sql from sqlite_master where name not like 'mikro_orm%' and name not like 'sqlite_%' order by type, name`,
  );

describe.each(SUBGRAPH_NAMES)(`%s migrations (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`, (name) => {
  test('bring an empty database to the schema of the entities, with nothing left to change', async () => {
    const options = testDatabase(name);
    const orm = await openSubgraphDatabase(subgraphs[name] as any, options);
    try {
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect((await orm.getMigrator().getExecutedMigrations()).length).toBeGreaterThan(0);
      if (databaseUrl) {
        expect((await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).trim()).toBe('');
      } else {
        const fromEntities = await initORM({ name, entities: subgraphs[name].entities, migrations: subgraphs[name].migrations, ...testDatabase(name) });
        try {
          await fromEntities.schema.createSchema();
          const expected = await sqliteTables(fromEntities);
          expect(expected.length).toBeGreaterThan(0);
          expect(await sqliteTables(orm)).toEqual(expected);
        } finally {
          await fromEntities.close(true);
        }
      }
    } finally {
      await orm.close(true);
      await dropTestSchemas([options.pgSchema]);
    }
  });
});
