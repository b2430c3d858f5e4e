/**
 * One way for every page (the finder, the partner portal, the network dashboard) to speak the
 * reader's language: German, English, French, Italian or Polish, the API's own languages
 * (lib/i18n/languages.ts).
 *
 * - Which language: the one the reader chose with a page's language menu (remembered in
 *   localStorage, so every page of the site follows it), else the first of the browser's languages
 *   the pages speak (`navigator.languages`; de-CH is German), else English.
 * - Which locale for numbers, money and dates (Intl): the browser's own regional variant of that
 *   language (de-AT, de-CH, en-US), else the language itself, English as in Britain.
 * - The words: one catalogue per page and language, typed objects (`const de: Words = …` with
 *   `Words = typeof en`), so a key missing in one language fails `tsc -p web`
 *   (test/rules/page-catalogues.test.ts checks the same, and the plural forms, under Jest).
 * - Counts: the language's plural forms by Intl.PluralRules (Polish has four), never "(s)".
 * - `<html lang>` is the language shown, and the API is asked in it (web/common/api.ts sends it as
 *   Accept-Language), so its sentences (errors, explanations) match the page.
 */
export const LANGUAGES = ['de', 'en', 'fr', 'it', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** Each language in its own words, for the language menus. */
export const LANGUAGE_NAMES: Record<Language, string> = { de: 'Deutsch', en: 'English', fr: 'Français', it: 'Italiano', pl: 'Polski' };

const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0];

/** The first of the browser's languages the pages speak (de-CH is German), else English. */
export function preferredLanguage(browserLanguages: readonly string[]): Language {
  for (const tag of browserLanguages) {
    const base = primary(tag);
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The Intl locale for `language`: the browser's own regional tag for it (de-AT, en-US), else the language; English as in Britain. */
export function localeFor(language: Language, browserLanguages: readonly string[]): string {
  const regional = browserLanguages.find((tag) => primary(tag) === language);
  if (regional) {
    try {
      return Intl.getCanonicalLocales(regional)[0];
    } catch {
      // A tag Intl cannot read: the language alone.
    }
  }
  return language === 'en' ? 'en-GB' : language;
}

const browserLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));

/** The locale for `language` in this browser. */
export const localeOf = (language: Language) => localeFor(language, browserLanguages());

// ---- the reader's choice ------------------------------------------------------------------------

const CHOICE_KEY = 'onyx.language';

/** The language the reader chose with a language menu, on any page of the site; null when none. */
export function chosenLanguage(): Language | null {
  try {
    const stored = localStorage.getItem(CHOICE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null; // storage refused (a private window's policy): the browser's language then
  }
}

function rememberChoice(language: Language) {
  try {
    localStorage.setItem(CHOICE_KEY, language);
  } catch {
    // Not remembered; the page still switches.
  }
}

// ---- the page's language ------------------------------------------------------------------------

let current: Language = chosenLanguage() ?? preferredLanguage(browserLanguages());

/** The language the page is shown in now. */
export const pageLanguage = (): Language => current;
/** The locale its numbers, money and dates are formatted for. */
export const pageLocale = (): string => localeOf(current);

/** Shows the page in `language` from now on: `<html lang>`, and what pageLanguage() and pageLocale() say. */
export function setPageLanguage(language: Language) {
  current = language;
  document.documentElement.lang = language;
}

/**
 * The language menu (a `<select>`): filled with the five languages, set to the page's, and on a
 * change the choice is remembered and `onChange` draws the page again.
 */
export function languageMenu(select: HTMLSelectElement, onChange: (language: Language) => void) {
  select.replaceChildren(
    ...LANGUAGES.map((language) => {
      const option = document.createElement('option');
      option.value = language;
      option.lang = language;
      option.textContent = LANGUAGE_NAMES[language];
      return option;
    }),
  );
  select.value = current;
  select.addEventListener('change', () => {
    if (!isLanguage(select.value)) return;
    rememberChoice(select.value);
    setPageLanguage(select.value);
    onChange(select.value);
  });
}

/**
 * Writes a catalogue's words into the page's static elements: `data-label="key"` sets the text,
 * `data-label-aria-label` and `data-label-placeholder` those attributes, and the `<title>` takes
 * `words.pageTitle` when the catalogue has one. test/rules/page-catalogues.test.ts checks that every
 * key the pages' HTML names is a word of the catalogue.
 */
export function labelPage(words: object) {
  const word = (key: string | undefined) => {
    const value = key ? (words as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  for (const node of document.querySelectorAll<HTMLElement>('[data-label]')) {
    const text = word(node.dataset.label);
    if (text !== undefined) node.textContent = text;
  }
  for (const [attribute, dataKey] of [
    ['aria-label', 'labelAriaLabel'],
    ['placeholder', 'labelPlaceholder'],
  ] as const) {
    for (const node of document.querySelectorAll<HTMLElement>(`[data-label-${attribute}]`)) {
      const text = word(node.dataset[dataKey]);
      if (text !== undefined) node.setAttribute(attribute, text);
    }
  }
  const title = word('pageTitle');
  if (title) document.title = title;
}

// ---- counts -------------------------------------------------------------------------------------

/**
 * A message with a count, in each of the language's plural forms (Intl.PluralRules' categories:
 * German and English one/other, French and Italian one/many/other, Polish one/few/many/other). `#`
 * is the count as the locale writes it, `{name}` another value. Written with `plural()` so the
 * catalogue test can find them and check each language has every form its rules can select.
 */
export interface Plural {
  readonly plural: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
}
export const plural = (forms: Plural['plural']): Plural => ({ plural: forms });

/** The form of `message` for `count`, its `#` and `{name}` filled (values as given; numbers as the locale writes them). */
export function count(message: Plural, n: number, values: Record<string, string | number> = {}, locale = pageLocale()): string {
  const forms = message.plural;
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
  const written = (value: string | number) => (typeof value === 'number' ? formatNumber(value, locale) : value);
  return form.replace(/#|\{(\w+)\}/g, (whole, name: string | undefined) => (name === undefined ? written(n) : name in values ? written(values[name]) : whole));
}

// ---- numbers, money, dates ----------------------------------------------------------------------

export const formatNumber = (n: number, locale = pageLocale()) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);

/** "1.100,00 CHF" (de), "CHF 1,100.00" (en-GB): display only, the API's decimal string is never computed with. */
export const formatMoney = (money: { amount: string; currency: string }, locale = pageLocale()) => {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, currencyDisplay: 'code' }).format(Number(money.amount));
  } catch {
    return `${money.amount} ${money.currency}`; // a currency code Intl does not know: as the API gave it
  }
};

/** A VAT rate as the API gives it ("0.19") as a percentage: "19 %" (de), "19%" (en). */
export const formatRate = (rate: string, locale = pageLocale()) =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(Number(rate));

/** A calendar date of the API ("2026-12-31"): the same day in every time zone. */
export const formatDate = (date: string, locale = pageLocale()) => {
  const at = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? date : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
};

/** An instant of the API (ISO 8601) in the reader's time zone, to the second, with the zone's name. */
export const formatInstant = (instant: string, locale = pageLocale()) => {
  const at = new Date(instant);
  return Number.isNaN(at.getTime()) ? instant : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' }).format(at);
};

/** A country's name in the reader's language ("DE": "Deutschland", "Niemcy"). */
export const countryName = (code: string, locale = pageLocale()) => {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** A language's name in the reader's language ("fr": "Französisch", "francuski"). */
export const languageName = (code: string, locale = pageLocale()) => {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/** A word for one of the API's codes (an enum value), the code itself for one the catalogue does not know yet. */
export const wordFor = (words: object, code: string): string => (words as Record<string, string | undefined>)[code] ?? code;
