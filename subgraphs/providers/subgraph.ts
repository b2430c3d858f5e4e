import { DIRECTORY_VERSION_PATH, watchDirectory } from '../../lib/directory-changes';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { createProvidersContext, type ProvidersContext, type ProvidersServing } from './context';
import { AuditEntry } from './audit/audit-entry.entity';
import { DirectorySnapshots } from './directory/directory-snapshots';
import { DirectoryVersion } from './directory/directory-version.entity';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { Offer } from './offer/offer.entity';
import { Provider } from './provider/provider.entity';
import { buildProvidersSchema } from './schema';

/** The providers subgraph: the directory of parties, their contacts and their own price lists. */
export const providersSubgraph: SubgraphDefinition<ProvidersContext, ProvidersServing> = {
  name: 'providers',
  entities: [Provider, Offer, DirectoryVersion, AuditEntry],
  migrations: { sqlite, postgresql },
  buildSchema: buildProvidersSchema,
  createContext: createProvidersContext,
  async serve(orm, { redisUrl, pollIntervalMs }) {
    const directoryChanges = await watchDirectory(orm, { redisUrl, pollIntervalMs });
    try {
      const snapshots = await DirectorySnapshots.open(orm, directoryChanges);
      return {
        directoryChanges,
        snapshots,
        // The gateway, deployed without this database, follows the directory version here.
        routes: { [DIRECTORY_VERSION_PATH]: () => ({ version: directoryChanges.current() }) },
        close: async () => {
          snapshots.close();
          await directoryChanges.close();
        },
      };
    } catch (error) {
      await directoryChanges.close();
      throw error;
    }
  },
};
