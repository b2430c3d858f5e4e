import { API_KEY_IDENTITY_PATH } from '../../lib/api-keys';
import { PROVIDER_STANDING_PATH } from '../../lib/provider-standing';
import { DIRECTORY_VERSION_PATH, watchDirectory } from '../../lib/directory-changes';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { ApiKey } from './api-key/api-key.entity';
import { apiKeyIdentity } from './api-key/api-key-identity';
import { providerStanding } from './provider/provider-standing';
import { createProvidersContext, type ProvidersContext, type ProvidersServing } from './context';
import { AuditEntry } from './audit/audit-entry.entity';
import { DirectorySnapshots } from './directory/directory-snapshots';
import { DirectoryVersion } from './directory/directory-version.entity';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { Offer } from './offer/offer.entity';
import { Provider } from './provider/provider.entity';
import { buildProvidersSchema } from './schema';

/** The providers subgraph: the directory of parties, their contacts, their own price lists and their API keys. */
export const providersSubgraph: SubgraphDefinition<ProvidersContext, ProvidersServing> = {
  name: 'providers',
  entities: [Provider, Offer, DirectoryVersion, ApiKey, AuditEntry],
  migrations: { sqlite, postgresql },
  buildSchema: buildProvidersSchema,
  createContext: createProvidersContext,
  async serve(orm, { redisUrl, pollIntervalMs, clock = () => new Date() }) {
    const directoryChanges = await watchDirectory(orm, { redisUrl, pollIntervalMs });
    try {
      const snapshots = await DirectorySnapshots.open(orm, directoryChanges);
      return {
        directoryChanges,
        snapshots,
        clock,
        // The gateway, deployed without this database, follows the directory version here,
        // asks which provider an API key (by its hash) acts as, and whether a provider is active.
        routes: {
          [DIRECTORY_VERSION_PATH]: () => ({ version: directoryChanges.current() }),
          [API_KEY_IDENTITY_PATH]: (query) => apiKeyIdentity(orm, query),
          [PROVIDER_STANDING_PATH]: (query) => providerStanding(orm, query),
        },
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
