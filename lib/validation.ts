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
import { isIsoDate } from './domain';
import { normalizeAmount } from './money';
import { businessHoursProblem } from './opening-hours';

export interface Check {
  /** Why `value` is refused, completing "<field> …", e.g. 'must be an ISO 4217 currency code like "EUR"'. */
  reason(value: string): string;
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
export function refusal(check: Check, value: string): string {
  const reason = check.reason(value.trim());
  return value.length > 100 || check.quotesValue?.(value.trim()) ? reason : `${reason} (got ${JSON.stringify(value)})`;
}

/**
 * An unpaired UTF-16 surrogate (JSON's `"\ud800"` without its partner) is no character: UTF-8 cannot
 * encode it, so the drivers silently store U+FFFD instead (SQLite, PostgreSQL text) and PostgreSQL
 * refuses it in the audit trail's JSON columns, a server error. Refused in every text, wherever it
 * comes in (the import's file, a mutation's input, an API key's label, an id).
 */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/** Why `value` is no valid Unicode text, completing "<field> …"; null when it is. */
export function encodingProblem(value: string): string | null {
  return UNPAIRED_SURROGATE.test(value) ? 'must be valid Unicode text: it contains an unpaired UTF-16 surrogate (like "\\ud800" without its partner)' : null;
}

/**
 * The one reading of a text value, for the import and the mutations alike: refused when it is no
 * valid Unicode text, else normalized by `check` or refused with the check's reason.
 */
export function readValue(check: Check, value: string): { ok: true; value: string } | { ok: false; reason: string } {
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
const check = (reason: string, normalize: (s: string) => string | null): Check => ({ reason: () => reason, normalize });

export const countryCode: Check = {
  reason: () => 'must be an ISO 3166-1 alpha-2 country code like "DE"',
  normalize: (s) => keepIf(isCountryCode)(s.toUpperCase()),
};
export const languageCode: Check = {
  reason: () => 'must be an ISO 639-1 language code like "de"',
  normalize: (s) => keepIf(isLanguageCode)(s.toLowerCase()),
};
export const currencyCode: Check = {
  reason: () => 'must be an ISO 4217 currency code like "EUR"',
  normalize: (s) => keepIf(isCurrencyCode)(s.toUpperCase()),
};
export const isoDate = check('must be an ISO date like "2026-12-31"', keepIf(isIsoDate));
export const emailAddress = check('must contain one "@" with text on both sides and a domain with a dot, like "support@example.org"', keepIf(isEmailAddress));
export const webUrl = check('must be an http(s) URL like "https://example.org"', keepIf(isWebUrl));
export const timeZone = check('must be an IANA time zone like "Europe/Berlin"', canonicalTimeZone);
export const amount = check('must be a non-negative decimal string with at most two places, like "99.00"', normalizeAmount);

/** Non-empty text of at most `max` characters. */
export const text = (max: number): Check => ({
  reason: (s) =>
    s.trim() === ''
      ? 'must not be empty'
      : CONTROL_CHARACTER_BUT_LINE_BREAKS.test(s)
        ? 'must not contain control characters'
        : `must be at most ${max} characters long (got ${s.length})`,
  normalize: keepIf((s) => s !== '' && s.length <= max && !CONTROL_CHARACTER_BUT_LINE_BREAKS.test(s)),
});

const businessHoursText = text(MAX_LENGTH.businessHours);
/** Bounded text in OpenStreetMap opening_hours syntax, as Provider.openNow reads it (import and updateProvider alike). */
export const businessHours: Check = {
  reason: (s) => (businessHoursText.normalize(s) === null ? businessHoursText.reason(s) : (businessHoursProblem(s.trim()) ?? 'is not readable')),
  normalize: (s) => {
    const hours = businessHoursText.normalize(s);
    return hours !== null && businessHoursProblem(hours) === undefined ? hours : null;
  },
  // The syntax problems quote the value with the parser's reading of it.
  quotesValue: (s) => businessHoursText.normalize(s) !== null,
};

/** `check` on a trimmed, length-bounded value: a code or an address longer than its column is refused before it is parsed. */
export const bounded = (inner: Check, max: number): Check => ({
  reason: (s) => (s.length > max ? `must be at most ${max} characters long (got ${s.length})` : inner.reason(s)),
  normalize: (s) => (s.length <= max ? inner.normalize(s) : null),
});

/** Why `validUntil` cannot be kept with `validFrom`, or null when the two agree (either may be open). */
export function validityProblem(validFrom: string | null | undefined, validUntil: string | null | undefined): string | null {
  return validFrom && validUntil && validUntil < validFrom ? `validUntil ${validUntil} is before validFrom ${validFrom}` : null;
}
