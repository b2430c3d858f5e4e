/**
 * openNow and nextOpening through the gateway at a fixed instant (the rules themselves:
 * test/rules/opening-hours.test.ts); answers with them are not kept by the response cache.
 */
import { importDirectory } from '../../app/directory/import-directory';
import { networkDirectory, providers } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';
import { inEnglish } from '../support/english';

const at = (iso: string) => new Date(iso);

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
    expect(answer.ii).toEqual({
      id: 'ii',
      businessHours: 'Mo-Fr 08:00-17:00; PH off',
      timeZone: 'Europe/Berlin',
      openNow: true,
      nextOpening: '2026-11-26T08:00:00+01:00',
    });
    expect(answer.beta).toMatchObject({ openNow: true, nextOpening: '2026-11-26T09:00:00-05:00' });
    expect(answer.dora).toMatchObject({ businessHours: null, openNow: null, nextOpening: null });
  });

  it('computes them when asked, not when the directory snapshot was taken', async () => {
    now = at('2026-11-25T17:30:00Z'); // 18:30 in Berlin, 12:30 in New York: both closed now
    const answer = await ask();
    expect(answer.ii).toMatchObject({ openNow: false, nextOpening: '2026-11-26T08:00:00+01:00' });
    expect(answer.beta).toMatchObject({ openNow: false, nextOpening: '2026-11-26T09:00:00-05:00' });
  });

  it("the gateway's response cache does not keep answers that depend on the moment", async () => {
    // Anonymous, so both requests carry the same credentials and would share one cache entry.
    const query = `{ provider(id: "ii") { openNow } }`;
    now = at('2026-11-25T14:30:00Z');
    expect((await stack.graphql(query, undefined, null)).body).toEqual({ data: { provider: { openNow: true } } });
    now = at('2026-11-25T17:30:00Z');
    expect((await stack.graphql(query, undefined, null)).body).toEqual({ data: { provider: { openNow: false } } });
  });

  it('openingPreview: the same answer as openNow and nextOpening for hours not saved, and the same refusal as updateProvider', async () => {
    const preview = `query ($hours: String!, $zone: String!) { openingPreview(businessHours: $hours, timeZone: $zone, country: "DE") { businessHours timeZone openNow nextOpening } }`;
    now = at('2026-11-25T14:30:00Z');
    const saved = (await ask()).ii;
    const { body } = await stack.graphql(preview, { hours: ' Mo-Fr 08:00-17:00; PH off ', zone: 'Europe/Berlin' }, null);
    expect(body).toEqual({ data: { openingPreview: { ...saved, id: undefined } } });
    now = at('2026-11-25T17:30:00Z'); // asked afresh, never from the response cache
    const later = (await stack.graphql(preview, { hours: 'Mo-Fr 08:00-17:00; PH off', zone: 'Europe/Berlin' }, null)).body.data.openingPreview;
    expect(later).toMatchObject({ openNow: false, nextOpening: '2026-11-26T08:00:00+01:00' });

    const wrong = (await stack.graphql(preview, { hours: 'Mo-Fr 25:00-17:00', zone: 'Europe/Berlin' }, null)).body.errors[0];
    expect(wrong.extensions.code).toBe('BAD_USER_INPUT');
    expect(wrong.message).toMatch(/^businessHours must be OpenStreetMap opening_hours syntax like "Mo-Fr 08:00-17:00; PH off" \(got "Mo-Fr 25:00-17:00": /);
    const update = (
      await stack.graphql(
        `mutation { updateProvider(id: "ii", version: 1, input: { businessHours: "Mo-Fr 25:00-17:00" }) { id } }`,
        {},
        {
          sub: 'ii-staff',
          role: 'provider',
          provider: 'ii',
        },
      )
    ).body.errors[0];
    expect(update.message).toBe(`input.${wrong.message}`);
    const zone = (await stack.graphql(preview, { hours: 'Mo-Fr 08:00-17:00', zone: 'Berlin' }, null)).body.errors[0];
    expect(zone).toMatchObject({
      message: expect.stringMatching(/^timeZone must be an IANA time zone like "Europe\/Berlin"/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('the import refuses business hours that do not parse, naming provider and field, and changes nothing', async () => {
    const bad = { providers: [{ ...providers[4], businessHours: 'Mon to Fri, 9 till 5' }] };
    const result = await importDirectory(bad, stack.orms);
    expect(result.ok).toBe(false);
    expect(!result.ok && inEnglish(result.problems)).toEqual([
      { path: 'providers[0] (carla).businessHours', reason: expect.stringContaining('businessHours must be OpenStreetMap opening_hours syntax') },
    ]);
    const { body } = await stack.graphql(`{ provider(id: "carla") { businessHours openNow } }`);
    expect(body.data.provider).toEqual({ businessHours: null, openNow: null });
  });
});
