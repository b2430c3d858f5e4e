/**
 * The pages' words in five languages (web/common/i18n.ts, web/common/words.ts, web/partner/words.ts,
 * web/admin/words.ts, web/src/i18n.ts): every language of a catalogue has every key another one has,
 * of the same kind (a text, a message with the same parameters, a word list with the same codes, a
 * count); each count has every plural form the language's rules select (Polish: one, few, many,
 * other); every key the pages' HTML names (data-label) is a text of its catalogue; and the rules of
 * choosing a language and a locale. `tsc -p web` (in `npm run typecheck`) refuses a missing key too;
 * this test says which one, and checks what types cannot (plural forms, the HTML's keys).
 * In Chromium: test/web/pages-languages.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/build';

// The pages' modules are typed against the DOM and checked by `tsc -p web`; loaded here by path, so
// the root typecheck (no DOM) does not check them a second time. ts-jest compiles them all the same.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- by path, so that tsc does not follow it (see above)
const load = (file: string) => require(path.join(ROOT, file));
const i18n = load('web/common/i18n.ts');
const { SHARED_WORDS } = load('web/common/words.ts');
const { PARTNER_WORDS } = load('web/partner/words.ts');
const { ADMIN_WORDS } = load('web/admin/words.ts');
const { LABELS: FINDER_WORDS } = load('web/src/i18n.ts');

const LANGUAGES: string[] = i18n.LANGUAGES;
const CATALOGUES: Record<string, Record<string, Record<string, unknown>>> = {
  shared: SHARED_WORDS,
  partner: PARTNER_WORDS,
  admin: ADMIN_WORDS,
  finder: FINDER_WORDS,
};

/** What a value of a catalogue is, as far as the languages must agree: its kind, and the keys or parameter count. */
function shape(value: unknown): unknown {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'function') return `message(${value.length})`;
  if (value && typeof value === 'object' && 'plural' in value) return 'count';
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  return typeof value;
}

/** Every count message of a catalogue, by its key. */
const counts = (catalogue: Record<string, unknown>) =>
  Object.entries(catalogue).filter((entry): entry is [string, { plural: Record<string, string> }] => {
    const value = entry[1];
    return !!value && typeof value === 'object' && 'plural' in value;
  });

describe.each(Object.keys(CATALOGUES))('the %s catalogue', (name) => {
  const catalogue = CATALOGUES[name];

  test('has the five languages', () => expect(Object.keys(catalogue).sort()).toEqual([...LANGUAGES].sort()));

  test.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every key English has, of the same kind, and no other', (language) => {
    expect(shape(catalogue[language])).toEqual(shape(catalogue.en));
  });

  test.each(LANGUAGES)('%s: every count has each plural form its language selects, and no other', (language) => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.sort();
    for (const [key, message] of counts(catalogue[language])) expect({ key, forms: Object.keys(message.plural).sort() }).toEqual({ key, forms: categories });
  });

  test.each(LANGUAGES)('%s: no text is empty', (language) => {
    const empty = Object.entries(catalogue[language]).filter(([, value]) => value === '');
    expect(empty).toEqual([]);
  });
});

/** The keys a page's HTML names for its words: data-label, data-label-aria-label, data-label-placeholder. */
function keysOf(html: string): string[] {
  const file = fs.readFileSync(path.join(ROOT, 'web', html), 'utf8');
  return [...new Set([...file.matchAll(/data-label(?:-aria-label|-placeholder)?="([^"]+)"/g)].map((match) => match[1]))];
}

describe('every word the pages’ HTML names is a text of its catalogue', () => {
  test.each([
    ['partner/index.html', { ...SHARED_WORDS.en, ...PARTNER_WORDS.en }],
    ['admin/index.html', { ...SHARED_WORDS.en, ...ADMIN_WORDS.en }],
    ['index.html', FINDER_WORDS.en],
  ] as [string, Record<string, unknown>][])('%s', (html, words) => {
    const keys = keysOf(html);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((key) => typeof words[key] !== 'string')).toEqual([]);
  });

  test('a page’s own key never hides a shared one (the page labels itself with both)', () => {
    for (const page of [PARTNER_WORDS.en, ADMIN_WORDS.en]) expect(Object.keys(page).filter((key) => key in SHARED_WORDS.en)).toEqual([]);
  });
});

describe('counts in the reader’s language (Intl.PluralRules)', () => {
  const audit = (language: string, n: number) => i18n.count(PARTNER_WORDS[language].auditCaption, n, {}, language);

  test('Polish has four forms: 1, 2–4 (not 12–14), 5 and up, fractions', () => {
    expect([1, 2, 4, 5, 12, 22, 25, 101].map((n) => audit('pl', n))).toEqual([
      '1 zarejestrowana zmiana, najnowsze najpierw',
      '2 zarejestrowane zmiany, najnowsze najpierw',
      '4 zarejestrowane zmiany, najnowsze najpierw',
      '5 zarejestrowanych zmian, najnowsze najpierw',
      '12 zarejestrowanych zmian, najnowsze najpierw',
      '22 zarejestrowane zmiany, najnowsze najpierw',
      '25 zarejestrowanych zmian, najnowsze najpierw',
      '101 zarejestrowanych zmian, najnowsze najpierw',
    ]);
  });

  test('German and English have one and other; French counts 0 as one; the number is written for the locale', () => {
    expect(audit('de', 1)).toBe('1 erfasste Änderung, die neueste zuerst');
    expect(audit('de', 1234)).toBe('1.234 erfasste Änderungen, die neuesten zuerst');
    expect(audit('en', 1)).toBe('1 recorded change, newest first');
    expect(audit('en', 0)).toBe('0 recorded changes, newest first');
    expect(audit('fr', 0)).toBe('0 modification enregistrée, la plus récente d’abord');
    expect(audit('fr', 1_000_000).replace(/\s/g, ' ')).toBe('1 000 000 de modifications enregistrées, les plus récentes d’abord');
  });

  test('other values fill their {name}; an unknown one stays as written', () => {
    expect(i18n.count(PARTNER_WORDS.pl.statementCaption, 3, { year: '2026' }, 'pl')).toBe('Opieka 2026: 3 pozycje opłat');
    expect(i18n.count(i18n.plural({ one: '# {x}', other: '# {x}s' }), 2, {}, 'en')).toBe('2 {x}s');
  });
});

describe('which language, which locale', () => {
  test.each([
    [['de-CH', 'en'], 'de'],
    [['es-ES', 'pl-PL', 'de'], 'pl'],
    [['en-US'], 'en'],
    [['es', 'pt'], 'en'],
    [[], 'en'],
  ])('browser languages %p: the pages speak %p', (browser, language) => expect(i18n.preferredLanguage(browser)).toBe(language));

  test.each([
    ['de', ['de-AT', 'en'], 'de-AT'],
    ['de', ['en-GB'], 'de'],
    ['en', ['de-DE', 'en-US'], 'en-US'],
    ['en', ['de-DE'], 'en-GB'],
    ['pl', ['pl'], 'pl'],
    ['fr', ['fr-ch'], 'fr-CH'],
  ])('%s in a browser with %p is formatted for %p', (language, browser, locale) => expect(i18n.localeFor(language, browser)).toBe(locale));

  test('money, dates and rates for the locale; money keeps the API’s currency code', () => {
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(i18n.formatMoney({ amount: '1100.00', currency: 'CHF' }, 'de'))).toBe('1.100,00 CHF');
    // Swiss German groups thousands with an apostrophe (which one depends on the ICU version).
    expect(plain(i18n.formatMoney({ amount: '1100.00', currency: 'CHF' }, 'de-CH'))).toMatch(/^CHF 1['’]100\.00$/);
    expect(plain(i18n.formatMoney({ amount: '72.50', currency: 'PLN' }, 'pl'))).toBe('72,50 PLN');
    expect(i18n.formatDate('2026-12-31', 'pl')).toBe('31 gru 2026');
    expect(i18n.formatDate('2026-12-31', 'de')).toBe('31.12.2026');
    expect(plain(i18n.formatRate('0.19', 'de'))).toBe('19 %');
    expect(i18n.formatRate('0.19', 'en-GB')).toBe('19%');
  });
});
