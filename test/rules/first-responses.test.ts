/**
 * Response-time commitments (docs/rules.md, "Response-time commitments"): when a first answer can be
 * expected, counted in the provider's business hours, time zone and public holidays, on fixed
 * clocks, on the pure functions (lib/opening-hours.ts businessHoursLater, the routing's
 * firstResponses) and the commitments' own checks (lib/first-response-commitments.ts). Through the
 * gateway: test/e2e/first-responses.test.ts.
 */
import { ProviderRole, SupportCategoryId } from '../../lib/domain';
import { categoriesServed, commitmentProblems, firstResponseHoursProblem, inCategoryOrder } from '../../lib/first-response-commitments';
import { businessHoursLater } from '../../lib/opening-hours';
import { firstResponses } from '../../subgraphs/support/routing/first-responses';
import { inEnglish } from '../support/english';

const at = (iso: string) => new Date(iso);
const weekdays = 'Mo-Fr 08:00-17:00; PH off';
const berlin = { businessHours: weekdays, timeZone: 'Europe/Berlin', country: 'DE' };

describe('businessHoursLater: the instant a number of business hours has passed', () => {
  test('within one opening: the same day', () => {
    // Tuesday 10:00 in Berlin.
    expect(businessHoursLater(berlin, at('2026-11-24T09:00:00Z'), 4)).toBe('2026-11-24T14:00:00+01:00');
    expect(businessHoursLater(berlin, at('2026-11-24T09:00:00Z'), 0.25)).toBe('2026-11-24T10:15:00+01:00');
  });

  test('ending exactly at closing time counts as that day', () => {
    expect(businessHoursLater(berlin, at('2026-11-27T12:00:00Z'), 4)).toBe('2026-11-27T17:00:00+01:00');
  });

  test('across a weekend: Friday afternoon continues on Monday morning', () => {
    // Friday 15:00: two hours on Friday, two on Monday.
    expect(businessHoursLater(berlin, at('2026-11-27T14:00:00Z'), 4)).toBe('2026-11-30T10:00:00+01:00');
  });

  test('across a public holiday of the provider’s country: Christmas Day is not counted', () => {
    // Thursday 24 December 15:00: two hours that day; Friday 25th is a holiday in Germany, then the weekend.
    expect(businessHoursLater(berlin, at('2026-12-24T14:00:00Z'), 4)).toBe('2026-12-28T10:00:00+01:00');
    // The same hours without "PH off" work on Christmas Day.
    expect(businessHoursLater({ ...berlin, businessHours: 'Mo-Fr 08:00-17:00' }, at('2026-12-24T14:00:00Z'), 4)).toBe('2026-12-25T10:00:00+01:00');
  });

  test('requested outside hours: the count starts at the next opening', () => {
    // Tuesday 20:00 and Sunday noon.
    expect(businessHoursLater(berlin, at('2026-11-24T19:00:00Z'), 4)).toBe('2026-11-25T12:00:00+01:00');
    expect(businessHoursLater(berlin, at('2026-11-29T11:00:00Z'), 9)).toBe('2026-11-30T17:00:00+01:00');
    // A lunch break is not counted either.
    const lunch = { ...berlin, businessHours: 'Mo-Fr 08:00-12:00,13:00-17:00' };
    expect(businessHoursLater(lunch, at('2026-11-24T10:00:00Z'), 2)).toBe('2026-11-24T14:00:00+01:00');
  });

  test("across a time-zone boundary: the provider's own calendar decides, whatever the day is in UTC", () => {
    const instant = at('2026-11-27T12:00:00Z'); // Friday 13:00 in Berlin, already Saturday 01:00 in Auckland
    expect(businessHoursLater(berlin, instant, 4)).toBe('2026-11-27T17:00:00+01:00');
    const auckland = { businessHours: 'Mo-Fr 08:00-17:00', timeZone: 'Pacific/Auckland', country: 'NZ' };
    expect(businessHoursLater(auckland, instant, 4)).toBe('2026-11-30T12:00:00+13:00');
  });

  test('across a daylight-saving change: open time is counted as it really passes', () => {
    // Berlin's clocks go back from 03:00 to 02:00 on 25 October 2026: the opening 01:00-05:00 lasts five hours.
    const night = { businessHours: 'Su 01:00-05:00', timeZone: 'Europe/Berlin', country: 'DE' };
    expect(businessHoursLater(night, at('2026-10-24T23:00:00Z'), 4.5)).toBe('2026-10-25T04:30:00+01:00');
  });

  test('no hours, no time zone, or holidays that cannot be told: null, never a guess', () => {
    const now = at('2026-11-24T09:00:00Z');
    expect(businessHoursLater({ ...berlin, businessHours: null }, now, 4)).toBeNull();
    expect(businessHoursLater({ ...berlin, timeZone: null }, now, 4)).toBeNull();
    // The package has no nationwide holiday table for GB (it needs a region).
    expect(businessHoursLater({ businessHours: weekdays, timeZone: 'Europe/London', country: 'GB' }, now, 4)).toBeNull();
    // Hours that never open within a year.
    expect(businessHoursLater({ ...berlin, businessHours: 'off' }, now, 4)).toBeNull();
  });

  test('around the clock: plain elapsed time', () => {
    expect(businessHoursLater({ ...berlin, businessHours: '24/7' }, at('2026-11-28T09:00:00Z'), 30)).toBe('2026-11-29T16:00:00+01:00');
  });
});

describe('firstResponses: one per contact, then per escalation provider', () => {
  const provider = (id: string, commitments: { category: SupportCategoryId; businessHours: number }[], hours: Partial<typeof berlin> = {}) => ({
    id,
    ...berlin,
    ...hours,
    firstResponseCommitments: commitments,
  });
  const now = at('2026-11-27T14:00:00Z'); // Friday 15:00 in Berlin

  test("each provider's commitment for the topic's category, in the route's order", () => {
    const distributor = provider('dist', [{ category: SupportCategoryId.TECHNICAL_SUPPORT, businessHours: 4 }]);
    const manufacturer = provider('ii', [
      { category: SupportCategoryId.TECHNICAL_SUPPORT, businessHours: 8 },
      { category: SupportCategoryId.SOFTWARE_MAINTENANCE, businessHours: 16 },
    ]);
    expect(firstResponses({ contacts: [distributor], escalation: [manufacturer] }, SupportCategoryId.TECHNICAL_SUPPORT, now)).toEqual([
      { provider: distributor, businessHours: 4, expectedBy: '2026-11-30T10:00:00+01:00' },
      { provider: manufacturer, businessHours: 8, expectedBy: '2026-11-30T14:00:00+01:00' },
    ]);
  });

  test('no commitment for the category, or no hours to count it in: said plainly as null', () => {
    const partner = provider('partner', [{ category: SupportCategoryId.USER_SUPPORT, businessHours: 4 }]);
    const withoutHours = provider('quiet', [{ category: SupportCategoryId.TECHNICAL_SUPPORT, businessHours: 4 }], { businessHours: null as never });
    expect(firstResponses({ contacts: [partner, withoutHours], escalation: [] }, SupportCategoryId.TECHNICAL_SUPPORT, now)).toEqual([
      { provider: partner, businessHours: null, expectedBy: null },
      { provider: withoutHours, businessHours: 4, expectedBy: null },
    ]);
  });
});

describe('what a provider may state', () => {
  test('the categories its roles serve', () => {
    expect(categoriesServed([ProviderRole.MANUFACTURER])).toEqual([SupportCategoryId.SOFTWARE_MAINTENANCE, SupportCategoryId.TECHNICAL_SUPPORT]);
    expect(categoriesServed([ProviderRole.DISTRIBUTOR, ProviderRole.SUPPORT_PARTNER])).toEqual([
      SupportCategoryId.TECHNICAL_SUPPORT,
      SupportCategoryId.USER_SUPPORT,
    ]);
  });

  test.each([
    [4, undefined],
    [0.25, undefined],
    [400, undefined],
    [0, 'must be more than 0 and at most 400 business hours (got 0)'],
    [-1, 'must be more than 0 and at most 400 business hours (got -1)'],
    [401, 'must be more than 0 and at most 400 business hours (got 401)'],
    [1.1, 'must be whole quarter hours, like 4, 1.5 or 0.25 (got 1.1)'],
    ['4', 'must be a number of business hours (got "4")'],
    [Number.NaN, 'must be a number of business hours (got NaN)'],
  ])('hours %p: %p', (value, problem) => {
    expect(inEnglish(firstResponseHoursProblem(value))).toBe(problem);
  });

  test('one per category, only categories served, stored in category order', () => {
    const tech = { category: SupportCategoryId.TECHNICAL_SUPPORT, businessHours: 4 };
    const users = { category: SupportCategoryId.USER_SUPPORT, businessHours: 8 };
    expect(inEnglish(commitmentProblems([tech, tech], [ProviderRole.DISTRIBUTOR]))).toEqual([
      { index: 1, field: 'category', reason: 'category repeats TECHNICAL_SUPPORT: one commitment per category' },
    ]);
    expect(inEnglish(commitmentProblems([users], [ProviderRole.DISTRIBUTOR]))).toEqual([
      { index: 0, field: 'category', reason: 'category USER_SUPPORT is not one its roles serve (DISTRIBUTOR serve TECHNICAL_SUPPORT)' },
    ]);
    expect(commitmentProblems([users, tech], [ProviderRole.SUPPORT_PARTNER, ProviderRole.DISTRIBUTOR])).toEqual([]);
    expect(inCategoryOrder([users, tech])).toEqual([tech, users]);
  });
});
