/**
 * A provider's business hours: OpenStreetMap `opening_hours` syntax (https://wiki.openstreetmap.org/wiki/Key:opening_hours),
 * read by the `opening_hours` package. One place for both what a valid value is (the directory
 * import, the updateProvider mutation) and what it means at a given instant (Provider.openNow and
 * Provider.nextOpening), always in the provider's own IANA time zone.
 *
 * Public holidays ("PH off"): the package bundles holiday tables offline; the provider's home
 * country selects them (nationwide holidays only: the directory holds no region). Where the package
 * has no table for that country (or needs a region, e.g. GB), a value that mentions PH cannot be
 * evaluated honestly, so openNow and nextOpening are null there rather than a guess.
 *
 * Time zones: the package evaluates a Date by its local getters (the process's time zone). We hand
 * it a Date whose local wall-clock reading equals the provider's wall clock, and read its answers
 * back the same way. This is exact while the process runs in a zone without DST (UTC, as in our
 * containers); in a process zone with DST a wall time inside that zone's spring-forward gap would
 * shift by the gap.
 */
import OpeningHours from 'opening_hours';
import { message, type Message } from './i18n/message';
import type { MessageId } from './i18n/translate';

/** The package's own defaults, spelt out: time ranges (not points in time), English messages. */
const OPTIONS = { tag_key: 'opening_hours', map_value: false, mode: 0, warnings_severity: 4, locale: 'en' } as const;

/** How far ahead nextOpening looks; beyond that "not within a year" reads as never. */
const LOOK_AHEAD_DAYS = 366;

/** The value without its quoted comments ("by appointment"), where keywords do not count. */
const withoutComments = (value: string) => value.replace(/"[^"]*"/g, '""');

/**
 * Parts of the syntax this directory cannot evaluate: sun times need the provider's coordinates and
 * school holidays its region, neither of which the directory holds.
 */
const UNSUPPORTED: [RegExp, MessageId][] = [
  [/\b(sunrise|sunset|dawn|dusk)\b/i, 'check.businessHoursSunTimes'],
  [/\bSH\b/, 'check.businessHoursSchoolHolidays'],
];

const EXAMPLE = '"Mo-Fr 08:00-17:00; PH off"';

const oneLine = (message: unknown) => String(message).replace(/\s+/g, ' ').trim();

/**
 * Why `value` is not usable as business hours, or undefined when it is. The message continues the
 * field's name ("businessHours must be …"), as every directory-file reason does.
 *
 * Values the package reads only by guessing are refused too: it warns and corrects, and its
 * corrections can be wrong ("weekdays 8 to 5" becomes "Mo-Fr 08:00-05:00", through the night; the
 * German "Mo-Do" becomes "Mo-Th" only by chance). The message shows its reading so the sender can
 * confirm or fix it.
 */
export function businessHoursProblem(value: string): Message | undefined {
  const got = JSON.stringify(value);
  let hours: OpeningHours;
  try {
    hours = new OpeningHours(value, null, OPTIONS);
  } catch (error) {
    // The package throws a string: the value up to the error, a "<---" marker and the reason (its own words, English).
    return message('check.businessHoursSyntax', { example: EXAMPLE, value: got, detail: oneLine(error) });
  }
  const warnings = hours.getWarnings();
  if (warnings.length > 0) {
    return message('check.businessHoursGuessed', {
      example: EXAMPLE,
      value: got,
      reading: JSON.stringify(hours.prettifyValue()),
      detail: warnings.map(oneLine).join(' '),
    });
  }
  for (const [pattern, reason] of UNSUPPORTED) {
    if (pattern.test(withoutComments(value))) return message(reason, { value: got });
  }
  return undefined;
}

export interface BusinessHoursState {
  /** null: the hours say "unknown" now, or cannot be evaluated. */
  openNow: boolean | null;
  /** ISO 8601 instant with the zone's offset, e.g. "2026-11-26T08:00:00+01:00"; null when none within a year. */
  nextOpening: string | null;
}

const UNKNOWN: BusinessHoursState = { openNow: null, nextOpening: null };

/** What the hours say at `now`, in `timeZone`; both null without hours or time zone. */
export function businessHoursAt(provider: { businessHours?: string | null; timeZone?: string | null; country: string }, now: Date): BusinessHoursState {
  const { timeZone } = provider;
  const hours = readHours(provider);
  if (!hours || !timeZone) return UNKNOWN;
  const wallNow = wallClock(now, timeZone);
  const openNow = hours.getUnknown(wallNow) ? null : hours.getState(wallNow);
  return { openNow, nextOpening: nextOpening(hours, wallNow, timeZone) };
}

/** How far ahead businessHoursLater counts; a commitment not met within it reads as none. */
const COUNT_AHEAD_DAYS = 366;

/**
 * The instant at which `hours` of the provider's open time have passed since `now` (docs/rules.md,
 * "Response-time commitments"): only time the hours say is definitely open counts (closed, "unknown"
 * and public holidays do not), each open stretch measured in real elapsed time between its instants,
 * so a DST change inside an opening counts as the hour it really is. Requested while closed, the count
 * starts at the next opening. null without hours or time zone, where the hours cannot be evaluated,
 * or when that much open time does not come within a year. An ISO 8601 instant with the zone's offset.
 */
export function businessHoursLater(
  provider: { businessHours?: string | null; timeZone?: string | null; country: string },
  now: Date,
  hours: number,
): string | null {
  const { timeZone } = provider;
  const opening = readHours(provider);
  if (!opening || !timeZone || !(hours > 0)) return null;
  let remaining = hours * 3_600_000;
  // The stretch from `at` (an instant) to the next change, whose wall-clock reading is `wallAt`.
  let at = now;
  let wallAt = wallClock(now, timeZone);
  const horizon = new Date(wallAt.getTime() + COUNT_AHEAD_DAYS * 86_400_000);
  while (wallAt < horizon) {
    const wallChange = opening.getNextChange(wallAt, horizon) ?? horizon;
    if (wallChange <= wallAt) return null;
    const change = instantOf(wallChange, timeZone);
    if (opening.getState(wallAt) && !opening.getUnknown(wallAt)) {
      const open = change.getTime() - at.getTime();
      if (remaining <= open) return isoInZone(new Date(at.getTime() + remaining), timeZone);
      remaining -= open;
    }
    at = change;
    wallAt = wallChange;
  }
  return null;
}

/** The provider's hours, read with its country's holidays where they name PH; null when they cannot be evaluated. */
function readHours(provider: { businessHours?: string | null; timeZone?: string | null; country: string }): OpeningHours | null {
  const { businessHours, timeZone } = provider;
  if (!businessHours || !timeZone) return null;
  const usesHolidays = /\bPH\b/.test(withoutComments(businessHours));
  if (usesHolidays && !hasHolidayTable(provider.country)) return null;
  try {
    return new OpeningHours(businessHours, usesHolidays ? placeIn(provider.country) : null, OPTIONS);
  } catch {
    // A stored value the import refused later (the migration clears those); unknown, not an error.
    return null;
  }
}

/** The first change after `wallNow` into a definitely open state (when open now: after this opening ends). */
function nextOpening(hours: OpeningHours, wallNow: Date, timeZone: string): string | null {
  const horizon = new Date(wallNow.getTime() + LOOK_AHEAD_DAYS * 86_400_000);
  let at = wallNow;
  for (;;) {
    const change = hours.getNextChange(at, horizon);
    if (!change || change <= at) return null;
    if (hours.getState(change) && !hours.getUnknown(change)) return isoInZone(instantOf(change, timeZone), timeZone);
    at = change;
  }
}

// ---- public holidays ------------------------------------------------------------------------------

/** The package's location argument; only the country selects holidays (coordinates serve sun times, refused above). */
const placeIn = (country: string) => ({ lat: 0, lon: 0, address: { country_code: country.toLowerCase(), state: '' } });

const holidayTables = new Map<string, boolean>();

/** Whether the package can tell this country's public holidays; asked once per country (it logs when it cannot). */
function hasHolidayTable(country: string): boolean {
  let known = holidayTables.get(country);
  if (known === undefined) {
    try {
      new OpeningHours('PH', placeIn(country), OPTIONS).getState(new Date());
      known = true;
    } catch {
      known = false;
    }
    holidayTables.set(country, known);
  }
  return known;
}

// ---- wall clocks ----------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall-clock reading of an instant: year, month (1-12), day, hour, minute, second. */
function wallParts(instant: Date, timeZone: string): number[] {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return ['year', 'month', 'day', 'hour', 'minute', 'second'].map((type) => Number(parts[type]));
}

/** A Date whose local reading is the zone's wall clock at `instant` (what the package evaluates). */
function wallClock(instant: Date, timeZone: string): Date {
  const [year, month, day, hour, minute, second] = wallParts(instant, timeZone);
  return new Date(year, month - 1, day, hour, minute, second, instant.getMilliseconds());
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const [year, month, day, hour, minute, second] = wallParts(new Date(instant), timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which the zone's wall clock reads what `wall` reads locally. The zone's offset is
 * taken from a day before and a day after (a DST change in between gives two candidates): the
 * earliest candidate the zone agrees with wins, so a wall time in the repeated autumn hour means its
 * first occurrence. A wall time in the spring-forward gap, which the zone skips, is read with the
 * offset before the change: it comes out as the clock reads after moving on (02:30 -> 03:30).
 */
function instantOf(wall: Date, timeZone: string): Date {
  const asUtc = Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds(), wall.getMilliseconds());
  const offsetBefore = offsetAt(asUtc - 86_400_000, timeZone);
  const offsetAfter = offsetAt(asUtc + 86_400_000, timeZone);
  const agreed = [asUtc - offsetBefore, asUtc - offsetAfter].filter((candidate) => offsetAt(candidate, timeZone) === asUtc - candidate);
  return new Date(agreed.length > 0 ? Math.min(...agreed) : asUtc - offsetBefore);
}

/** "2026-11-26T08:00:00+01:00": the zone's wall clock with its offset at that instant. */
function isoInZone(instant: Date, timeZone: string): string {
  const [year, month, day, hour, minute, second] = wallParts(instant, timeZone);
  const offsetMinutes = Math.round(offsetAt(instant.getTime(), timeZone) / 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`;
}
