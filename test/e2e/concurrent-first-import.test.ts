/**
 * Imports into a database that was never migrated, three at once, as three `npm run import` runs
 * would (each opens its own databases, migrates them, then imports): all succeed, one after the
 * other, and the directory is stored once. PostgreSQL with DATABASE_URL (fresh schemas per round),
 * else SQLite files in a fresh DATA_DIR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseSettings } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { licensesSubgraph } from '../../subgraphs/licenses/subgraph';
import { providersSubgraph } from '../../subgraphs/providers/subgraph';
import { Provider } from '../../subgraphs/providers/provider/provider.entity';
import { License } from '../../subgraphs/licenses/license/license.entity';
import { networkDirectory } from '../fixtures/network';
import { databaseUrl, dropTestSchemas } from '../support/stack';

const ROUNDS = 3;
const IMPORTS = 3;

/** What scripts/import.ts does: open (and migrate) both databases, import, close. */
async function runImport(database: DatabaseSettings) {
  const providers = await openSubgraphDatabase(providersSubgraph, { database });
  try {
    const licenses = await openSubgraphDatabase(licensesSubgraph, { database });
    try {
      return await importDirectory(networkDirectory(), { providers, licenses });
    } finally {
      await licenses.close(true);
    }
  } finally {
    await providers.close(true);
  }
}

test.each(Array.from({ length: ROUNDS }, (_, i) => [i + 1]))(
  `round %i: ${IMPORTS} concurrent first imports into a never-migrated database all succeed`,
  async (round) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-import-'));
    const schemaPrefix = `first_${process.pid}_${round}_`;
    const database: DatabaseSettings = databaseUrl ? { databaseUrl, dataDir, schemaPrefix } : { dataDir };
    try {
      const results = await Promise.allSettled(Array.from({ length: IMPORTS }, () => runImport(database)));
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : { error: String((r.reason as Error)?.message ?? r.reason) }));
      expect(outcomes).toEqual(
        Array.from({ length: IMPORTS }, () => ({ ok: true, providers: expect.any(Number), offers: expect.any(Number), licenses: expect.any(Number) })),
      );

      const providers = await openSubgraphDatabase(providersSubgraph, { database });
      const licenses = await openSubgraphDatabase(licensesSubgraph, { database });
      try {
        expect(await providers.em.fork().count(Provider)).toBe(networkDirectory().providers.length);
        expect(await licenses.em.fork().count(License)).toBe(networkDirectory().licenses.length);
      } finally {
        await providers.close(true);
        await licenses.close(true);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropTestSchemas(['providers', 'licenses'].map((name) => `${schemaPrefix}${name}`));
    }
  },
  120_000,
);
