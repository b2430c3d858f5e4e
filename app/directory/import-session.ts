/**
 * The connection an import writes through. It sees the providers and the licenses tables at once,
 * so a whole import is ONE transaction with ONE commit, and no reader of either database ever sees
 * half of it, whenever the import process dies (docs/operations.md "Import guarantees"):
 *
 * - PostgreSQL: both subgraph schemas live in one database. One connection whose search_path names
 *   both schemas (providers first) reaches `provider`, `offer` and `license` unqualified; the
 *   import is one transaction on it. A connection that drops rolls its transaction back.
 * - SQLite files: one connection to providers.sqlite with licenses.sqlite ATTACHed. SQLite commits
 *   a transaction over attached files atomically (through a super-journal, in rollback-journal
 *   mode; WAL mode would make each file atomic on its own only, so it is refused), and whoever
 *   opens either file next (a subgraph, `npm start`, the next import) first rolls back a commit
 *   that a crash interrupted.
 * - In-memory SQLite (the test harness): two databases that die with their process, so no crash
 *   can leave half an import to anyone; the two transactions are nested.
 *
 * Imports are serialized by a lock taken as the transaction's first statement: a PostgreSQL
 * advisory lock (per providers schema) or SQLite's write lock on both files. A second import waits
 * for it at most `lockTimeoutMs`, then fails with ImportLockTimeout; it never interleaves.
 */
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import { MikroORM as SqliteORM } from '@mikro-orm/sqlite';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { AuditEntry } from '../../subgraphs/providers/audit/audit-entry.entity';
import { Offer } from '../../subgraphs/providers/offer/offer.entity';
import { Provider } from '../../subgraphs/providers/provider/provider.entity';
import { License } from '../../subgraphs/licenses/license/license.entity';
import { LicenseHolder } from '../../subgraphs/licenses/license/license-holder.embeddable';
import { LicenseAccessCode, LicenseAccessEvent } from '../../subgraphs/licenses/access-code/access-code.entity';

export interface DirectoryDatabases {
  providers: SubgraphORM;
  licenses: SubgraphORM;
}

/** The entity managers of one import transaction (the same one where both databases are one). */
export interface ImportTransaction {
  providers: SubgraphEM;
  licenses: SubgraphEM;
}

export interface ImportSession {
  /** Runs `work` in one transaction that holds the import lock; commits when it resolves. */
  transactional<T>(work: (tx: ImportTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class ImportLockTimeout extends Error {
  constructor(lockTimeoutMs: number) {
    super(`another import into the same directory is running; gave up waiting for its lock after ${lockTimeoutMs / 1000} s`);
  }
}

// SQLite: the import's own pages stay in memory until the commit. A transaction larger than the
// page cache spills into the database file early, which takes the exclusive lock and makes
// readers wait for the rest of the import instead of for the commit only. The cache counts in the
// import's memory, bounded whatever the file's size: 32 MiB holds the changes of an import of
// tens of thousands of licenses; a larger one spills (still one transaction, all or nothing).
const SQLITE_IMPORT_CACHE_KIB = 32 * 1024;
// Rollback-journal modes, in which SQLite commits attached databases together.
const ATOMIC_JOURNAL_MODES = ['delete', 'truncate', 'persist'];

const common = {
  entities: [Provider, Offer, AuditEntry, License, LicenseHolder, LicenseAccessCode, LicenseAccessEvent],
  discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
  allowGlobalContext: false,
  contextName: 'directory-import',
  debug: false,
};

export async function openImportSession(databases: DirectoryDatabases, lockTimeoutMs: number): Promise<ImportSession> {
  const clientUrl = databases.providers.config.get('clientUrl');
  if (clientUrl) return openPostgresSession(clientUrl, databases, lockTimeoutMs);
  const providersFile = databases.providers.config.get('dbName') ?? ':memory:';
  const licensesFile = databases.licenses.config.get('dbName') ?? ':memory:';
  if (providersFile === ':memory:' || licensesFile === ':memory:') return nestedSession(databases);
  return openSqliteSession(providersFile, licensesFile, lockTimeoutMs);
}

async function openPostgresSession(clientUrl: string, databases: DirectoryDatabases, lockTimeoutMs: number): Promise<ImportSession> {
  const providersSchema = databases.providers.config.get('schema')!;
  const licensesSchema = databases.licenses.config.get('schema')!;
  // The names come from initORM, which allows plain identifiers only.
  const orm = (await PostgresORM.init({
    ...common,
    clientUrl,
    driverOptions: { connection: { options: `-c search_path="${providersSchema}","${licensesSchema}"` } },
    pool: { min: 0, max: 1 },
  })) as unknown as SubgraphORM;
  return {
    transactional: (work) =>
      orm.em.fork().transactional(async (em) => {
        const tx = em as SubgraphEM;
        await tx.execute(`set local lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
        // Per providers schema, so deployments (and test runs) sharing a database do not wait for each other.
        await lockOrTimeout(lockTimeoutMs, () => tx.execute(`select pg_advisory_xact_lock(hashtext('onyx-directory-import'), hashtext(?))`, [providersSchema]));
        return work({ providers: tx, licenses: tx });
      }),
    close: () => orm.close(true),
  };
}

async function openSqliteSession(providersFile: string, licensesFile: string, lockTimeoutMs: number): Promise<ImportSession> {
  const orm = (await SqliteORM.init({
    ...common,
    dbName: providersFile,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
        const pragmas = [
          `PRAGMA foreign_keys = ON`,
          `PRAGMA busy_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`,
          `PRAGMA main.cache_size = -${SQLITE_IMPORT_CACHE_KIB}`,
          `PRAGMA licenses.cache_size = -${SQLITE_IMPORT_CACHE_KIB}`,
        ].join('; ');
        conn.run(`ATTACH DATABASE ? AS "licenses"`, [licensesFile], (attachError: Error | null) => {
          if (attachError) return done(attachError, conn);
          conn.exec(pragmas, (pragmaError: Error | null) => done(pragmaError, conn));
        });
      },
    },
  })) as unknown as SubgraphORM;
  try {
    for (const [schema, file] of [
      ['main', providersFile],
      ['licenses', licensesFile],
    ]) {
      const [{ journal_mode: mode }] = await orm.em.getConnection().execute(`PRAGMA ${schema}.journal_mode`);
      if (!ATOMIC_JOURNAL_MODES.includes(String(mode).toLowerCase())) {
        throw new Error(
          `${file} is in journal mode "${mode}": SQLite commits two files atomically in a rollback-journal mode only (${ATOMIC_JOURNAL_MODES.join(', ')})`,
        );
      }
    }
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return {
    transactional: (work) =>
      orm.em.fork().transactional(async (em) => {
        const tx = em as SubgraphEM;
        // SQLite begins deferred: the first write takes a file's write lock (RESERVED), held to the
        // commit. These no-op writes take both, providers first as every import does, before
        // anything is read, so the stored state the file is validated against cannot change.
        await lockOrTimeout(lockTimeoutMs, async () => {
          await tx.execute(`delete from "provider" where 0`);
          await tx.execute(`delete from "license" where 0`);
        });
        return work({ providers: tx, licenses: tx });
      }),
    close: () => orm.close(true),
  };
}

function nestedSession({ providers, licenses }: DirectoryDatabases): ImportSession {
  return {
    transactional: (work) =>
      providers.em
        .fork()
        .transactional((providersTx) =>
          licenses.em.fork().transactional((licensesTx) => work({ providers: providersTx as SubgraphEM, licenses: licensesTx as SubgraphEM })),
        ),
    close: async () => undefined,
  };
}

async function lockOrTimeout(lockTimeoutMs: number, lock: () => Promise<unknown>): Promise<void> {
  try {
    await lock();
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    // 55P03: PostgreSQL's lock_timeout; SQLITE_BUSY: the busy timeout ran out.
    if (code === '55P03' || code === 'SQLITE_BUSY' || /SQLITE_BUSY/.test(String((error as Error).message))) throw new ImportLockTimeout(lockTimeoutMs);
    throw error;
  }
}
