/**
 * routingLoad (docs/guide.md "Analytics"): first contacts per support category, from grouped counts,
 * through the gateway for each kind of caller. The numbers are counted by hand on the demo directory
 * plus five licenses that exercise the routing rules (test/fixtures/demo-plus-five.ts).
 */
import { ADMIN, startTestStack, type TestStack } from '../support/stack';
import { ANONYMOUS, type Caller, demoPlusFive, HOLDER, OTHER_PROVIDER, RESELLER } from '../fixtures/demo-plus-five';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ directory: demoPlusFive() });
});
afterAll(() => stack?.close());

async function data(query: string, as: Caller) {
  const { status, body } = await stack.graphql(query, undefined, as);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** A provider's filter in the recorded SQL (placeholders: `?` on SQLite, `$n` on PostgreSQL). */
const ACCESS_FILTER = /where .*vendor_id.* = (\?|\$\d+) or .*support_partner_id.* = (\?|\$\d+)/i;

describe('routingLoad: first contacts per category, from grouped counts', () => {
  const LOAD = (category?: string) => `{ routingLoad${category ? `(category: ${category})` : ''} { category buckets { category provider { id } licenses } } }`;
  const bucket = (category: string, provider: string | null, licenses: number) => ({ category, provider: provider ? { id: provider } : null, licenses });

  test('technical support (Level 0), as an admin: 14 licenses in force, each counted once', async () => {
    const { routingLoad } = await data(LOAD('TECHNICAL_SUPPORT'), ADMIN);
    expect(routingLoad.category).toBe('TECHNICAL_SUPPORT');
    expect(routingLoad.buckets).toEqual([
      bucket('TECHNICAL_SUPPORT', 'image-instruments', 4), // bought directly: 0002, 0005, 0011; RL-US (inactive vendor, no distributor in US)
      bucket('TECHNICAL_SUPPORT', 'helvedent-demo', 3), // 0006, 0007, RL-CH
      bucket('TECHNICAL_SUPPORT', 'alpendent-demo', 2), // 0004; RL-NOTDIST (vendor not a distributor: AT's distributors by name)
      bucket('TECHNICAL_SUPPORT', 'nordkiefer-demo', 2), // 0001; 0003 (inactive vendor: DE's distributors, both speak de, by name)
      bucket('TECHNICAL_SUPPORT', 'dolomiti-demo', 1), // 0010 (0009 is expired)
      bucket('TECHNICAL_SUPPORT', 'wisla-demo', 1), // 0008, suspended but in force
      bucket('TECHNICAL_SUPPORT', 'zahnrad-demo', 1), // RL-TR: the only one speaking tr
    ]);
  });

  test('maintenance: the manufacturer for all 14; user support: only designated partners that come first', async () => {
    expect((await data(LOAD('SOFTWARE_MAINTENANCE'), ADMIN)).routingLoad.buckets).toEqual([bucket('SOFTWARE_MAINTENANCE', 'image-instruments', 14)]);
    expect((await data(LOAD('USER_SUPPORT'), ADMIN)).routingLoad.buckets).toEqual([
      bucket('USER_SUPPORT', null, 12), // no designated partner, or (RL-CH) one that does not serve the holder's country
      bucket('USER_SUPPORT', 'donau-demo', 1), // 0004
      bucket('USER_SUPPORT', 'leman-demo', 1), // 0006
    ]);
  });

  test('all categories at once, ordered by category; the provider resolves to its profile', async () => {
    const { routingLoad } = await data('{ routingLoad { category buckets { category provider { name } licenses } } }', ADMIN);
    expect(routingLoad.category).toBeNull();
    expect(routingLoad.buckets.map((b: { category: string }) => b.category)).toEqual([
      'SOFTWARE_MAINTENANCE',
      ...Array(7).fill('TECHNICAL_SUPPORT'),
      ...Array(3).fill('USER_SUPPORT'),
    ]);
    expect(routingLoad.buckets[0]).toEqual({ category: 'SOFTWARE_MAINTENANCE', provider: { name: 'Image Instruments GmbH' }, licenses: 14 });
  });

  test('per caller: only the licenses it may see are counted', async () => {
    expect((await data(LOAD('TECHNICAL_SUPPORT'), RESELLER)).routingLoad.buckets).toEqual([bucket('TECHNICAL_SUPPORT', 'helvedent-demo', 3)]);
    // nordkiefer-demo: 0001 (RL-EXPIRED, also its own, is not in force)
    expect((await data(LOAD(), OTHER_PROVIDER)).routingLoad.buckets).toEqual([
      bucket('SOFTWARE_MAINTENANCE', 'image-instruments', 1),
      bucket('TECHNICAL_SUPPORT', 'nordkiefer-demo', 1),
      bucket('USER_SUPPORT', null, 1),
    ]);
    expect((await data(LOAD('TECHNICAL_SUPPORT'), HOLDER)).routingLoad.buckets).toEqual([
      bucket('TECHNICAL_SUPPORT', 'helvedent-demo', 1),
      bucket('TECHNICAL_SUPPORT', 'nordkiefer-demo', 1),
      bucket('TECHNICAL_SUPPORT', 'zahnrad-demo', 1),
    ]);
    expect((await data(LOAD(), ANONYMOUS)).routingLoad.buckets).toEqual([]);
  });

  test('the counts come from GROUP BY queries filtered in SQL; no license row is read', async () => {
    stack.statements.licenses.length = 0;
    await data(LOAD(), RESELLER);
    const statements = stack.statements.licenses.filter((sql) => /from \S*license\b/i.test(sql));
    expect(statements).toHaveLength(3);
    for (const sql of statements) {
      expect(sql).toMatch(/count\(\*\)/i);
      expect(sql).toMatch(/group by/i);
      expect(sql).toMatch(ACCESS_FILTER);
    }
  });

  test('the groups behind the buckets: one per vendor (facts fetched once), counts per holder country and language', async () => {
    const { routingLoad } = await data(
      '{ routingLoad(category: TECHNICAL_SUPPORT) { groups { vendor { id active } licenses holders { country language licenses } } } }',
      RESELLER,
    );
    expect(routingLoad.groups).toEqual([
      {
        vendor: { id: 'helvedent-demo', active: true },
        licenses: 3,
        holders: [
          { country: 'CH', language: 'de', licenses: 2 },
          { country: 'CH', language: 'fr', licenses: 1 },
        ],
      },
    ]);
    const all = (await data('{ routingLoad(category: TECHNICAL_SUPPORT) { groups { vendor { id } licenses } } }', ADMIN)).routingLoad.groups;
    expect(all.map((g: { vendor: { id: string } | null }) => g.vendor?.id ?? null)).toEqual([
      null,
      'alpendent-demo',
      'dolomiti-demo',
      'donau-demo',
      'helvedent-demo',
      'nordkiefer-demo',
      'rheinbogen-demo',
      'wisla-demo',
    ]);
    expect(all.reduce((sum: number, g: { licenses: number }) => sum + g.licenses, 0)).toBe(14);
  });

  test('a category that does not exist is a validation error naming it', async () => {
    const { status, body } = await stack.graphql('{ routingLoad(category: SUPPORT) { buckets { licenses } } }');
    expect(status).toBe(400);
    expect(body.errors[0].message).toContain('SUPPORT');
  });
});
