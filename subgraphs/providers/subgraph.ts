import type { SubgraphDefinition } from '../../lib/subgraph';
import { createProvidersContext, type ProvidersContext } from './context';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { Offer } from './offer/offer.entity';
import { Provider } from './provider/provider.entity';
import { buildProvidersSchema } from './schema';

/** The providers subgraph: the directory of parties, their contacts and their own price lists. */
export const providersSubgraph: SubgraphDefinition<ProvidersContext> = {
  name: 'providers',
  entities: [Provider, Offer],
  migrations: { sqlite, postgresql },
  buildSchema: buildProvidersSchema,
  createContext: createProvidersContext,
};
