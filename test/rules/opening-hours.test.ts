/**
 * Business hours in opening_hours syntax (lib/opening-hours.ts): what the
 * import accepts, and openNow / nextOpening in the provider's own time zone, at fixed instants,
 * directly and through the gateway.
 */
import { initORM, migrateToLatest } from '../../lib/orm';
import { importDirectory } from '../../app/directory/import-directory';
import { subgraphs } from '../../app/subgraphs';
import { businessHoursAt, businessHoursProblem } from '../../lib/opening-hours';
import { networkDirectory, providers } from '../fixtures/network';
import { dropTestSchemas, startTestStack, testDatabase, type TestStack } from '../support/stack';

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
    expect(businessHoursProblem(value)).toContain(message);
  });
});

describe('businessHoursAt: openNow and nextOpening in the provider\'s time zone', () => {
  const weekdays = 'Mo-Fr 08:00-17:00';

  it('is unknown without hours or without a time zone', () => {
    const now = at('2026-11-25T10:00:00Z');
    expect(businessHoursAt(provider(null, 'Europe/Berlin'), now)).toEqual({ openNow: null, nextOpening: null });
    expect(businessHoursAt(provider(weekdays, null), now)).toEqual({ openNow: null, nextOpening: null });
  });

  it('reads the hours on the provider\'s wall clock, not UTC: Auckland (UTC+13) is open while Los Angeles (UTC-8) is not', () => {
    // Tuesday 2026-11-24 20:30 UTC = Wednesday 09:30 in Auckland (NZDT) = Tuesday 12:30 in Los Angeles.
    const now = at('2026-11-24T20:30:00Z');
    expect(businessHoursAt(provider('Mo-Fr 08:00-12:00', 'Pacific/Auckland', 'NZ'), now)).toEqual({ openNow: true, nextOpening: '2026-11-26T08:00:00+13:00' });
    expect(businessHoursAt(provider('Mo-Fr 08:00-12:00', 'America/Los_Angeles', 'US'), now)).toEqual({ openNow: false, nextOpening: '2026-11-25T08:00:00-08:00' });
  });

  it('closed now: the next opening; open now: the one after this opening ends', () => {
    // Wednesday 2026-11-25, Berlin is UTC+1.
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T06:30:00Z'))).toEqual({ openNow: false, nextOpening: '2026-11-25T08:00:00+01:00' });
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T07:00:00Z'))).toEqual({ openNow: true, nextOpening: '2026-11-26T08:00:00+01:00' });
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-11-25T16:00:00Z'))).toEqual({ openNow: false, nextOpening: '2026-11-26T08:00:00+01:00' });
  });

  it('across the end of summer time: Friday evening CEST (UTC+2) to Monday morning CET (UTC+1)', () => {
    // Europe leaves summer time on Sunday 2026-10-25.
    expect(businessHoursAt(provider(weekdays, 'Europe/Berlin'), at('2026-10-23T16:00:00Z'))).toEqual({ openNow: false, nextOpening: '2026-10-26T08:00:00+01:00' });
  });

  it('across the start of summer time, far from UTC: Auckland goes from UTC+12 to UTC+13', () => {
    // New Zealand starts daylight time on Sunday 2026-09-27; Friday 2026-09-25 18:00 NZST is 06:00 UTC.
    expect(businessHoursAt(provider(weekdays, 'Pacific/Auckland', 'NZ'), at('2026-09-25T06:00:00Z'))).toEqual({ openNow: false, nextOpening: '2026-09-28T08:00:00+13:00' });
    // Still Friday 16:59 NZST: open.
    expect(businessHoursAt(provider(weekdays, 'Pacific/Auckland', 'NZ'), at('2026-09-25T04:59:00Z')).openNow).toBe(true);
  });

  it('an opening inside the hour summer time skips is read when the clock has moved on', () => {
    // Berlin's clocks jump from 02:00 to 03:00 on Sunday 2026-03-29: "02:30" that day is 03:30 CEST.
    expect(businessHoursAt(provider('Su 02:30-05:00', 'Europe/Berlin'), at('2026-03-28T12:00:00Z')).nextOpening).toBe('2026-03-29T03:30:00+02:00');
  });

  it('public holidays of the provider\'s home country: Christmas Day is closed in Germany, not in Japan', () => {
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

// ---- through the gateway ------------------------------------------------------------------------

const hoursOf: Record<string, [string, string]> = {
  ii: ['Mo-Fr 08:00-17:00; PH off', 'Europe/Berlin'],
  beta: ['Mo-Fr 09:00-12:00', 'America/New_York'],
};
const directory = () => {
  const file = networkDirectory();
  return {
    ...file,
    providers: providers.map((p) => (hoursOf[p.id] ? { ...p, businessHours: hoursOf[p.id][0], timeZone: hoursOf[p.id][1] } : p)),
  };
};

describe('through the gateway, at a fixed instant', () => {
  let stack: TestStack;
  // Wednesday 2026-11-25 14:30 UTC: 15:30 in Berlin (open), 09:30 in New York (open), then 17:30 UTC.
  let now = at('2026-11-25T14:30:00Z');
  beforeAll(async () => {
    stack = await startTestStack({ directory: directory(), clock: () => now });
  });
  afterAll(() => stack?.close());

  const ask = () =>
    stack.graphql(`{ providers { id businessHours timeZone openNow nextOpening } }`).then(({ status, body }) => {
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      return Object.fromEntries(body.data.providers.map((p: any) => [p.id, p]));
    });

  it('answers openNow and nextOpening per provider in its own time zone, and null without hours', async () => {
    now = at('2026-11-25T14:30:00Z');
    const answer = await ask();
    expect(answer.ii).toEqual({ id: 'ii', businessHours: 'Mo-Fr 08:00-17:00; PH off', timeZone: 'Europe/Berlin', openNow: true, nextOpening: '2026-11-26T08:00:00+01:00' });
    expect(answer.beta).toMatchObject({ openNow: true, nextOpening: '2026-11-26T09:00:00-05:00' });
    expect(answer.dora).toMatchObject({ businessHours: null, openNow: null, nextOpening: null });
  });

  it('computes them when asked, not when the directory snapshot was taken', async () => {
    now = at('2026-11-25T17:30:00Z'); // 18:30 in Berlin, 12:30 in New York: both closed now
    const answer = await ask();
    expect(answer.ii).toMatchObject({ openNow: false, nextOpening: '2026-11-26T08:00:00+01:00' });
    expect(answer.beta).toMatchObject({ openNow: false, nextOpening: '2026-11-26T09:00:00-05:00' });
  });

  it('the gateway\'s response cache does not keep answers that depend on the moment', async () => {
    // Anonymous, so both requests carry the same credentials and would share one cache entry.
    const query = `{ provider(id: "ii") { openNow } }`;
    now = at('2026-11-25T14:30:00Z');
    expect((await stack.graphql(query, undefined, null)).body).toEqual({ data: { provider: { openNow: true } } });
    now = at('2026-11-25T17:30:00Z');
    expect((await stack.graphql(query, undefined, null)).body).toEqual({ data: { provider: { openNow: false } } });
  });

  it('the import refuses business hours that do not parse, naming provider and field, and changes nothing', async () => {
    const bad = { providers: [{ ...providers[4], businessHours: 'Mon to Fri, 9 till 5' }] };
    const result = await importDirectory(bad, stack.orms);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { path: 'providers[0] (carla).businessHours', reason: expect.stringContaining('businessHours must be OpenStreetMap opening_hours syntax') },
    ]);
    const { body } = await stack.graphql(`{ provider(id: "carla") { businessHours openNow } }`);
    expect(body.data.provider).toEqual({ businessHours: null, openNow: null });
  });
});

// ---- the migration for values stored before the syntax was required -------------------------------

test('the business_hours_syntax migration clears stored values that do not parse and keeps those that do', async () => {
  const options = testDatabase('providers');
  const subgraph = subgraphs.providers;
  const orm = await initORM({ name: 'providers', entities: subgraph.entities, migrations: subgraph.migrations, ...options });
  try {
    const schema = orm.config.get('schema');
    if (schema && orm.config.get('clientUrl')) await orm.em.getConnection().execute(`create schema if not exists "${schema}"`);
    await orm.getMigrator().up({ to: 'Migration20261125044855_directory_invariants' });
    const insert = (id: string, hours: string) =>
      orm.em.getConnection().execute(
        `insert into "provider" ("id", "name", "roles", "active", "country", "service_countries", "languages", "business_hours") values (?, ?, '["SUPPORT_PARTNER"]', ?, 'DE', '["DE"]', '["de"]', ?)`,
        [id, id, true, hours],
      );
    await insert('free-text', 'weekdays 8-5, Fridays until noon');
    await insert('guessed', 'Mo-Do 9-16');
    await insert('parses', 'Mo-Fr 08:00-17:00');
    await migrateToLatest(orm);
    const rows = await orm.em.getConnection().execute(`select "id", "business_hours" from "provider" order by "id"`);
    expect(rows).toEqual([
      { id: 'free-text', business_hours: null },
      { id: 'guessed', business_hours: null },
      { id: 'parses', business_hours: 'Mo-Fr 08:00-17:00' },
    ]);
  } finally {
    await orm.close(true);
    await dropTestSchemas([options.pgSchema]);
  }
});
