/**
 * Fees and figures under the access matrix (docs/rules.md "Who may see and change what"), through the
 * gateway, for each kind of caller: an admin, the reseller (helvedent-demo), another provider
 * (nordkiefer-demo), a holder and an anonymous caller. Also routingLoad's numbers, counted by hand
 * below from the demo directory plus five licenses that exercise the routing rules.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { ADMIN, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

const license = (key: string, country: string, language: string, vendorId: string | null, supportPartnerId: string | null, status = 'ACTIVE') => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'WORKSTATION',
  programVersion: '3.2',
  status,
  holder: { name: `Praxis ${key}`, country, language, vatId: null },
  vendorId,
  supportPartnerId,
  maintenancePaidThrough: null,
});

function directory() {
  const demo = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  demo.licenses.push(
    // Inactive vendor, a Turkish-speaking practice: of DE's active distributors only Zahnrad speaks tr.
    license('RL-TR', 'DE', 'tr', 'rheinbogen-demo', null),
    // Inactive vendor, and no distributor serves the US: the manufacturer.
    license('RL-US', 'US', 'en', 'rheinbogen-demo', null),
    // The vendor is active but no distributor (a support partner): AT's distributors by name, Alpendent first.
    license('RL-NOTDIST', 'AT', 'de', 'donau-demo', null),
    // A designated partner that does not serve the holder's country (Mundwerk: DE only) is not first.
    license('RL-CH', 'CH', 'de', 'helvedent-demo', 'mundwerk-demo'),
    // Expired: no routing load, and no statement line.
    license('RL-EXPIRED', 'DE', 'de', 'nordkiefer-demo', null, 'EXPIRED'),
  );
  return demo;
}

beforeAll(async () => {
  stack = await startTestStack({ directory: directory() });
});
afterAll(() => stack?.close());

const RESELLER = { sub: 'helvedent', role: 'provider', provider: 'helvedent-demo' };
const OTHER_PROVIDER = { sub: 'nordkiefer', role: 'provider', provider: 'nordkiefer-demo' };
const HOLDER = { sub: 'praxis-6', role: 'holder', licenses: ['OC3-DEMO-0006', 'OC3-DEMO-0003', 'RL-TR'] };
const ANONYMOUS = null;
type Caller = typeof ADMIN | typeof RESELLER | typeof HOLDER | null;

async function ask(query: string, as: Caller) {
  const { status, body } = await stack.graphql(query, undefined, as);
  expect(status).toBe(200);
  return body;
}

async function data(query: string, as: Caller) {
  const body = await ask(query, as);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** A provider's filter in the recorded SQL (placeholders: `?` on SQLite, `$n` on PostgreSQL). */
const ACCESS_FILTER = /where .*vendor_id.* = (\?|\$\d+) or .*support_partner_id.* = (\?|\$\d+)/i;

describe('License.maintenanceFee follows the license it belongs to', () => {
  const FEE = (key: string) => `{ license(key: "${key}") { maintenanceFee(year: 2026) { licenseKey gross { amount currency } billedBy { id } } } }`;
  const line = { licenseKey: 'OC3-DEMO-0006', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } };

  test.each([
    ['an admin', ADMIN],
    ['the reseller that sold it', RESELLER],
    ['its designated support partner', { sub: 'leman', role: 'provider', provider: 'leman-demo' }],
    ['its holder', HOLDER],
  ])('%s sees the fee line', async (_who, as) => {
    expect((await data(FEE('OC3-DEMO-0006'), as)).license).toEqual({ maintenanceFee: line });
  });

  test.each([
    ['another provider', OTHER_PROVIDER],
    ['another holder', { sub: 'praxis-1', role: 'holder', licenses: ['OC3-DEMO-0001'] }],
    ['an anonymous caller', ANONYMOUS],
  ])('%s gets what a missing license gets', async (_who, as) => {
    const hidden = await ask(FEE('OC3-DEMO-0006'), as);
    const missing = await ask(FEE('NO-SUCH-LICENSE'), ADMIN);
    expect(hidden).toEqual(missing);
    expect(hidden).toEqual({ data: { license: null } });
  });
});

describe('maintenanceQuote', () => {
  const QUOTE = (keys: string[]) =>
    `{ maintenanceQuote(licenseKeys: ${JSON.stringify(keys)}, year: 2026) { lines { licenseKey gross { amount } billedBy { id } } totals { amount currency } } }`;

  test('the reseller and an admin get the lines of the licenses it sold (CH 8.1 %: 107.02 each)', async () => {
    const expected = {
      lines: [
        { licenseKey: 'OC3-DEMO-0006', gross: { amount: '107.02' }, billedBy: { id: 'helvedent-demo' } },
        { licenseKey: 'OC3-DEMO-0007', gross: { amount: '107.02' }, billedBy: { id: 'helvedent-demo' } },
      ],
      totals: [eur('214.04')],
    };
    expect((await data(QUOTE(['OC3-DEMO-0006', 'OC3-DEMO-0007']), ADMIN)).maintenanceQuote).toEqual(expected);
    expect((await data(QUOTE(['OC3-DEMO-0006', 'OC3-DEMO-0007']), RESELLER)).maintenanceQuote).toEqual(expected);
  });

  test.each([
    ['the holder, for a license not its own', HOLDER, 'OC3-DEMO-0007'],
    ['another provider', OTHER_PROVIDER, 'OC3-DEMO-0007'],
    ['the reseller, for a license it did not sell', RESELLER, 'OC3-DEMO-0001'],
    ['an anonymous caller', ANONYMOUS, 'OC3-DEMO-0001'],
  ])('%s: a key it may not see is exactly a missing key', async (_who, as, hiddenKey) => {
    const hidden = await ask(QUOTE([hiddenKey]), as);
    const missing = await ask(QUOTE(['NOPE-0001']), ADMIN);
    expect(hidden.errors?.[0]).toMatchObject({ message: `License "${hiddenKey}" not found`, extensions: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(hidden).replaceAll(hiddenKey, 'KEY')).toBe(JSON.stringify(missing).replaceAll('NOPE-0001', 'KEY'));
  });

  test('the holder quotes its own licenses; an anonymous caller may ask for nothing', async () => {
    expect((await data(QUOTE(['OC3-DEMO-0006']), HOLDER)).maintenanceQuote.totals).toEqual([eur('107.02')]);
    expect((await data(QUOTE([]), ANONYMOUS)).maintenanceQuote).toEqual({ lines: [], totals: [] });
  });
});

describe('resellerStatement: the reseller and admins only', () => {
  const STATEMENT =
    '{ resellerStatement(providerId: "helvedent-demo", year: 2026) { provider { id } lines { licenseKey gross { amount } } remitToManufacturer { amount currency } } }';
  const expected = {
    provider: { id: 'helvedent-demo' },
    lines: [
      { licenseKey: 'OC3-DEMO-0006', gross: { amount: '107.02' } },
      { licenseKey: 'OC3-DEMO-0007', gross: { amount: '107.02' } },
      { licenseKey: 'RL-CH', gross: { amount: '107.02' } },
    ],
    remitToManufacturer: eur('297.00'),
  };

  test.each([
    ['an admin', ADMIN],
    ['the reseller itself', RESELLER],
  ])('%s sees it', async (_who, as) => {
    expect((await data(STATEMENT, as)).resellerStatement).toEqual(expected);
  });

  test.each([
    ['another provider', OTHER_PROVIDER],
    ["a holder of the reseller's license", HOLDER],
  ])('%s is FORBIDDEN', async (_who, as) => {
    const body = await ask(STATEMENT, as);
    expect(body.data ?? null).toBeNull(); // the gateway leaves data out when the root field fails
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'The reseller statement of "helvedent-demo" is only for that reseller or an admin',
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
  });

  test('an anonymous caller is UNAUTHENTICATED', async () => {
    const body = await ask(STATEMENT, ANONYMOUS);
    expect(body.data ?? null).toBeNull(); // the gateway leaves data out when the root field fails
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('sign in'), extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
  });
});

describe('licenseStats counts only the licenses the caller may see', () => {
  const TOTAL = '{ licenseStats(groupBy: []) { count } }';
  const BY_VENDOR = '{ licenseStats(groupBy: [VENDOR]) { vendor { id } count } }';

  test('an admin: all 16 (11 demo + 5)', async () => {
    expect((await data(TOTAL, ADMIN)).licenseStats).toEqual([{ count: 16 }]);
  });

  test('the reseller: the three it sold', async () => {
    expect((await data(BY_VENDOR, RESELLER)).licenseStats).toEqual([{ vendor: { id: 'helvedent-demo' }, count: 3 }]);
  });

  test('another provider: what it sold (two, one expired)', async () => {
    expect((await data(BY_VENDOR, OTHER_PROVIDER)).licenseStats).toEqual([{ vendor: { id: 'nordkiefer-demo' }, count: 2 }]);
  });

  test('a support partner: the licenses it is designated for, whoever sold them', async () => {
    expect((await data(BY_VENDOR, { sub: 'donau', role: 'provider', provider: 'donau-demo' })).licenseStats).toEqual([
      { vendor: { id: 'alpendent-demo' }, count: 1 }, // OC3-DEMO-0004, designated
      { vendor: { id: 'donau-demo' }, count: 1 }, // RL-NOTDIST, sold
    ]);
  });

  test('a holder: its own three', async () => {
    expect((await data(BY_VENDOR, HOLDER)).licenseStats).toEqual([
      { vendor: { id: 'helvedent-demo' }, count: 1 },
      { vendor: { id: 'rheinbogen-demo' }, count: 2 },
    ]);
  });

  test('anonymous: a total of 0 and no buckets, as `licenses` is empty', async () => {
    expect((await data(TOTAL, ANONYMOUS)).licenseStats).toEqual([{ count: 0 }]);
    expect((await data(BY_VENDOR, ANONYMOUS)).licenseStats).toEqual([]);
    expect((await data('{ licenses { totalCount } }', ANONYMOUS)).licenses).toEqual({ totalCount: 0 });
  });

  test('the access filter is part of the GROUP BY query, not applied in Node', async () => {
    stack.statements.licenses.length = 0;
    // A selection not asked before, so the gateway's response cache cannot answer it.
    expect((await data('{ licenseStats(groupBy: [VENDOR]) { count } }', RESELLER)).licenseStats).toEqual([{ count: 3 }]);
    const grouped = stack.statements.licenses.filter((sql) => /group by/i.test(sql));
    expect(grouped).toHaveLength(1);
    expect(grouped[0]).toMatch(ACCESS_FILTER);
  });
});

describe('priceStats is public', () => {
  test('an anonymous caller gets the same figures as an admin', async () => {
    const query = '{ priceStats(service: TRAINING, groupBy: [UNIT]) { currency unit count median { amount } } }';
    const anonymous = (await data(query, ANONYMOUS)).priceStats;
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous).toEqual((await data(query, ADMIN)).priceStats);
  });
});

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
