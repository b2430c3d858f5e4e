/**
 * Business hours in opening_hours syntax (lib/opening-hours.ts): what the import accepts, and
 * openNow / nextOpening in the provider's own time zone, at fixed instants, on the pure functions.
 * Through the gateway: test/e2e/opening-hours.test.ts; the migration of stored values:
 * test/subgraphs/business-hours-migration.test.ts.
 */
import { businessHoursAt, businessHoursProblem } from '../../lib/opening-hours';

const at = (iso: string) => new Date(iso);
const provider = (businessHours: string | null, timeZone: string | null, country = 'DE') => ({ businessHours, timeZone, country });

describe('businessHoursProblem', () => {
  it.each([
    'Mo-Fr 08:00-17:00',
    'Mo-Fr 08:00-17:00; PH off',
    'Mo-Fr 08:00-12:00,13:00-17:00; Sa 09:00-12:00 "by appointment"',
    'Mo-Th 09:00-16:00; Fr 09:00-13:00; Dec 24-26 off',
    '24/7',
    'Mo-Fr 08:00-17:00 "not before sunrise"', // keywords inside a comment do not count
  ])('accepts %j', (value) => {
    expect(businessHoursProblem(value)).toBeUndefined();
  });

  it.each([
    ['free text', 'Mon to Fri, 9 till 5', 'must be OpenStreetMap opening_hours syntax like "Mo-Fr 08:00-17:00; PH off" (got "Mon to Fri, 9 till 5": '],
    ['what the library reads only by guessing', 'weekdays 8 to 5', '(got "weekdays 8 to 5", which could only be read by guessing, as "Mo-Fr 08:00-05:00": '],
    ['German day names', 'Mo-Do 09:00-16:00', 'as "Mo-Th 09:00-16:00"'],
    ['12-hour times', 'Mon-Fri 9am-5pm', 'as "Mo-Fr 09:00-17:00"'],
    ['a misspelt day', 'Mo-Fx 08:00-17:00', 'Unexpected token'],
    ['trailing text', 'Mo-Fr 08:00-17:00 foo', 'Unexpected token'],
    ['sun times', 'Mo-Fr sunrise-sunset', 'cannot use sun times (sunrise, sunset, dawn, dusk) need coordinates'],
    ['school holidays', 'Mo-Fr 08:00-17:00; SH off', 'cannot use school holidays (SH) need a region'],
  ])('refuses %s', (_name, value, message) => {
    expect(String(businessHoursProblem(value))).toContain(message);
  });
});

describe("businessHoursAt: openNow and nextOpening in the provider's time zone", () => {
  const weekdays = 'Mo-Fr 08:00-17:00';

  it('is unknown without hours or without a time zone', () => {
    const now = at('2026-11-25T10:00:00Z');
    expect(businessHoursAt(provider(null, 'Europe/Berlin'), now)).toEqual({ openNow: null, nextOpening: null });
    expect(businessHoursAt(provider(weekdays, null), now)).toEqual({ openNow: null, nextOpening: null });
  });

  it("reads the hours on the provider's wall clock, not UTC: Auckland (UTC+13) is open while Los Angeles (UTC-8) is not", () => {
    // Tuesday 2026-11-24 20:30 UTC = Wednesday 09:30 in Auckland (NZDT) = Tuesday 12:30 in Los Angeles.
    const now = at('2026-11-24T20:30:00Z');
    expect(businessHoursAt(provider('Mo-Fr 08:00-12:00', 'Pacific/Auckland', 'NZ'), now)).toEqual({ openNow: true, nextOpening: '2026-11-26T08:00:00+13:00' });
    expect(businessHoursAt(provider('Mo-Fr 08:00-12:00', 'America/Los_Angeles', 'US'), now)).toEqual({
      openNow: false,
      nextOpening: '2026-11-25T08:00:00-08:00',
    });
  });

  it('closed now: the next opening; open now: the one after this opening ends', () => {
    // Wednesday 2026-11-25, Berlin is UTC+1.
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T06:30:00Z'))).toEqual({
      openNow: false,
      nextOpening: '2026-11-25T08:00:00+01:00',
    });
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T07:00:00Z'))).toEqual({
      openNow: true,
      nextOpening: '2026-11-26T08:00:00+01:00',
    });
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T16:00:00Z'))).toEqual({
      openNow: false,
      nextOpening: '2026-11-26T08:00:00+01:00',
    });
  });

  it('across the end of summer time: Friday evening CEST (UTC+2) to Monday morning CET (UTC+1)', () => {
    // Europe leaves summer time on Sunday 2026-10-25.
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-10-23T16:00:00Z'))).toEqual({
      openNow: false,
      nextOpening: '2026-10-26T08:00:00+01:00',
    });
  });

  it('across the start of summer time, far from UTC: Auckland goes from UTC+12 to UTC+13', () => {
    // New Zealand starts daylight time on Sunday 2026-09-27; Friday 2026-09-25 18:00 NZST is 06:00 UTC.
    expect(businessHoursAt(provider(weekdays, 'Pacific/Auckland', 'NZ'), at('2026-09-25T06:00:00Z'))).toEqual({
      openNow: false,
      nextOpening: '2026-09-28T08:00:00+13:00',
    });
    // Still Friday 16:59 NZST: open.
    expect(businessHoursAt(provider(weekdays, 'Pacific/Auckland', 'NZ'), at('2026-09-25T04:59:00Z')).openNow).toBe(true);
  });

  it('an opening inside the hour summer time skips is read when the clock has moved on', () => {
    // Berlin's clocks jump from 02:00 to 03:00 on Sunday 2026-03-29: "02:30" that day is 03:30 CEST.
    expect(businessHoursAt(provider('Su 02:30-05:00', 'Europe/Berlin'), at('2026-03-28T12:00:00Z')).nextOpening).toBe('2026-03-29T03:30:00+02:00');
  });

  it("public holidays of the provider's home country: Christmas Day is closed in Germany, not in Japan", () => {
    const christmasMorning = at('2026-12-25T01:00:00Z'); // Friday; 10:00 in Tokyo, 02:00 in Berlin
    const german = provider('Mo-Fr 08:00-17:00; PH off', 'Europe/Berlin', 'DE');
    expect(businessHoursAt(german, at('2026-12-25T09:00:00Z'))).toEqual({ openNow: false, nextOpening: '2026-12-28T08:00:00+01:00' });
    expect(businessHoursAt(provider('Mo-Fr 08:00-17:00; PH off', 'Asia/Tokyo', 'JP'), christmasMorning).openNow).toBe(true);
  });

  it('hours that mention PH in a country the library has no holidays for are unknown; without PH they are read', () => {
    const now = at('2026-11-25T10:00:00Z');
    expect(businessHoursAt(provider('Mo-Fr 08:00-17:00; PH off', 'Europe/London', 'GB'), now)).toEqual({ openNow: null, nextOpening: null });
    expect(businessHoursAt(provider(weekdays, 'Europe/London', 'GB'), now)).toEqual({ openNow: true, nextOpening: '2026-11-26T08:00:00+00:00' });
  });

  it('always open has no next opening; never open has none either; "unknown" is unknown', () => {
    const now = at('2026-11-25T10:00:00Z');
    expect(businessHoursAt(provider('24/7', 'Europe/Berlin'), now)).toEqual({ openNow: true, nextOpening: null });
    expect(businessHoursAt(provider('off', 'Europe/Berlin'), now)).toEqual({ openNow: false, nextOpening: null });
    expect(businessHoursAt(provider('Mo-Fr 08:00-17:00 unknown', 'Europe/Berlin'), now).openNow).toBeNull();
  });
});
