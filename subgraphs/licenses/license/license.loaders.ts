import DataLoader from 'dataloader';
import type { SubgraphEM } from '../../../lib/orm';
import { License } from './license.entity';

/** Licenses by key, batched into one `where key in (...)` per request tick. */
export const createLicenseByKeyLoader = (em: SubgraphEM) =>
  new DataLoader<string, License | null>(async (keys) => {
    const rows = await em.find(License, { key: { $in: [...keys] } });
    const byKey = new Map(rows.map((l) => [l.key, l]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
