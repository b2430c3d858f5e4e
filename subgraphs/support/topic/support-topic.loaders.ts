import DataLoader from 'dataloader';
import type { SubgraphEM } from '../../../lib/orm';
import { SupportTopic } from './support-topic.entity';

/** Topics by id (with their category, eagerly joined), batched per request tick. */
export const createTopicByIdLoader = (em: SubgraphEM) =>
  new DataLoader<string, SupportTopic | null>(async (ids) => {
    const rows = await em.find(SupportTopic, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((t) => [t.id, t]));
    return ids.map((id) => byId.get(id) ?? null);
  });
