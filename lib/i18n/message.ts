/**
 * A text for a person, kept as its message id and values until the edge that writes it knows the
 * reader's language: a subgraph's answer (lib/subgraph.ts), the gateway's own answers
 * (gateway/protection/request-guard.ts, gateway/http/front-door.ts), the import's report on the command line
 * (English). A check, a rule or a refusal says *what* is wrong once (lib/validation.ts for values);
 * the edge says it in the reader's words. A value may itself be a message (a check's reason inside
 * "<field> <reason>"), or a list of them (a record's problems), said in the same language.
 */
import { DEFAULT_LANGUAGE, type Language } from './languages';
import { translate, type MessageId } from './translate';

export type MessageValue = string | number | Message | RegionName | readonly (string | Message)[];

/** A country by its ISO 3166-1 code, named in the reader's language from CLDR ("DE": Germany, Deutschland, Allemagne, Germania, Niemcy). */
export class RegionName {
  constructor(readonly code: string) {}
}
const regionNames = new Map<Language, Intl.DisplayNames>();
function regionName(language: Language, code: string): string {
  let names = regionNames.get(language);
  if (!names) regionNames.set(language, (names = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' })));
  return names.of(code) ?? code;
}

export class Message {
  constructor(
    readonly id: MessageId,
    readonly values: Readonly<Record<string, MessageValue>> = {},
  ) {}

  /** English: what logs, the command line (the import's report) and a plain `${message}` show. */
  toString(): string {
    return say(DEFAULT_LANGUAGE, this);
  }

  /** English in JSON too (a log line, a problem list written whole). */
  toJSON(): string {
    return this.toString();
  }
}

/** The message `id` with `values` (said later, in the reader's language). */
export const message = (id: MessageId, values?: Record<string, MessageValue>): Message => new Message(id, values);

/** Lists of messages are said one after the other, separated as problems are: "a; b". */
const LIST_SEPARATOR = '; ';

/** `text` in `language`: a message translated (its message values too), anything else as it is. */
export function say(language: Language, text: MessageValue): string {
  if (typeof text === 'string') return text;
  if (typeof text === 'number') return String(text);
  if (Array.isArray(text)) return text.map((part) => say(language, part)).join(LIST_SEPARATOR);
  if (text instanceof RegionName) return regionName(language, text.code);
  const { id, values } = text as Message;
  const said: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) said[name] = typeof value === 'number' ? value : say(language, value);
  return translate(language, id, said);
}

/**
 * `value` with every message in it said in `language`, at any depth of plain objects and arrays
 * (an error's extensions: `problems[].reason`). Values without a message are returned as they are.
 */
export function sayWithin<T>(language: Language, value: T): T {
  if (value instanceof Message) return say(language, value) as T;
  if (Array.isArray(value)) return value.map((item) => sayWithin(language, item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sayWithin(language, item)])) as T;
  }
  return value;
}
