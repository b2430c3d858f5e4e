/**
 * Maintenance fees (docs/rules.md, "Maintenance fee and VAT") and maintenance payments (docs/rules.md,
 * "Maintenance payments") through the gateway: every figure below is computed by hand from EUR 99.00
 * net and the rates docs/rules.md gives with their sources.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

/**
 * The demo directory plus holders the demo lacks: Finland (a rate change in 2024), reverse charge,
 * countries outside the EU (Japan; the United Kingdom after 2020), a supplier outside the EU, a
 * practice in Liechtenstein, the Netherlands before 2019, and a Japanese reseller.
 */
function directory() {
  const demo = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
  demo.providers.push({
    id: 'sakura-demo',
    name: 'Sakura Dental Systems K.K.',
    roles: ['DISTRIBUTOR'],
    active: true,
    country: 'JP',
    serviceCountries: ['JP'],
    languages: ['ja', 'en'],
  });
  const license = (key: string, country: string, vatId: string | null, vendorId: string | null = null, maintenancePaidThrough: string | null = null) => ({
    key,
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    status: 'ACTIVE',
    holder: { name: `Praxis ${key}`, country, language: 'en', vatId },
    vendorId,
    supportPartnerId: null,
    maintenancePaidThrough,
  });
  demo.licenses.push(
    license('FEE-FI', 'FI', null),
    license('FEE-AT-VAT', 'AT', 'ATU10000005'),
    license('FEE-JP', 'JP', null),
    // A Swiss reseller (outside the EU) billing a German practice that has a VAT id.
    license('FEE-DE-FROM-CH', 'DE', 'DE100000008', 'helvedent-demo'),
    // The Swiss reseller's practice in Liechtenstein: one VAT area with Switzerland.
    license('FEE-LI-FROM-CH', 'LI', null, 'helvedent-demo', '2025-12-31'),
    // A Japanese reseller's Japanese practice: Japan's consumption tax.
    license('FEE-JP-FROM-JP', 'JP', null, 'sakura-demo'),
    // A Dutch practice billed by the German manufacturer: 21 % since 2012-10-01.
    license('FEE-NL', 'NL', null),
    // Customers anywhere: an Austrian reseller's practices in Japan and in the United Kingdom.
    license('FEE-JP-FROM-AT', 'JP', null, 'alpendent-demo'),
    license('FEE-GB-FROM-AT', 'GB', null, 'alpendent-demo'),
    license('FEE-GB-VAT-FROM-AT', 'GB', 'GB100000089', 'alpendent-demo'),
  );
  return demo;
}

beforeAll(async () => {
  stack = await startTestStack({ directory: directory() });
});
afterAll(() => stack?.close());

const LINE =
  'licenseKey year net { amount currency } vatRate vat { amount currency } gross { amount currency } reverseCharge vatTreatment vatExplanation billedBy { id name } supplierCountry customerCountry';

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
      vatTreatment: 'DOMESTIC',
      vatExplanation: 'Domestic sale in Germany: VAT at 19 %.',
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
      vatTreatment: 'DESTINATION',
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
      vatTreatment: 'REVERSE_CHARGE',
    });
  });

  test('CH→DE with a VAT id: a Swiss reseller reverse charges a German business customer (no German VAT), the customer accounts for it', async () => {
    expect(await fee('FEE-DE-FROM-CH', 2026)).toMatchObject({
      billedBy: { id: 'helvedent-demo' },
      supplierCountry: 'CH',
      customerCountry: 'DE',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: true,
      vatTreatment: 'REVERSE_CHARGE',
      vatExplanation: 'Reverse charge: no VAT charged; the customer accounts for the VAT in Germany (VAT id DE100000008).',
    });
  });

  test('CH→LI: Switzerland and Liechtenstein are one VAT area: the Swiss reseller charges 8.1 % in 2026 (99 × 0.081 = 8.019 → 8.02)', async () => {
    expect(await fee('FEE-LI-FROM-CH', 2026)).toMatchObject({
      billedBy: { id: 'helvedent-demo' },
      supplierCountry: 'CH',
      customerCountry: 'LI',
      vatRate: '0.081',
      vat: eur('8.02'),
      gross: eur('107.02'),
      reverseCharge: false,
      vatTreatment: 'DOMESTIC',
      vatExplanation: 'Domestic sale: Switzerland and Liechtenstein are one VAT area (CH-LI); VAT at 8.1 %.',
    });
    // 7.7 % in 2023: 99 × 0.077 = 7.623 → 7.62
    expect(await fee('FEE-LI-FROM-CH', 2023)).toMatchObject({ vatRate: '0.077', vat: eur('7.62'), gross: eur('106.62') });
  });

  test("JP→JP: a Japanese reseller charges Japan's 10 % consumption tax (99 × 0.10 = 9.90), 8 % before 2019-10-01", async () => {
    expect(await fee('FEE-JP-FROM-JP', 2026)).toMatchObject({
      billedBy: { id: 'sakura-demo' },
      supplierCountry: 'JP',
      customerCountry: 'JP',
      vatRate: '0.10',
      vat: eur('9.90'),
      gross: eur('108.90'),
      vatTreatment: 'DOMESTIC',
      vatExplanation: 'Domestic sale in Japan: VAT at 10 %.',
    });
    // 1 January 2019: 8 %, 99 × 0.08 = 7.92
    expect(await fee('FEE-JP-FROM-JP', 2019)).toMatchObject({ vatRate: '0.08', vat: eur('7.92'), gross: eur('106.92') });
  });

  test('US: the United States levies no VAT: the line says "not taxed" rather than a 0 % rate', async () => {
    expect(await fee('OC3-DEMO-0011', 2026)).toMatchObject({
      supplierCountry: 'DE',
      customerCountry: 'US',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: false,
      vatTreatment: 'NOT_TAXED',
      vatExplanation: 'Not taxed: United States levies no VAT.',
    });
  });

  test('the Netherlands: 21 % from 2012-10-01, so 2013 is 21 % (99 × 0.21 = 20.79)', async () => {
    expect(await fee('FEE-NL', 2013)).toMatchObject({ vatRate: '0.21', vat: eur('20.79'), gross: eur('119.79'), vatTreatment: 'DESTINATION' });
    // 1 January 2012: still 19 %, 99 × 0.19 = 18.81
    expect(await fee('FEE-NL', 2012)).toMatchObject({ vatRate: '0.19', vat: eur('18.81') });
  });

  test('a rate change in the table: Swiss 7.7 % until 2023, 8.1 % from 2024 (99 × 0.081 = 8.019 → 8.02)', async () => {
    expect(await fee('OC3-DEMO-0006', 2023)).toMatchObject({ billedBy: { id: 'helvedent-demo' }, vatRate: '0.077', vat: eur('7.62'), gross: eur('106.62') });
    expect(await fee('OC3-DEMO-0006', 2024)).toMatchObject({ vatRate: '0.081', vat: eur('8.02'), gross: eur('107.02') });
  });

  test('Finland 24 % on 1 January 2024, 25.5 % from September 2024: half-up 99 × 0.255 = 25.245 → 25.25', async () => {
    expect(await fee('FEE-FI', 2024)).toMatchObject({ vatRate: '0.24', vat: eur('23.76'), gross: eur('122.76') });
    expect(await fee('FEE-FI', 2025)).toMatchObject({ vatRate: '0.255', vat: eur('25.25'), gross: eur('124.25') });
  });

  test("customers anywhere: a customer outside the EU and outside the supplier's VAT area is outside the scope, no VAT (Japan, billed by an Austrian reseller)", async () => {
    expect(await fee('FEE-JP-FROM-AT', 2026)).toMatchObject({
      billedBy: { id: 'alpendent-demo' },
      supplierCountry: 'AT',
      customerCountry: 'JP',
      vatRate: '0',
      vat: eur('0.00'),
      gross: eur('99.00'),
      reverseCharge: false,
      vatTreatment: 'OUTSIDE_SCOPE',
    });
    // The German manufacturer bills a Japanese practice directly: no VAT either.
    expect(await fee('FEE-JP', 2026)).toMatchObject({ billedBy: { id: 'image-instruments' }, vatRate: '0', gross: eur('99.00') });
  });

  test('EU membership is dated: a British practice paid the British 20 % (or reverse charge) while the UK was in the EU VAT system (through 2020-12-31), nothing after', async () => {
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

  test('a country without a rate for the date is VAT_RATE_UNKNOWN, never a silent zero (Germany in 1990, Japan in 1990)', async () => {
    const { status, body } = await stack.graphql('{ license(key: "OC3-DEMO-0001") { maintenanceFee(year: 1990) { vat { amount } } } }');
    expect(status).toBe(200);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('"DE" on 1990-01-01'), extensions: { code: 'VAT_RATE_UNKNOWN' } });
    expect(body.data?.license ?? null).toBeNull();
    const japan = await stack.graphql('{ license(key: "FEE-JP-FROM-JP") { maintenanceFee(year: 1990) { vat { amount } } } }');
    expect(japan.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('"JP" on 1990-01-01'), extensions: { code: 'VAT_RATE_UNKNOWN' } });
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
        { licenseKey: 'FEE-DE-FROM-CH', gross: eur('99.00'), billedBy: { id: 'helvedent-demo' } }, // reverse charge
        { licenseKey: 'FEE-LI-FROM-CH', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } }, // CH/LI 8.1 %
        { licenseKey: 'OC3-DEMO-0006', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } }, // CH 8.1 %
        { licenseKey: 'OC3-DEMO-0007', gross: eur('107.02'), billedBy: { id: 'helvedent-demo' } },
      ],
      remitToManufacturer: eur('396.00'),
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

describe('resellerStatement.lineConnection: the lines a page at a time', () => {
  const PAGE = `query($after: String) { resellerStatement(providerId: "helvedent-demo", year: 2024) {
    lineConnection(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { licenseKey gross { amount } } } } } }`;

  test('pages in the order of the license keys, each line as in `lines`; an inactive reseller has none', async () => {
    const first = await stack.graphql(PAGE, {});
    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data.resellerStatement.lineConnection;
    expect(page1).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    expect(page1.edges.map((e: any) => [e.node.licenseKey, e.node.gross.amount])).toEqual([
      ['FEE-DE-FROM-CH', '99.00'],
      ['FEE-LI-FROM-CH', '107.02'],
      ['OC3-DEMO-0006', '107.02'],
    ]);
    expect(page1.pageInfo.endCursor).toBe(page1.edges[2].cursor);
    const second = await stack.graphql(PAGE, { after: page1.pageInfo.endCursor });
    expect(second.body.data.resellerStatement.lineConnection).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: false },
      edges: [{ node: { licenseKey: 'OC3-DEMO-0007', gross: { amount: '107.02' } } }],
    });
    const inactive = await stack.graphql('{ resellerStatement(providerId: "rheinbogen-demo", year: 2026) { lineConnection { totalCount edges { cursor } } } }');
    expect(inactive.body.data.resellerStatement.lineConnection).toEqual({ totalCount: 0, edges: [] });
  });

  test('a page size beyond 500 or a foreign cursor is BAD_USER_INPUT; another reseller may not read the statement', async () => {
    const big = await stack.graphql('{ resellerStatement(providerId: "helvedent-demo", year: 2024) { lineConnection(first: 501) { totalCount } } }');
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const cursor = await stack.graphql('{ resellerStatement(providerId: "helvedent-demo", year: 2024) { lineConnection(after: "nope") { totalCount } } }');
    expect(cursor.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const other = await stack.graphql(
      '{ resellerStatement(providerId: "helvedent-demo", year: 2024) { lineConnection { totalCount } } }',
      {},
      {
        sub: 'x',
        role: 'provider',
        provider: 'alpendent-demo',
      },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('maintenance payments: records, a correction, paid against due', () => {
  const HELVEDENT = { sub: 'helvedent-clerk', role: 'provider', provider: 'helvedent-demo' };
  const PAY = `mutation($key: ID!, $version: Int!, $paidThrough: String!, $amount: String, $currency: String, $reference: String) {
    recordMaintenancePayment(key: $key, version: $version, paidThrough: $paidThrough, amount: $amount, currency: $currency, reference: $reference) {
      version maintenancePaidThrough maintenancePayments { id kind amount { amount currency } reference periodFrom paidThrough standing reversedBy reverses recordedBy } } }`;
  const REVERSE = `mutation($key: ID!, $version: Int!, $paymentId: ID!, $reason: String!) {
    reverseMaintenancePayment(key: $key, version: $version, paymentId: $paymentId, reason: $reason) {
      version maintenancePaidThrough maintenancePayments { id kind amount { amount currency } periodFrom paidThrough standing reversedBy reverses reason recordedBy } } }`;
  const STATEMENT_LINE = `{ resellerStatement(providerId: "helvedent-demo", year: 2026) {
    lineConnection(first: 2) { edges { node { licenseKey gross { amount currency } paid { amount currency } outstanding { amount currency } paidThrough } } } } }`;
  const code = (body: any) => body.errors?.[0]?.extensions?.code;

  async function version(key: string) {
    const { body } = await stack.graphql('query($key: ID!) { license(key: $key) { version } }', { key });
    return body.data.license.version as number;
  }
  async function liLine() {
    const { body } = await stack.graphql(STATEMENT_LINE, {}, HELVEDENT);
    expect(body.errors).toBeUndefined();
    return body.data.resellerStatement.lineConnection.edges.map((e: any) => e.node).find((line: any) => line.licenseKey === 'FEE-LI-FROM-CH');
  }

  test('a typo (2207) is recorded as a payment, corrected by a reversing entry (audited), and the right payment recorded; the statement shows paid against due', async () => {
    // Due for 2026: 107.02 (CH/LI 8.1 %), nothing paid yet; paid through 2025-12-31 (the import).
    expect(await liLine()).toEqual({ licenseKey: 'FEE-LI-FROM-CH', gross: eur('107.02'), paid: [], outstanding: eur('107.02'), paidThrough: '2025-12-31' });

    const v1 = await version('FEE-LI-FROM-CH');
    const typo = await stack.graphql(
      PAY,
      { key: 'FEE-LI-FROM-CH', version: v1, paidThrough: '2207-12-31', amount: '107.02', reference: 'INV-2026-0042' },
      HELVEDENT,
    );
    expect(typo.body.errors).toBeUndefined();
    const recorded = typo.body.data.recordMaintenancePayment;
    expect(recorded).toMatchObject({ version: v1 + 1, maintenancePaidThrough: '2207-12-31' });
    expect(recorded.maintenancePayments).toEqual([
      {
        id: expect.any(String),
        kind: 'PAYMENT',
        amount: eur('107.02'),
        reference: 'INV-2026-0042',
        periodFrom: '2026-01-01',
        paidThrough: '2207-12-31',
        standing: true,
        reversedBy: null,
        reverses: null,
        recordedBy: 'helvedent-demo',
      },
    ]);
    expect(await liLine()).toMatchObject({ paid: [eur('107.02')], outstanding: eur('0.00'), paidThrough: '2207-12-31' });
    // The date cannot move back by a new payment...
    expect(code((await stack.graphql(PAY, { key: 'FEE-LI-FROM-CH', version: v1 + 1, paidThrough: '2026-12-31' }, HELVEDENT)).body)).toBe('BAD_USER_INPUT');

    // ...but the wrong entry is reversed: the date returns to what it was before it.
    const wrongId = recorded.maintenancePayments[0].id;
    const holderToken = { sub: 'practice', role: 'holder', licenses: ['FEE-LI-FROM-CH'] };
    const args = { key: 'FEE-LI-FROM-CH', version: v1 + 1, paymentId: wrongId, reason: 'typo: 2207 for 2026' };
    expect(code((await stack.graphql(REVERSE, args, holderToken)).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(REVERSE, args, { sub: 'x', role: 'provider', provider: 'alpendent-demo' })).body)).toBe('NOT_FOUND');
    expect(code((await stack.graphql(REVERSE, { ...args, version: v1 }, HELVEDENT)).body)).toBe('CONFLICT');
    expect(code((await stack.graphql(REVERSE, { ...args, paymentId: 'no-such-entry' }, HELVEDENT)).body)).toBe('NOT_FOUND');
    expect(code((await stack.graphql(REVERSE, { ...args, reason: ' ' }, HELVEDENT)).body)).toBe('BAD_USER_INPUT');
    const reversed = await stack.graphql(REVERSE, args, HELVEDENT);
    expect(reversed.body.errors).toBeUndefined();
    const afterReversal = reversed.body.data.reverseMaintenancePayment;
    expect(afterReversal).toMatchObject({ version: v1 + 2, maintenancePaidThrough: '2025-12-31' });
    const [wrong, reversal] = afterReversal.maintenancePayments;
    expect(wrong).toMatchObject({ id: wrongId, kind: 'PAYMENT', standing: false, reversedBy: reversal.id });
    expect(reversal).toMatchObject({
      kind: 'REVERSAL',
      standing: false,
      reverses: wrongId,
      amount: eur('107.02'),
      paidThrough: '2207-12-31',
      reason: 'typo: 2207 for 2026',
      recordedBy: 'helvedent-demo',
    });
    expect(await liLine()).toMatchObject({ paid: [], outstanding: eur('107.02'), paidThrough: '2025-12-31' });
    // A payment is reversed once; a reversal is not reversed.
    expect(code((await stack.graphql(REVERSE, { ...args, version: v1 + 2 }, HELVEDENT)).body)).toBe('BAD_USER_INPUT');
    expect(code((await stack.graphql(REVERSE, { ...args, version: v1 + 2, paymentId: reversal.id }, HELVEDENT)).body)).toBe('BAD_USER_INPUT');

    // The correction is in the audit trail, with the entries before and after.
    const trail = await stack.graphql('{ auditTrail(first: 1, providerId: "helvedent-demo") { edges { node { action subjectId actorRole before after } } } }');
    const entry = trail.body.data.auditTrail.edges[0].node;
    expect(entry).toMatchObject({ action: 'reverseMaintenancePayment', subjectId: 'FEE-LI-FROM-CH', actorRole: 'provider' });
    expect(JSON.parse(entry.before)).toMatchObject({ maintenancePaidThrough: '2207-12-31' });
    expect(JSON.parse(entry.after)).toMatchObject({
      maintenancePaidThrough: '2025-12-31',
      reversed: { id: wrongId, paidThrough: '2207-12-31', amount: '107.02' },
      reversal: { kind: 'REVERSAL', reverses: wrongId, reason: 'typo: 2207 for 2026' },
    });

    // The right payment, short by 7.02: paid 100.00 against 107.02 due.
    const right = await stack.graphql(PAY, { key: 'FEE-LI-FROM-CH', version: v1 + 2, paidThrough: '2026-12-31', amount: '100', currency: 'eur' }, HELVEDENT);
    expect(right.body.errors).toBeUndefined();
    expect(right.body.data.recordMaintenancePayment.maintenancePayments[2]).toMatchObject({
      periodFrom: '2026-01-01',
      paidThrough: '2026-12-31',
      amount: eur('100.00'),
    });
    expect(await liLine()).toMatchObject({ paid: [eur('100.00')], outstanding: eur('7.02'), paidThrough: '2026-12-31' });
  });

  test('the admin may correct too; a payment without an amount still moves the date; a currency without an amount is refused', async () => {
    const v = await version('OC3-DEMO-0011');
    expect(code((await stack.graphql(PAY, { key: 'OC3-DEMO-0011', version: v, paidThrough: '2027-12-31', currency: 'EUR' })).body)).toBe('BAD_USER_INPUT');
    const paid = await stack.graphql(PAY, { key: 'OC3-DEMO-0011', version: v, paidThrough: '2027-12-31' });
    const [entry] = paid.body.data.recordMaintenancePayment.maintenancePayments;
    expect(entry).toMatchObject({ amount: null, periodFrom: '2027-01-01', paidThrough: '2027-12-31', recordedBy: 'admin' });
    const reversed = await stack.graphql(REVERSE, { key: 'OC3-DEMO-0011', version: v + 1, paymentId: entry.id, reason: 'recorded on the wrong license' });
    expect(reversed.body.data.reverseMaintenancePayment.maintenancePaidThrough).toBe('2026-12-31');
  });
});
