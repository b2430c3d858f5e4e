/**
 * Topic and category names in the reader's language (lib/i18n catalogues, "topic.<id>" and
 * "category.<id>"); their ids never change. A topic the catalogues do not name keeps its stored name.
 */
import type { Language } from '../../../lib/i18n/languages';
import { hasMessage, translate, type MessageId } from '../../../lib/i18n/translate';

const named = (id: string, stored: string, language: Language) => (hasMessage(id) ? translate(language, id as MessageId) : stored);

export const topicName = (topic: { id: string; name: string }, language: Language) => named(`topic.${topic.id}`, topic.name, language);
export const categoryName = (category: { id: string; name: string }, language: Language) => named(`category.${category.id}`, category.name, language);
