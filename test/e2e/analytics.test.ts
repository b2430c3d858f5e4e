/**
 * licenseStats and priceStats through the gateway on a small directory whose figures are counted
 * by hand below; the buckets come from GROUP BY queries (asserted on the recorded SQL).
 */
import { databaseUrl, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

const provider = (id: string, roles: string[], country: string, active: boolean, offers: unknown[] = []) => ({
  id,
  name: id,
  roles,
  active,
  country,
  serviceCountries: [country],
  languages: ['de'],
  offers,
});
const offer = (id: string, service: string, amount: string, currency: string, unit: string, validity: object = {}) => ({
  id,
  service,
  title: id,
  price: { amount, currency },
  unit,
  ...validity,
});
const license = (key: string, country: string, vendorId: string | null, status: string, maintenancePaidThrough: string | null) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'NETWORK',
  programVersion: '3.2',
  status,
  holder: { name: key, country, language: 'de', vatId: null },
  vendorId,
  supportPartnerId: null,
  maintenancePaidThrough,
});

const DIRECTORY = {
  providers: [
    provider('image-instruments', ['MANUFACTURER'], 'DE', true),
    provider('dist-a', ['DISTRIBUTOR'], 'DE', true, [
      offer('a-day', 'TRAINING', '100.00', 'EUR', 'PER_DAY'),
      offer('a-day-2', 'TRAINING', '300.00', 'EUR', 'PER_DAY'),
      offer('a-support', 'USER_SUPPORT', '80.00', 'EUR', 'PER_HOUR'),
    ]),
    provider('dist-b', ['DISTRIBUTOR'], 'AT', true, [
      offer('b-day', 'TRAINING', '200.00', 'EUR', 'PER_DAY'),
      offer('b-hour', 'TRAINING', '50.00', 'EUR', 'PER_HOUR'),
      offer('b-old', 'TRAINING', '10.00', 'EUR', 'PER_DAY', { validUntil: '2001-01-01' }),
    ]),
    provider('partner-ch', ['SUPPORT_PARTNER'], 'CH', true, [
      offer('ch-day', 'TRAINING', '400.00', 'CHF', 'PER_DAY'),
      offer('ch-day-2', 'TRAINING', '250.50', 'CHF', 'PER_DAY'),
    ]),
    provider('partner-off', ['SUPPORT_PARTNER'], 'DE', false, [offer('off-day', 'TRAINING', '1.00', 'EUR', 'PER_DAY')]),
  ],
  licenses: [
    license('L1', 'DE', 'dist-a', 'ACTIVE', '2999-12-31'),
    license('L2', 'DE', 'dist-a', 'ACTIVE', '2000-01-01'),
    license('L3', 'AT', 'dist-b', 'SUSPENDED', null),
    license('L4', 'AT', null, 'ACTIVE', '2999-12-31'),
    license('L5', 'DE', null, 'EXPIRED', null),
  ],
};

beforeAll(async () => {
  stack = await startTestStack({ directory: DIRECTORY });
});
afterAll(() => stack?.close());

async function data(query: string) {
  const { status, body } = await stack.graphql(query);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const chf = (amount: string) => ({ amount, currency: 'CHF' });

describe('licenseStats', () => {
  const BUCKET = 'vendor { id name } country status maintenancePaid count';

  test('no dimension: one bucket with the total', async () => {
    expect((await data(`{ licenseStats(groupBy: []) { ${BUCKET} } }`)).licenseStats).toEqual([
      { vendor: null, country: null, status: null, maintenancePaid: null, count: 5 },
    ]);
  });

  test('by vendor: bought directly is the null vendor; the vendor resolves to its provider', async () => {
    const buckets = (await data(`{ licenseStats(groupBy: [VENDOR]) { vendor { id name } count } }`)).licenseStats;
    expect(buckets).toEqual([
      { vendor: null, count: 2 },
      { vendor: { id: 'dist-a', name: 'dist-a' }, count: 2 },
      { vendor: { id: 'dist-b', name: 'dist-b' }, count: 1 },
    ]);
    expect(stack.statements.licenses.some((sql) => /group by/i.test(sql))).toBe(true);
  });

  test('by country and status', async () => {
    expect((await data(`{ licenseStats(groupBy: [COUNTRY, STATUS, COUNTRY]) { country status count } }`)).licenseStats).toEqual([
      { country: 'AT', status: 'ACTIVE', count: 1 },
      { country: 'AT', status: 'SUSPENDED', count: 1 },
      { country: 'DE', status: 'ACTIVE', count: 2 },
      { country: 'DE', status: 'EXPIRED', count: 1 },
    ]);
  });

  test('by maintenance paid through today (no date counts as unpaid)', async () => {
    expect((await data(`{ licenseStats(groupBy: [MAINTENANCE_PAID]) { maintenancePaid count } }`)).licenseStats).toEqual([
      { maintenancePaid: false, count: 3 },
      { maintenancePaid: true, count: 2 },
    ]);
  });

  test('an unknown dimension is a validation error naming it', async () => {
    const { status, body } = await stack.graphql('{ licenseStats(groupBy: [COLOUR]) { count } }');
    expect(status).toBe(400);
    expect(body.errors[0].message).toContain('COLOUR');
  });
});

describe('priceStats', () => {
  const BUCKET = 'country currency unit count min { amount currency } median { amount currency } max { amount currency }';

  test("per currency only: current offers of active providers (the expired offer and the inactive provider's are left out)", async () => {
    expect((await data(`{ priceStats(service: TRAINING, groupBy: []) { ${BUCKET} } }`)).priceStats).toEqual([
      // 250.50, 400.00: the lower middle of an even count
      { country: null, currency: 'CHF', unit: null, count: 2, min: chf('250.50'), median: chf('250.50'), max: chf('400.00') },
      // 50, 100, 200, 300
      { country: null, currency: 'EUR', unit: null, count: 4, min: eur('50.00'), median: eur('100.00'), max: eur('300.00') },
    ]);
    // The median is the database's: percentile_disc on PostgreSQL, row_number() over the group on SQLite.
    const median = databaseUrl ? /percentile_disc\(0\.5\) within group/i : /row_number\(\) over \(partition by/i;
    expect(stack.statements.providers.some((sql) => /group by/i.test(sql) && median.test(sql))).toBe(true);
  });

  test('by unit: an odd count has its middle price as the median', async () => {
    expect((await data(`{ priceStats(service: TRAINING, groupBy: [UNIT]) { currency unit count median { amount } } }`)).priceStats).toEqual([
      { currency: 'CHF', unit: 'PER_DAY', count: 2, median: { amount: '250.50' } },
      { currency: 'EUR', unit: 'PER_DAY', count: 3, median: { amount: '200.00' } },
      { currency: 'EUR', unit: 'PER_HOUR', count: 1, median: { amount: '50.00' } },
    ]);
  });

  test('by country and unit', async () => {
    expect(
      (
        await data(
          `{ priceStats(service: TRAINING, groupBy: [COUNTRY, UNIT]) { country currency unit count min { amount } median { amount } max { amount } } }`,
        )
      ).priceStats,
    ).toEqual([
      { country: 'AT', currency: 'EUR', unit: 'PER_DAY', count: 1, min: { amount: '200.00' }, median: { amount: '200.00' }, max: { amount: '200.00' } },
      { country: 'AT', currency: 'EUR', unit: 'PER_HOUR', count: 1, min: { amount: '50.00' }, median: { amount: '50.00' }, max: { amount: '50.00' } },
      { country: 'CH', currency: 'CHF', unit: 'PER_DAY', count: 2, min: { amount: '250.50' }, median: { amount: '250.50' }, max: { amount: '400.00' } },
      { country: 'DE', currency: 'EUR', unit: 'PER_DAY', count: 2, min: { amount: '100.00' }, median: { amount: '100.00' }, max: { amount: '300.00' } },
    ]);
  });

  test('a service nobody offers has no buckets', async () => {
    expect((await data(`{ priceStats(service: TECHNICAL_SUPPORT, groupBy: [COUNTRY]) { count } }`)).priceStats).toEqual([]);
  });
});
