import { badUserInput } from '../../../lib/errors';
import { translate } from '../../../lib/i18n/translate';
import type { SupportContext } from '../context';
import type { SupportTopic } from './support-topic.entity';

/** The topic with this id, or a BAD_USER_INPUT naming it and the ids that exist. */
export async function requireTopic({ catalogue, language }: Pick<SupportContext, 'catalogue' | 'language'>, id: string): Promise<SupportTopic> {
  const topic = catalogue.topicById.get(id);
  if (!topic) {
    throw badUserInput(translate(language, 'error.unknownTopic', { id, known: catalogue.topics.map((known) => known.id).join(', ') }), 'topic');
  }
  return topic;
}
