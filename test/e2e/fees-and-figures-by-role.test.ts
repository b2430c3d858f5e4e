/**
 * Fees and figures under the access matrix (docs/rules.md "Who may see and change what"), through the
 * gateway, for each kind of caller: an admin, the reseller (helvedent-demo), another provider
 * (nordkiefer-demo), a holder and an anonymous caller, on the demo directory plus five licenses
 * (test/fixtures/demo-plus-five.ts). routingLoad's numbers are in routing-load.test.ts.
 */
import { ADMIN, startTestStack, type TestStack } from '../support/stack';
import { ANONYMOUS, type Caller, demoPlusFive, HOLDER, OTHER_PROVIDER, RESELLER } from '../fixtures/demo-plus-five';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ directory: demoPlusFive() });
});
afterAll(() => stack?.close());

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
