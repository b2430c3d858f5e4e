/** The one shape of every by-id DataLoader: one `where <key> in (...)` per tick, answers in request order. */
import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { SubgraphEM } from './orm';

export function createByKeyLoader<T extends object, K extends keyof T & string>(em: SubgraphEM, entity: EntityName<T>, key: K) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = await em.find(entity, { [key]: { $in: [...keys] } } as FilterQuery<T>);
    const byKey = new Map(rows.map((row) => [String(row[key]), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}
