import { badUserInput } from '../../../lib/errors';
import { message } from '../../../lib/i18n/message';
import type { SupportContext } from '../context';
import type { SupportTopic } from './support-topic.entity';

/** The topic with this id, or a BAD_USER_INPUT naming it and the ids that exist. */
export async function requireTopic({ catalogue }: Pick<SupportContext, 'catalogue'>, id: string): Promise<SupportTopic> {
  const topic = catalogue.topicById.get(id);
  if (!topic) throw badUserInput(message('error.unknownTopic', { id, known: catalogue.topics.map((known) => known.id).join(', ') }), 'topic');
  return topic;
}
