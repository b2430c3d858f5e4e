/** The business_hours_syntax migration of the providers subgraph (the syntax rules: test/rules/opening-hours.test.ts). */
import { initORM, migrateToLatest } from '../../lib/orm';
import { subgraphs } from '../../app/subgraphs';
import { dropTestSchemas, testDatabase } from '../support/stack';

// ---- the migration for values stored before the syntax was required -------------------------------

test('the business_hours_syntax migration clears stored values that do not parse and keeps those that do', async () => {
  const options = testDatabase('providers');
  const subgraph = subgraphs.providers;
  const orm = await initORM({ name: 'providers', entities: subgraph.entities, migrations: subgraph.migrations, ...options });
  try {
    const schema = orm.config.get('schema');
    if (schema && orm.config.get('clientUrl')) await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
    await orm.getMigrator().up({ to: 'Migration20261125044855_directory_invariants' });
    const insert = (id: string, hours: string) =>
      orm.em
        .getConnection()
        .execute(
          `insert into "provider" ("id", "name", "roles", "active", "country", "service_countries", "languages", "business_hours") values (?, ?, '["SUPPORT_PARTNER"]', ?, 'DE', '["DE"]', '["de"]', ?)`,
          [id, id, true, hours],
        );
    await insert('free-text', 'weekdays 8-5, Fridays until noon');
    await insert('guessed', 'Mo-Do 9-16');
    await insert('parses', 'Mo-Fr 08:00-17:00');
    await migrateToLatest(orm);
    const rows = await orm.em.getConnection().execute(`select "id", "business_hours" from "provider" order by "id"`);
    expect(rows).toEqual([
      { id: 'free-text', business_hours: null },
      { id: 'guessed', business_hours: null },
      { id: 'parses', business_hours: 'Mo-Fr 08:00-17:00' },
    ]);
  } finally {
    await orm.close(true);
    await dropTestSchemas([options.pgSchema]);
  }
});
