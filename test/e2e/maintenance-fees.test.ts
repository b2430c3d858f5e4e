/**
 * Maintenance fees (docs/rules.md, "Maintenance fee and VAT") through the gateway: every figure below is
 * computed by hand from EUR 99.00 net and the rates of seed/vat-rates.json.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

/** The demo directory plus holders the demo lacks: Finland (a rate change in 2024), reverse charge, countries outside the EU (Japan; the United Kingdom after 2020-01-31), a supplier outside the EU. */
function directory() {
  const demo = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  const license = (key: string, country: string, vatId: string | null, vendorId: string | null = null) => ({
    key,
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    status: 'ACTIVE',
    holder: { name: `Praxis ${key}`, country, language: 'en', vatId },
    vendorId,
    supportPartnerId: null,
    maintenancePaidThrough: null,
  });
  demo.licenses.push(
    license('FEE-FI', 'FI', null),
    license('FEE-AT-VAT', 'AT', 'ATU99999999'),
    license('FEE-JP', 'JP', null),
    // A Swiss reseller (outside the EU) billing a German practice that has a VAT id.
    license('FEE-DE-FROM-CH', 'DE', 'DE999999999', 'helvedent-demo'),
    // Customers anywhere: an Austrian reseller's practices in Japan and in the United Kingdom.
    license('FEE-JP-FROM-AT', 'JP', null, 'alpendent-demo'),
    license('FEE-GB-FROM-AT', 'GB', null, 'alpendent-demo'),
    license('FEE-GB-VAT-FROM-AT', 'GB', 'GB999999973', 'alpendent-demo'),
  );
  return demo;
}

beforeAll(async () => {
  stack = await startTestStack({ directory: directory() });
});
afterAll(() => stack?.close());

const LINE =
  'licenseKey year net { amount currency } vatRate vat { amount currency } gross { amount currency } reverseCharge billedBy { id name } supplierCountry customerCountry';

async function fee(key: string, year: number) {
  const { status, body } = await stack.graphql(`query($key: ID!, $year: Int!) { license(key: $key) { maintenanceFee(year: $year) { ${LINE} } } }`, {
    key,
    year,
  });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.license.maintenanceFee;
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe('License.maintenanceFee', () => {
  test('domestic: a German reseller that is an active distributor bills a German practice 19 %', async () => {
    expect(await fee('OC3-DEMO-0001', 2026)).toEqual({
      licenseKey: 'OC3-DEMO-0001',
      year: 2026,
      net: eur('99.00'),
      vatRate: '0.19',
      vat: eur('18.81'),
      gross: eur('117.81'),
      reverseCharge: false,
      billedBy: { id: 'nordkiefer-demo', name: expect.any(String) },
      supplierCountry: 'DE',
      customerCountry: 'DE',
    });
  });

  test('bought directly: the manufacturer bills; an inactive reseller no longer bills', async () => {
    expect(await fee('OC3-DEMO-0002', 2026)).toMatchObject({ billedBy: { id: 'image-instruments' }, vatRate: '0.19', gross: eur('117.81') });
    expect(await fee('OC3-DEMO-0003', 2026)).toMatchObject({ billedBy: { id: 'image-instruments' }, supplierCountry: 'DE', gross: eur('117.81') });
  });

  test('reseller vs direct in Austria: the Austrian reseller bills 20 % domestically; the German manufacturer bills a holder without VAT id the Austrian 20 %', async () => {
    expect(await fee('OC3-DEMO-0004', 2026)).toMatchObject({
      billedBy: { id: 'alpendent-demo' },
      supplierCountry: 'AT',
      customerCountry: 'AT',
      vatRate: '0.20',
      vat: eur('19.80'),
      gross: eur('118.80'),
      reverseCharge: false,
    });
    expect(await fee('OC3-DEMO-0005', 2026)).toMatchObject({
      billedBy: { id: 'image-instruments' },
      supplierCountry: 'DE',
      customerCountry: 'AT',
      vatRate: '0.20',
      vat: eur('19.80'),
      reverseCharge: false,
    });
  });

  test('reverse charge: German manufacturer, Austrian holder with a VAT id: no VAT, flagged', async () => {
    expect(await fee('FEE-AT-VAT', 2026)).toMatchObject({
      supplierCountry: 'DE',
      customerCountry: 'AT',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: true,
    });
  });

  test("supplier outside the EU, customer in the EU with a VAT id: no reverse charge, the customer country's 19 %", async () => {
    expect(await fee('FEE-DE-FROM-CH', 2026)).toMatchObject({
      billedBy: { id: 'helvedent-demo' },
      supplierCountry: 'CH',
      customerCountry: 'DE',
      vatRate: '0.19',
      vat: eur('18.81'),
      gross: eur('117.81'),
      reverseCharge: false,
    });
  });

  test('outside the EU: the German manufacturer bills a US practice no VAT', async () => {
    expect(await fee('OC3-DEMO-0011', 2026)).toMatchObject({
      supplierCountry: 'DE',
      customerCountry: 'US',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: false,
    });
  });

  test('a rate change in the table: Swiss 7.7 % until 2023, 8.1 % from 2024 (99 × 0.081 = 8.019 → 8.02)', async () => {
    expect(await fee('OC3-DEMO-0006', 2023)).toMatchObject({ billedBy: { id: 'helvedent-demo' }, vatRate: '0.077', vat: eur('7.62'), gross: eur('106.62') });
    expect(await fee('OC3-DEMO-0006', 2024)).toMatchObject({ vatRate: '0.081', vat: eur('8.02'), gross: eur('107.02') });
  });

  test('Finland 24 % on 1 January 2024, 25.5 % from September 2024: half-up 99 × 0.255 = 25.245 → 25.25', async () => {
    expect(await fee('FEE-FI', 2024)).toMatchObject({ vatRate: '0.24', vat: eur('23.76'), gross: eur('122.76') });
    expect(await fee('FEE-FI', 2025)).toMatchObject({ vatRate: '0.255', vat: eur('25.25'), gross: eur('124.25') });
  });

  test('customers anywhere: a country the table has no rate for is outside the EU, no VAT (Japan, billed by an Austrian reseller)', async () => {
    expect(await fee('FEE-JP-FROM-AT', 2026)).toMatchObject({
      billedBy: { id: 'alpendent-demo' },
      supplierCountry: 'AT',
      customerCountry: 'JP',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: false,
    });
    // The German manufacturer bills a Japanese practice directly: no VAT either.
    expect(await fee('FEE-JP', 2026)).toMatchObject({ billedBy: { id: 'image-instruments' }, vatRate: '0', gross: eur('99.00') });
  });

  test('EU membership is dated: a British practice paid the British 20 % (or reverse charge) while the UK was a member, nothing after it left on 2020-01-31', async () => {
    expect(await fee('FEE-GB-FROM-AT', 2020)).toMatchObject({
      supplierCountry: 'AT',
      customerCountry: 'GB',
      vatRate: '0.20',
      vat: eur('19.80'),
      gross: eur('118.80'),
      reverseCharge: false,
    });
    expect(await fee('FEE-GB-VAT-FROM-AT', 2020)).toMatchObject({ vatRate: '0', gross: eur('99.00'), reverseCharge: true });
    expect(await fee('FEE-GB-FROM-AT', 2021)).toMatchObject({ vatRate: '0', vat: eur('0.00'), gross: eur('99.00'), reverseCharge: false });
    expect(await fee('FEE-GB-VAT-FROM-AT', 2021)).toMatchObject({ vatRate: '0', gross: eur('99.00'), reverseCharge: false });
    // Finland joined in 1995: in 1990 a Finnish practice was outside the EU.
    expect(await fee('FEE-FI', 1990)).toMatchObject({ vatRate: '0', reverseCharge: false });
  });

  test('an EU member without a rate on the date is an explicit error, never zero', async () => {
    const { status, body } = await stack.graphql('{ license(key: "OC3-DEMO-0001") { maintenanceFee(year: 2000) { vat { amount } } } }');
    expect(status).toBe(200);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('"DE" on 2000-01-01'), extensions: { code: 'VAT_RATE_UNKNOWN' } });
    expect(body.data?.license ?? null).toBeNull();
  });

  test('a year that is no calendar year is BAD_USER_INPUT', async () => {
    const { body } = await stack.graphql('{ license(key: "OC3-DEMO-0001") { maintenanceFee(year: 0) { licenseKey } } }');
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('year 0'), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('maintenanceQuote', () => {
  test('several licenses: a line each in the order asked, totals the sum of the rounded lines', async () => {
    const { body } = await stack.graphql(
      `{ maintenanceQuote(licenseKeys: ["OC3-DEMO-0006", "OC3-DEMO-0001", "OC3-DEMO-0011", "FEE-FI", "OC3-DEMO-0006"], year: 2025) { lines { licenseKey gross { amount currency } billedBy { id } } totals { amount currency } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.maintenanceQuote.lines).toEqual([
      { licenseKey: 'OC3-DEMO-0006', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } },
      { licenseKey: 'OC3-DEMO-0001', gross: eur('117.81'), billedBy: { id: 'nordkiefer-demo' } },
      { licenseKey: 'OC3-DEMO-0011', gross: eur('99.00'), billedBy: { id: 'image-instruments' } },
      { licenseKey: 'FEE-FI', gross: eur('124.25'), billedBy: { id: 'image-instruments' } },
    ]);
    // 107.02 + 117.81 + 99.00 + 124.25
    expect(body.data.maintenanceQuote.totals).toEqual([eur('448.08')]);
  });

  test('an empty quote has no lines and no totals; an unknown key is NOT_FOUND naming it', async () => {
    const empty = await stack.graphql('{ maintenanceQuote(licenseKeys: [], year: 2025) { lines { licenseKey } totals { amount } } }');
    expect(empty.body.data.maintenanceQuote).toEqual({ lines: [], totals: [] });
    const unknown = await stack.graphql('{ maintenanceQuote(licenseKeys: ["OC3-DEMO-0001", "NOPE-1"], year: 2025) { totals { amount } } }');
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('"NOPE-1"'), extensions: { code: 'NOT_FOUND' } });
  });
});

describe('resellerStatement', () => {
  const STATEMENT = 'provider { id } year lines { licenseKey gross { amount currency } billedBy { id } } remitToManufacturer { amount currency }';

  test("a Swiss reseller's statement lists the licenses it sold, each with its own VAT, and remits EUR 99.00 net each", async () => {
    const { body } = await stack.graphql(`{ resellerStatement(providerId: "helvedent-demo", year: 2024) { ${STATEMENT} } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.resellerStatement).toEqual({
      provider: { id: 'helvedent-demo' },
      year: 2024,
      lines: [
        { licenseKey: 'FEE-DE-FROM-CH', gross: eur('117.81'), billedBy: { id: 'helvedent-demo' } }, // DE 19 %
        { licenseKey: 'OC3-DEMO-0006', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } }, // CH 8.1 %
        { licenseKey: 'OC3-DEMO-0007', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } },
      ],
      remitToManufacturer: eur('297.00'),
    });
  });

  test("the Austrian reseller's statement and a quote answer with its Japanese and British practices (no VAT outside the EU)", async () => {
    const { body } = await stack.graphql(`{ resellerStatement(providerId: "alpendent-demo", year: 2026) { lines { licenseKey vatRate gross { amount } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.resellerStatement.lines).toEqual(
      expect.arrayContaining([
        { licenseKey: 'FEE-JP-FROM-AT', vatRate: '0', gross: { amount: '99.00' } },
        { licenseKey: 'FEE-GB-FROM-AT', vatRate: '0', gross: { amount: '99.00' } },
      ]),
    );
    const quote = await stack.graphql(
      '{ maintenanceQuote(licenseKeys: ["FEE-JP-FROM-AT", "OC3-DEMO-0004"], year: 2026) { lines { licenseKey gross { amount } } totals { amount currency } } }',
    );
    expect(quote.body.errors).toBeUndefined();
    // 99.00 (Japan) + 118.80 (Austria, 20 %)
    expect(quote.body.data.maintenanceQuote.totals).toEqual([eur('217.80')]);
  });

  test('an expired license owes no maintenance; an inactive reseller bills nothing (the manufacturer does)', async () => {
    const dolomiti = await stack.graphql(`{ resellerStatement(providerId: "dolomiti-demo", year: 2026) { ${STATEMENT} } }`);
    expect(dolomiti.body.data.resellerStatement.lines).toEqual([{ licenseKey: 'OC3-DEMO-0010', gross: eur('120.78'), billedBy: { id: 'dolomiti-demo' } }]);
    expect(dolomiti.body.data.resellerStatement.remitToManufacturer).toEqual(eur('99.00'));
    const rheinbogen = await stack.graphql(`{ resellerStatement(providerId: "rheinbogen-demo", year: 2026) { ${STATEMENT} } }`);
    expect(rheinbogen.body.data.resellerStatement).toMatchObject({ lines: [], remitToManufacturer: eur('0.00') });
  });
});
