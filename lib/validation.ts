/**
 * The checks of directory values, in one place for every way a value gets in: the directory file
 * (`npm run import`, lib/directory/directory-file.ts), partner self-service mutations (the providers
 * subgraph) and query arguments (lib/arguments.ts). Each check normalizes a trimmed string (upper-
 * case country and currency codes, lower-case languages, two-place amounts, canonical time zones)
 * or says why it cannot; the callers turn the reason into their own error (a problem with a path, a
 * BAD_USER_INPUT naming the field).
 *
 * Codes are checked against real code lists, from the ICU data Node ships (`Intl`), not merely
 * their shape: "XX", "zz" and "ABC" look like codes but name no country, language or currency.
 */
import { checkVAT, countries as vatIdRules, type Country as VatIdRule } from 'jsvat';
import { isIsoDate } from './domain';
import { normalizeAmount } from './money';
import { businessHoursProblem } from './opening-hours';
import { message, RegionName, type Message } from './i18n/message';

export interface Check {
  /**
   * Why `value` is refused, completing "<field> …", e.g. 'must be an ISO 4217 currency code like "EUR"':
   * a message (lib/i18n), said where the refusal is written: in English by the import, in the
   * reader's language by the API.
   */
  reason(value: string): Message;
  /** The normalized value of a trimmed string, or null when it is not valid. */
  normalize(value: string): string | null;
  /** True when reason(value) already quotes the value (refusal() then adds no "(got …)"). */
  quotesValue?(value: string): boolean;
}

/**
 * The whole reason a value is refused, as the import and the mutations say it: the check's reason,
 * then the value as sent, unless it is too long to quote whole (the reason gives its length) or the
 * reason quotes it already.
 */
export function refusal(check: Check, value: string): Message {
  const reason = check.reason(value.trim());
  return value.length > 100 || check.quotesValue?.(value.trim()) ? reason : message('check.got', { reason, value: JSON.stringify(value) });
}

/**
 * An unpaired UTF-16 surrogate (JSON's `"\ud800"` without its partner) is no character: UTF-8 cannot
 * encode it, so the drivers silently store U+FFFD instead (SQLite, PostgreSQL text) and PostgreSQL
 * refuses it in the audit trail's JSON columns, a server error. Refused in every text, wherever it
 * comes in (the import's file, a mutation's input, an API key's label, an id).
 */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/** Why `value` is no valid Unicode text, completing "<field> …"; null when it is. */
export function encodingProblem(value: string): Message | null {
  return UNPAIRED_SURROGATE.test(value) ? message('check.unpairedSurrogate') : null;
}

/**
 * The one reading of a text value, for the import and the mutations alike: refused when it is no
 * valid Unicode text, else normalized by `check` or refused with the check's reason.
 */
export function readValue(check: Check, value: string): { ok: true; value: string } | { ok: false; reason: Message } {
  const problem = encodingProblem(value);
  if (problem !== null) return { ok: false, reason: problem };
  const normalized = check.normalize(value.trim());
  return normalized !== null ? { ok: true, value: normalized } : { ok: false, reason: refusal(check, value) };
}

/**
 * Longest text per field: the column lengths of the providers database (the entities declare their
 * columns with these), and sane bounds for the text columns. A longer value is refused by name
 * instead of failing in the database (PostgreSQL) or being stored whole (SQLite).
 */
export const MAX_LENGTH = {
  id: 100,
  name: 200,
  email: 200,
  phone: 50,
  website: 300,
  postalAddress: 500,
  businessHours: 200,
  timeZone: 64,
  vatId: 30,
  title: 200,
  description: 2000,
  programVersion: 20,
} as const;

/**
 * Control characters: none belongs in a directory value, and a NUL byte breaks the database drivers
 * (SQLite cuts the statement, PostgreSQL refuses it) into a server error. Texts may span lines.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * ISO 3166-1 leaves these for private use (AA, QM–QZ, XA–XZ, ZZ), and CLDR names some regions that
 * are no country (EU, EZ, UN): Intl has a name for them, ISO 3166-1 assigns none.
 */
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/;

export const isCountryCode = (code: string): boolean => /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.test(code) && regionNames.of(code) !== undefined;

/** ISO 639-1 only, current codes only: a deprecated one ("iw", canonical "he") is refused. */
export const isLanguageCode = (code: string): boolean =>
  /^[a-z]{2}$/.test(code) && languageNames.of(code) !== undefined && Intl.getCanonicalLocales(code)[0] === code;

export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code) && currencies.has(code);

export function isWebUrl(value: string): boolean {
  if (CONTROL_CHARACTER.test(value)) return false;
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

/** One "@" with text on both sides and a dot in the domain; no spaces. Deliverability is the sender's problem. */
export const isEmailAddress = (value: string): boolean => /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/.test(value) && !CONTROL_CHARACTER.test(value);

/**
 * The canonical spelling of an IANA time zone ("europe/berlin" -> "Europe/Berlin"), null when unknown.
 * Newer Node versions also take UTC offsets ("+01:00") as a time zone; those are no IANA name.
 */
export function canonicalTimeZone(zone: string): string | null {
  try {
    const canonical = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    return /^[A-Za-z]/.test(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

const keepIf = (test: (s: string) => boolean) => (s: string) => (test(s) ? s : null);

/** A check whose reason does not depend on the value. */
const check = (reason: Message, normalize: (s: string) => string | null): Check => ({ reason: () => reason, normalize });

export const countryCode = check(message('check.countryCode'), (s) => keepIf(isCountryCode)(s.toUpperCase()));
export const languageCode = check(message('check.languageCode'), (s) => keepIf(isLanguageCode)(s.toLowerCase()));
export const currencyCode = check(message('check.currencyCode'), (s) => keepIf(isCurrencyCode)(s.toUpperCase()));
export const isoDate = check(message('check.isoDate'), keepIf(isIsoDate));
export const emailAddress = check(message('check.emailAddress'), keepIf(isEmailAddress));
export const webUrl = check(message('check.webUrl'), keepIf(isWebUrl));
export const timeZone = check(message('check.timeZone'), canonicalTimeZone);
export const amount = check(message('check.amount'), normalizeAmount);

/** Why a value of `length` characters is refused where at most `max` fit. */
const tooLong = (max: number, length: number) => message('check.tooLong', { max, length });

/** Non-empty text of at most `max` characters. */
export const text = (max: number): Check => ({
  reason: (s) =>
    s.trim() === '' ? message('check.empty') : CONTROL_CHARACTER_BUT_LINE_BREAKS.test(s) ? message('check.controlCharacters') : tooLong(max, s.length),
  normalize: keepIf((s) => s !== '' && s.length <= max && !CONTROL_CHARACTER_BUT_LINE_BREAKS.test(s)),
});

const businessHoursText = text(MAX_LENGTH.businessHours);
/** Bounded text in OpenStreetMap opening_hours syntax, as Provider.openNow reads it (import and updateProvider alike). */
export const businessHours: Check = {
  reason: (s) => (businessHoursText.normalize(s) === null ? businessHoursText.reason(s) : (businessHoursProblem(s.trim()) ?? message('check.unreadable'))),
  normalize: (s) => {
    const hours = businessHoursText.normalize(s);
    return hours !== null && businessHoursProblem(hours) === undefined ? hours : null;
  },
  // The syntax problems quote the value with the parser's reading of it.
  quotesValue: (s) => businessHoursText.normalize(s) !== null,
};

/** `check` on a trimmed, length-bounded value: a code or an address longer than its column is refused before it is parsed. */
export const bounded = (inner: Check, max: number): Check => ({
  reason: (s) => (s.length > max ? tooLong(max, s.length) : inner.reason(s)),
  normalize: (s) => (s.length <= max ? inner.normalize(s) : null),
});

/** Why `validUntil` cannot be kept with `validFrom`, or null when the two agree (either may be open). */
export function validityProblem(validFrom: string | null | undefined, validUntil: string | null | undefined): Message | null {
  return validFrom && validUntil && validUntil < validFrom ? message('check.validity', { validFrom, validUntil }) : null;
}

/**
 * The form of each country's VAT id that jsvat checks (its prefix, digits and check digit), in the
 * words a refusal quotes, with an example that passes the check (test/rules/vat-id.test.ts).
 * jsvat is used rather than patterns of our own: it keeps every country's check-digit algorithm.
 */
const VAT_ID_FORMS: Record<string, { form: Message; example?: string }> = {
  AD: { form: message('vat.form.AD') },
  AT: { form: message('vat.form.digits', { prefix: 'ATU', digits: 8 }), example: 'ATU10000005' },
  BE: { form: message('vat.form.digits', { prefix: 'BE', digits: 10 }), example: 'BE0100000070' },
  BG: { form: message('vat.form.digitsEither', { prefix: 'BG', digits: 9, orDigits: 10 }), example: 'BG100000001' },
  BR: { form: message('vat.form.BR') },
  CH: { form: message('vat.form.CH'), example: 'CHE-100.000.006 MWST' },
  CY: { form: message('vat.form.CY'), example: 'CY10000000D' },
  CZ: { form: message('vat.form.digitsRange', { prefix: 'CZ', min: 8, max: 10 }), example: 'CZ10000003' },
  DE: { form: message('vat.form.digits', { prefix: 'DE', digits: 9 }), example: 'DE100000008' },
  DK: { form: message('vat.form.digits', { prefix: 'DK', digits: 8 }), example: 'DK10000009' },
  EE: { form: message('vat.form.digits', { prefix: 'EE', digits: 9 }), example: 'EE100000007' },
  ES: { form: message('vat.form.ES'), example: 'ESA10000008' },
  FI: { form: message('vat.form.digits', { prefix: 'FI', digits: 8 }), example: 'FI10000004' },
  FR: { form: message('vat.form.FR'), example: 'FR00100000012' },
  GB: { form: message('vat.form.digitsEither', { prefix: 'GB', digits: 9, orDigits: 12 }), example: 'GB100000089' },
  GR: { form: message('vat.form.digits', { prefix: 'EL', digits: 9 }), example: 'EL100000003' },
  HR: { form: message('vat.form.digits', { prefix: 'HR', digits: 11 }), example: 'HR10000000000' },
  HU: { form: message('vat.form.digits', { prefix: 'HU', digits: 8 }), example: 'HU10000001' },
  IE: { form: message('vat.form.IE'), example: 'IE1000000H' },
  IT: { form: message('vat.form.digits', { prefix: 'IT', digits: 11 }), example: 'IT10000000017' },
  LT: { form: message('vat.form.digitsEither', { prefix: 'LT', digits: 9, orDigits: 12 }), example: 'LT100000019' },
  LU: { form: message('vat.form.digits', { prefix: 'LU', digits: 8 }), example: 'LU10000053' },
  LV: { form: message('vat.form.digits', { prefix: 'LV', digits: 11 }), example: 'LV40000000000' },
  MT: { form: message('vat.form.digits', { prefix: 'MT', digits: 8 }), example: 'MT10000034' },
  NL: { form: message('vat.form.NL'), example: 'NL100000009B01' },
  NO: { form: message('vat.form.NO'), example: 'NO100000008MVA' },
  PL: { form: message('vat.form.digits', { prefix: 'PL', digits: 10 }), example: 'PL1000000006' },
  PT: { form: message('vat.form.digits', { prefix: 'PT', digits: 9 }), example: 'PT100000002' },
  RO: { form: message('vat.form.digitsRange', { prefix: 'RO', min: 2, max: 10 }), example: 'RO10000008' },
  RS: { form: message('vat.form.digits', { prefix: 'RS', digits: 9 }) },
  RU: { form: message('vat.form.digitsEither', { prefix: 'RU', digits: 10, orDigits: 12 }) },
  SE: { form: message('vat.form.SE'), example: 'SE100000000801' },
  SI: { form: message('vat.form.digits', { prefix: 'SI', digits: 8 }), example: 'SI10000003' },
  SK: { form: message('vat.form.digits', { prefix: 'SK', digits: 10 }), example: 'SK2021000003' },
};

/** jsvat's rules by the ISO code of their country (its "Europe" pseudo-country left out). */
const VAT_ID_RULES: ReadonlyMap<string, VatIdRule> = new Map(vatIdRules.filter((c) => isCountryCode(c.codes[0])).map((c) => [c.codes[0], c]));

/** Countries whose VAT id format is checked (the others are taken as written, within their length). */
export const VAT_ID_COUNTRIES: readonly string[] = [...VAT_ID_RULES.keys()].sort();

/** A VAT id of the country that passes its check, for examples and generated directories; undefined when none is known. */
export const vatIdExample = (country: string): string | undefined => (VAT_ID_RULES.has(country) ? VAT_ID_FORMS[country]?.example : undefined);

/** A VAT id as jsvat reads it: upper case, without the spaces, dots, dashes and slashes people write in it. */
const compactVatId = (value: string) => value.toUpperCase().replace(/[\s.\-/]+/g, '');

const vatIdText = text(MAX_LENGTH.vatId);

/**
 * The VAT id of a party in `country` (docs/rules.md, "Maintenance fee and VAT": checked when it is entered):
 * the country's format with its check digit, stored compact ("CHE-100.000.006 MWST" ->
 * "CHE100000006MWST"); the prefix must be the country's own (an Austrian id for a German practice
 * is refused). A country whose format the check does not know (Liechtenstein, Japan, …), or an
 * unknown country (the country field reports that), takes the id as written.
 */
export function vatIdOf(country: string | null | undefined): Check {
  const rule = country ? VAT_ID_RULES.get(country) : undefined;
  if (!rule) return vatIdText;
  const name = new RegionName(country!);
  const { form, example } = VAT_ID_FORMS[country!] ?? { form: message('vat.form.other', { country: name }) };
  const reason = example ? message('check.vatIdLike', { country: name, form, example }) : message('check.vatId', { country: name, form });
  return {
    reason: (s) => (vatIdText.normalize(s) === null ? vatIdText.reason(s) : reason),
    normalize: (s) => {
      if (vatIdText.normalize(s) === null) return null;
      const compact = compactVatId(s);
      return checkVAT(compact, [rule]).isValid ? compact : null;
    },
  };
}
