/**
 * The languages the API writes its texts for people in (explanations, error messages, topic names):
 * German, English, French, Italian and Polish, English otherwise. Chosen from the request's
 * Accept-Language (RFC 9110 §12.5.4): the listed languages by their weights, each matched by its
 * primary subtag ("de-CH" is German), the first one spoken wins; `*`, a weight of 0 and unknown
 * languages choose nothing. Codes, enum values and ids never change with the language.
 */
export const LANGUAGES = ['de', 'en', 'fr', 'it', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The reader's language as a subgraph receives it: the gateway forwards the language it chose in
 * the request's GraphQL extensions (`extensions.language`, inside the body it signs). Anything
 * else reads as English.
 */
export function forwardedLanguage(extensions: unknown): Language {
  const language = (extensions as { language?: unknown } | null | undefined)?.language;
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

/** Longest header read: a browser sends tens of bytes; beyond this nothing more is considered. */
const MAX_HEADER = 1_000;

/** Headers seen recently and the language they chose: a hit repeats the same few headers. */
const chosen = new Map<string, Language>();
const MAX_REMEMBERED = 500;

/** The language to answer in for an Accept-Language header (absent or nothing spoken: English). */
export function negotiateLanguage(header: string | null | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  let language = chosen.get(header);
  if (language === undefined) {
    language = fromHeader(header.slice(0, MAX_HEADER));
    if (chosen.size >= MAX_REMEMBERED) chosen.clear();
    chosen.set(header, language);
  }
  return language;
}

function fromHeader(header: string): Language {
  const ranges = header
    .split(',')
    .map((part, position) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { primary: tag.trim().toLowerCase().split('-')[0], weight: q ? Number(q[1]) : 1, position };
    })
    .filter((range) => range.weight > 0 && isLanguage(range.primary))
    // Higher weight first; equal weights keep the order the client listed them in.
    .sort((a, b) => b.weight - a.weight || a.position - b.position);
  return (ranges[0]?.primary as Language | undefined) ?? DEFAULT_LANGUAGE;
}
