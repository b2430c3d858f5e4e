import { todayIso } from '../../lib/domain';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { createTopicByIdLoader } from './topic/support-topic.loaders';

export interface SupportContext {
  /** This request's own identity map; never the global EntityManager. */
  em: SubgraphEM;
  loaders: { topicById: ReturnType<typeof createTopicByIdLoader> };
  /** One date for the whole request, so every answer in it agrees on what "today" is. */
  today: string;
}

export function createSupportContext(orm: SubgraphORM): SupportContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, loaders: { topicById: createTopicByIdLoader(em) }, today: todayIso() };
}
