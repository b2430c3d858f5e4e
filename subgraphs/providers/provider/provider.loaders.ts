import DataLoader from 'dataloader';
import { createByKeyLoader } from '../../../lib/loaders';
import type { SubgraphEM } from '../../../lib/orm';
import { Provider } from './provider.entity';

/** Providers by id, batched into one query per request tick. */
export const createProviderByIdLoader = (em: SubgraphEM) => createByKeyLoader(em, Provider, 'id');

/**
 * The whole directory, read once per request. The directory is small and its list fields are
 * JSON, so "who serves country X" is answered in memory from this one statement.
 */
export const createDirectoryLoader = (em: SubgraphEM) =>
  new DataLoader<'all', Provider[]>(async (keys) => {
    const all = await em.find(Provider, {}, { orderBy: { name: 'asc', id: 'asc' } });
    return keys.map(() => all);
  });
