/**
 * Problems and refusals as the import writes them: every message (lib/i18n/message.ts) in a value
 * said as its English text, so rule tests compare words, as they did before texts followed the
 * reader's language. The other languages: test/rules/message-catalogues.test.ts, test/e2e/languages.test.ts.
 */
import { sayWithin, type Message } from '../../lib/i18n/message';

export type English<T> = T extends Message ? string : T extends readonly (infer U)[] ? English<U>[] : T extends object ? { [K in keyof T]: English<T[K]> } : T;

export const inEnglish = <T>(value: T): English<T> => sayWithin('en', value) as English<T>;
