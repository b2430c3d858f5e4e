/**
 * The API's texts for people in the reader's language: one ICU MessageFormat catalogue per language
 * (lib/i18n/messages/*.ts), formatted by @formatjs/intl (plural and number forms from CLDR, never
 * string concatenation). A message is named by its id; the values fill its placeholders. Codes,
 * enum values and ids are never translated: only the sentences around them.
 */
import type { IntlShape } from '@formatjs/intl';
import { DEFAULT_LANGUAGE, type Language } from './languages';
import { de } from './messages/de';
import { en, type MessageId } from './messages/en';
import { fr } from './messages/fr';
import { it } from './messages/it';
import { pl } from './messages/pl';
import { requireEsm } from '../esm-import';

export type { MessageId };
export type MessageValues = Record<string, string | number>;

/** One catalogue per language; test/rules/message-catalogues.test.ts fails when one lacks a key another has. */
export const CATALOGUES: Record<Language, Record<string, string>> = { de, en, fr, it, pl };

/** @formatjs/intl ships only as an ES module (lib/esm-import.ts says how it is loaded). */
type FormatJs = typeof import('@formatjs/intl');
const formatjs = requireEsm<FormatJs>('@formatjs/intl');

const cache = formatjs.createIntlCache();
const intls = new Map<Language, IntlShape>();

function intlOf(language: Language): IntlShape {
  let intl = intls.get(language);
  if (!intl) {
    intl = formatjs.createIntl(
      {
        locale: language,
        defaultLocale: DEFAULT_LANGUAGE,
        // English fills any gap (the catalogue test keeps there being none).
        messages: { ...en, ...CATALOGUES[language] },
        onError: (error) => {
          throw error;
        },
      },
      cache,
    );
    intls.set(language, intl);
  }
  return intl;
}

/** The message `id` in `language`, its placeholders filled with `values`. */
export function translate(language: Language, id: MessageId, values?: MessageValues): string {
  return intlOf(language).formatMessage({ id }, values) as string;
}

/** A translator bound to one language, as the rules and resolvers pass it around. */
export type Translate = (id: MessageId, values?: MessageValues) => string;
export const translatorFor =
  (language: Language): Translate =>
  (id, values) =>
    translate(language, id, values);

/** Whether the catalogues have a message `id` (names of things the data may hold beyond them, e.g. topics). */
export const hasMessage = (id: string): id is MessageId => Object.hasOwn(en, id);
