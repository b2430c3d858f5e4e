import { badUserInput } from '../../../lib/errors';
import type { SupportContext } from '../context';
import { SUPPORT_TOPICS } from './support-catalogue';
import type { SupportTopic } from './support-topic.entity';

/** The topic with this id, or a BAD_USER_INPUT naming it and the ids that exist. */
export async function requireTopic({ loaders }: Pick<SupportContext, 'loaders'>, id: string): Promise<SupportTopic> {
  const topic = await loaders.topicById.load(id);
  if (!topic) {
    throw badUserInput(`Unknown support topic "${id}"; known topics: ${SUPPORT_TOPICS.map(([known]) => known).join(', ')}`, 'topic');
  }
  return topic;
}
