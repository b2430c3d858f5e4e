import type { ProvidersContext } from '../context';
import type { Provider } from './provider.entity';

/** Runs once per representation: load() is called synchronously so the whole _entities batch is one query. */
export const resolveProviderReference = (reference: Pick<Provider, 'id'>, { loaders }: ProvidersContext) =>
  loaders.providerById.load(reference.id);
