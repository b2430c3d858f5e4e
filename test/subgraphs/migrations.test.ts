/** The committed migrations of each subgraph produce exactly the schema its entities describe. */
import { SUBGRAPH_NAMES } from '../../lib/config';
import { schemaMatchesEntities } from '../../lib/orm';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { subgraphs } from '../../app/subgraphs';
import { databaseUrl, dropTestSchemas, testDatabase } from '../support/stack';

describe.each(SUBGRAPH_NAMES)(`%s migrations (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`, (name) => {
  test('bring an empty database to the schema of the entities, with nothing left to change', async () => {
    const options = testDatabase(name);
    const orm = await openSubgraphDatabase(subgraphs[name] as any, options);
    try {
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect((await orm.getMigrator().getExecutedMigrations()).length).toBeGreaterThan(0);
      expect(await schemaMatchesEntities(orm, { name, entities: subgraphs[name].entities, migrations: subgraphs[name].migrations })).toBe(true);
    } finally {
      await orm.close(true);
      await dropTestSchemas([options.pgSchema]);
    }
  });
});
