import type { ProvidersContext } from '../context';
import type { Provider } from './provider.entity';

/** Runs once per representation; a lookup in the request's snapshot, so a batch costs no SQL. */
export const resolveProviderReference = (reference: Pick<Provider, 'id'>, { directory }: ProvidersContext) => directory.providerById.get(reference.id) ?? null;
