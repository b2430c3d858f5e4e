import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import type { SubgraphServing } from '../../../lib/subgraph';
import type { VatTable } from '../fee/vat-rates';
import { SupportCategory } from '../category/support-category.entity';
import { SupportTopic } from './support-topic.entity';

/**
 * The support catalogue as the subgraph serves it: read once when the service starts, right after
 * ensureSupportCatalogue wrote it. It is reference data that changes only with a new release (and
 * so a restart), so no request reads it from the database. Shared by all requests: read-only.
 */
export interface SupportCatalogue {
  /** In the order of the vendor page. */
  readonly topics: readonly SupportTopic[];
  readonly topicById: ReadonlyMap<string, SupportTopic>;
  /** By id. */
  readonly categories: readonly SupportCategory[];
}

export interface SupportServing extends SubgraphServing {
  catalogue: SupportCatalogue;
  vat: VatTable;
  /** The instant each request is answered at (ServeOptions.clock). */
  clock: () => Date;
}

export async function loadSupportCatalogue(orm: SubgraphORM): Promise<SupportCatalogue> {
  const em = orm.em.fork() as SubgraphEM;
  const topics = await em.find(SupportTopic, {}, { orderBy: { position: 'asc' } });
  const categories = await em.find(SupportCategory, {}, { orderBy: { id: 'asc' } });
  return { topics, topicById: new Map(topics.map((topic) => [topic.id, topic])), categories };
}
