import { createByKeyLoader } from '../../../lib/loaders';
import type { SubgraphEM } from '../../../lib/orm';
import { SupportTopic } from './support-topic.entity';

/** Topics by id (with their category, eagerly joined), batched into one query per request tick. */
export const createTopicByIdLoader = (em: SubgraphEM) => createByKeyLoader(em, SupportTopic, 'id');
