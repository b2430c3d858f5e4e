import DataLoader from 'dataloader';
import type { SubgraphEM } from '../../../lib/orm';
import { Provider } from './provider.entity';

/** Providers by id, batched into one `where id in (...)` per request tick. */
export const createProviderByIdLoader = (em: SubgraphEM) =>
  new DataLoader<string, Provider | null>(async (ids) => {
    const rows = await em.find(Provider, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((p) => [p.id, p]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/**
 * The whole directory, read once per request. The directory is small and its list fields are
 * JSON, so "who serves country X" is answered in memory from this one statement.
 */
export const createDirectoryLoader = (em: SubgraphEM) =>
  new DataLoader<'all', Provider[]>(async (keys) => {
    const all = await em.find(Provider, {}, { orderBy: { name: 'asc', id: 'asc' } });
    return keys.map(() => all);
  });
