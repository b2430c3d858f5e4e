import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { createDirectoryLoader, createProviderByIdLoader } from './provider/provider.loaders';
import { createOffersByProviderLoader } from './offer/offer.loaders';
import { createServiceAreaLoader } from './service-area/service-area.loaders';

export interface ProvidersContext {
  /** This request's own identity map; never the global EntityManager. */
  em: SubgraphEM;
  loaders: ReturnType<typeof createProvidersLoaders>;
}

export function createProvidersLoaders(em: SubgraphEM) {
  const directory = createDirectoryLoader(em);
  return {
    providerById: createProviderByIdLoader(em),
    directory,
    offersByProvider: createOffersByProviderLoader(em),
    serviceAreaByCountry: createServiceAreaLoader(directory),
  };
}

export function createProvidersContext(orm: SubgraphORM): ProvidersContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, loaders: createProvidersLoaders(em) };
}
