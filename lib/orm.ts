/**
 * One MikroORM per subgraph: a SQLite file under DATA_DIR by default, PostgreSQL (one schema per
 * subgraph) when DATABASE_URL is set. Schemas change through migrations only, never schema:update.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM as SqliteORM } from '@mikro-orm/sqlite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import sqlite3 from 'sqlite3';
import type { LoggerNamespace, MigrationObject } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { MikroORM } from '@mikro-orm/knex';
import type { DatabaseSettings } from './config';

export type SubgraphORM = MikroORM;
export type SubgraphEM = EntityManager;

export interface SubgraphOrmOptions {
  /** Subgraph name: the SQLite file name and the PostgreSQL schema by default. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- MikroORM's own option type for entity classes is Function[]
  entities: Function[];
  /** The same schema history written once per dialect (see scripts/create-migration.ts). */
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  database: DatabaseSettings;
  /** ':memory:' for tests; defaults to `${dataDir}/${name}.sqlite`. */
  sqliteFile?: string;
  /** PostgreSQL schema; defaults to the subgraph name (tests use one schema per run). */
  pgSchema?: string;
  /** Receives every SQL statement (used by tests that count round trips). */
  onQuery?: (sql: string) => void;
}

/** How long a SQLite connection waits for another connection's lock before failing (SQLITE_BUSY). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export async function initORM(options: SubgraphOrmOptions): Promise<SubgraphORM> {
  const common = {
    entities: options.entities,
    extensions: [Migrator],
    // Entities are listed explicitly; no folder scanning, so compiled and ts-jest runs behave alike.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    migrations: {
      migrationsList: options.database.databaseUrl ? options.migrations.postgresql : options.migrations.sqlite,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    allowGlobalContext: false,
    // Several ORMs live in one process (npm start, import, tests): a distinct context name keeps a
    // transaction of one subgraph's database from leaking into another's through async context.
    contextName: options.name,
    debug: options.onQuery ? ['query' as LoggerNamespace] : false,
    colors: false,
    logger: options.onQuery ?? (() => undefined),
  };
  const { databaseUrl, dataDir } = options.database;
  if (databaseUrl) {
    const schema = options.pgSchema ?? `${options.database.schemaPrefix ?? ''}${options.name}`;
    // The name ends up in DDL (create schema, search_path): allow plain identifiers only.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`PostgreSQL schema name "${schema}" is not a plain identifier (check DATABASE_SCHEMA_PREFIX)`);
    }
    return PostgresORM.init({
      ...common,
      clientUrl: databaseUrl,
      schema,
      // Migrations name no schema: the connection's search_path puts them in this subgraph's.
      driverOptions: { connection: { options: `-c search_path="${schema}"` } },
      pool: { min: 0, max: 5 },
    }) as unknown as Promise<SubgraphORM>;
  }
  const file = options.sqliteFile ?? path.join(dataDir, `${options.name}.sqlite`);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return SqliteORM.init({
    ...common,
    dbName: file,
    // SQLite enforces foreign keys only when asked to. While an import commits (lib/directory/
    // import-directory.ts) readers wait for the file lock instead of failing at once.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: any, done: any) => conn.exec(`PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, done),
    },
  }) as unknown as Promise<SubgraphORM>;
}

/**
 * Brings the subgraph's database to the newest migration (creating its PostgreSQL schema if needed).
 *
 * Several processes may migrate the same database at once (three first imports into a database
 * never migrated, replicas starting together). Each would find no migrations table and create it
 * and the tables: MikroORM checks, then creates, outside any lock, so all but one failed on DDL
 * (PostgreSQL: `relation "mikro_orm_migrations" already exists`, `pg_type_typname_nsp_index`;
 * SQLite: `table mikro_orm_migrations already exists`, `SQLITE_BUSY`). So migrating holds a lock
 * for the whole run, and whoever comes second waits and then finds nothing left to do:
 * PostgreSQL an advisory lock per schema, SQLite an exclusive lock on a lock file beside the
 * database. Both are released by the database when the holder dies. In-memory SQLite is private.
 */
export async function migrateToLatest(orm: SubgraphORM): Promise<void> {
  const schema = orm.config.get('schema');
  if (schema && orm.config.get('clientUrl')) {
    await withMigrationLock(orm, schema, async () => {
      await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
      await orm.getMigrator().up();
    });
    return;
  }
  const file = orm.config.get('dbName');
  if (!file || file === ':memory:') {
    await orm.getMigrator().up();
    return;
  }
  await withSqliteMigrationLock(`${file}.migrating`, async () => {
    await orm.getMigrator().up();
  });
}

/** How long a migration waits for another process's migration of the same SQLite file. */
const SQLITE_MIGRATION_WAIT_MS = 120_000;

/**
 * Runs `work` holding an exclusive SQLite lock on `lockFile` (its own small database, so that the
 * lock does not stand in the way of the migration's own writes): SQLite's file locking works between
 * processes and between connections of one process alike, and ends with its holder.
 */
async function withSqliteMigrationLock(lockFile: string, work: () => Promise<void>): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(lockFile, (error) => (error ? reject(error) : resolve(opened)));
  });
  const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
  try {
    await exec(`PRAGMA busy_timeout = ${SQLITE_MIGRATION_WAIT_MS}; BEGIN EXCLUSIVE`);
    try {
      await work();
    } finally {
      await exec('COMMIT');
    }
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/**
 * The advisory lock (one key for the whole database) that migrations hold shared and whoever drops
 * a schema holds exclusively: MikroORM's migrator lists the tables of every schema (casting each to
 * regclass), and a schema dropped during that listing fails it ("schema … does not exist"). Tests
 * and benchmarks drop their schemas while other processes migrate theirs.
 */
export const SCHEMA_DROP_LOCK = 'onyx-directory-schema-drop';

/** Runs `work` holding the session advisory lock that serializes migrations of `schema`. */
async function withMigrationLock(orm: SubgraphORM, schema: string, work: () => Promise<void>): Promise<void> {
  // A connection of the pool set aside for the lock: the migrator runs its transaction on another.
  const client = (orm.em as SubgraphEM).getKnex().client;
  const connection = await client.acquireConnection();
  const key = `select %s(hashtext('onyx-directory-migrate'), hashtext($1))`;
  try {
    await connection.query('select pg_advisory_lock_shared(hashtext($1))', [SCHEMA_DROP_LOCK]);
    await connection.query(key.replace('%s', 'pg_advisory_lock'), [schema]);
    try {
      await work();
    } finally {
      await connection.query(key.replace('%s', 'pg_advisory_unlock'), [schema]);
      await connection.query('select pg_advisory_unlock_shared(hashtext($1))', [SCHEMA_DROP_LOCK]);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

// Tables and indexes only: triggers exist in migrations alone (entities cannot describe them).
const sqliteTables = (orm: SubgraphORM) =>
  orm.em
    .getConnection()
    .execute(
      `select type, name, sql from sqlite_master where type in ('table', 'index') and name not like 'mikro_orm%' and name not like 'sqlite_%' order by type, name`,
    );

/**
 * Whether a migrated database has exactly the schema its entities describe. PostgreSQL: MikroORM's
 * schema diff is empty. SQLite: that diff reports every table with a foreign key as changed (a
 * comparator limitation), so the tables are compared with those MikroORM creates from the
 * entities in a scratch in-memory database instead.
 */
export async function schemaMatchesEntities(orm: SubgraphORM, options: Pick<SubgraphOrmOptions, 'name' | 'entities' | 'migrations'>): Promise<boolean> {
  if (orm.config.get('clientUrl')) {
    // Only this subgraph's schema: other schemas in the same database are not ours to judge.
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true, schema: orm.config.get('schema') });
    return diff.trim() === '';
  }
  const fromEntities = await initORM({ ...options, database: { dataDir: '' }, sqliteFile: ':memory:' });
  try {
    await fromEntities.schema.createSchema();
    const expected = await sqliteTables(fromEntities);
    // Entities always describe some table: an empty expectation would mean nothing was compared.
    return expected.length > 0 && JSON.stringify(await sqliteTables(orm)) === JSON.stringify(expected);
  } finally {
    await fromEntities.close(true);
  }
}
