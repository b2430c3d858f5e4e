/**
 * The VAT rules of a maintenance fee line (docs/rules.md, "Maintenance fee and VAT"), rule by rule, on a small table
 * built here and on the seed file itself. Every rate and amount below is written by hand from the
 * sources docs/rules.md names, not read back from the code.
 */
import { applyRateHalfUp, formatRatePercent } from '../../lib/money';
import type { Language } from '../../lib/i18n/languages';
import { say as sayMessage } from '../../lib/i18n/message';
import { EuMembership, VatAreaMembership, VatRate } from '../../subgraphs/support/fee/vat-rate.entity';
import { readVatRatesFile, VatTable } from '../../subgraphs/support/fee/vat-rates';
import {
  customerCountryLeviesNoVat,
  customerInEu,
  domesticSupply,
  reverseChargeApplies,
  vatExplanation,
  vatTreatment,
  VatTreatment,
  type VatSupply,
} from '../../subgraphs/support/fee/maintenance-fee';

const rate = (country: string, validFrom: string, value: string | null) => Object.assign(new VatRate(), { country, validFrom, rate: value });
const member = (country: string, memberFrom: string, memberUntil: string | null = null) =>
  Object.assign(new EuMembership(), { country, memberFrom, memberUntil });
const area = (country: string, name: string, memberFrom: string) =>
  Object.assign(new VatAreaMembership(), { country, area: name, memberFrom, memberUntil: null });

const table = new VatTable({
  rates: [
    rate('AT', '1984-01-01', '0.20'),
    rate('DE', '2007-01-01', '0.19'),
    rate('GB', '2011-01-04', '0.20'),
    rate('CH', '2018-01-01', '0.077'),
    rate('CH', '2024-01-01', '0.081'),
    rate('LI', '2018-01-01', '0.077'),
    rate('LI', '2024-01-01', '0.081'),
    rate('JP', '2014-04-01', '0.08'),
    rate('JP', '2019-10-01', '0.10'),
    rate('US', '1900-01-01', null),
  ],
  membership: [member('AT', '1995-01-01'), member('DE', '1958-01-01'), member('GB', '1973-01-01', '2020-12-31')],
  areas: [area('CH', 'CH-LI', '1995-01-01'), area('LI', 'CH-LI', '1995-01-01')],
});
const supply = (supplierCountry: string, customerCountry: string, date: string, customerVatId: string | null = null): VatSupply => ({
  supplierCountry,
  customerCountry,
  date,
  customerVatId,
});
const unknownRate = expect.objectContaining({ extensions: expect.objectContaining({ code: 'VAT_RATE_UNKNOWN' }) });

describe('EU membership is dated', () => {
  test('a member from its accession; the United Kingdom through the transition, 2020-12-31, not from 2021-01-01', () => {
    expect(table.isEu('AT', '1995-01-01')).toBe(true);
    expect(table.isEu('AT', '1994-12-31')).toBe(false);
    expect(table.isEu('GB', '2020-12-31')).toBe(true);
    expect(table.isEu('GB', '2021-01-01')).toBe(false);
  });

  test('a country the table does not name was never a member (no error)', () => {
    expect(table.isEu('AU', '2026-01-01')).toBe(false);
  });
});

describe('rule: the customer country levies no VAT', () => {
  test('the United States is listed as levying none; a country missing from the table is not assumed untaxed', () => {
    expect(customerCountryLeviesNoVat(supply('DE', 'US', '2026-01-01'), table)).toBe(true);
    expect(customerCountryLeviesNoVat(supply('DE', 'JP', '2026-01-01'), table)).toBe(false);
    expect(customerCountryLeviesNoVat(supply('AU', 'AU', '2026-01-01'), table)).toBe(false);
  });
});

describe('rule: domestic supply (one VAT area)', () => {
  test('the same country, or Switzerland and Liechtenstein (one VAT area) in either direction', () => {
    expect(domesticSupply(supply('AT', 'AT', '2026-01-01'), table)).toBe(true);
    expect(domesticSupply(supply('CH', 'LI', '2026-01-01'), table)).toBe(true);
    expect(domesticSupply(supply('LI', 'CH', '2026-01-01'), table)).toBe(true);
    expect(domesticSupply(supply('DE', 'AT', '2026-01-01'), table)).toBe(false);
    expect(domesticSupply(supply('CH', 'DE', '2026-01-01'), table)).toBe(false);
  });

  test('the area is dated: before the treaty each was its own', () => {
    expect(domesticSupply(supply('CH', 'LI', '1994-12-31'), table)).toBe(false);
  });
});

describe('rule: customer in the EU', () => {
  test('Japan, and the United Kingdom after the transition, are outside; Austria is inside', () => {
    expect(customerInEu(supply('AT', 'JP', '2026-01-01'), table)).toBe(false);
    expect(customerInEu(supply('AT', 'GB', '2021-01-01'), table)).toBe(false);
    expect(customerInEu(supply('AT', 'GB', '2020-06-01'), table)).toBe(true);
    expect(customerInEu(supply('DE', 'AT', '2026-01-01'), table)).toBe(true);
  });
});

describe('rule: reverse charge', () => {
  test('a business customer with a VAT id in the EU, billed from another country, inside the EU or not', () => {
    expect(reverseChargeApplies(supply('DE', 'AT', '2026-01-01', 'ATU13585627'), table)).toBe(true);
    expect(reverseChargeApplies(supply('CH', 'DE', '2026-01-01', 'DE136695976'), table)).toBe(true);
    expect(reverseChargeApplies(supply('JP', 'DE', '2026-01-01', 'DE136695976'), table)).toBe(true);
    expect(reverseChargeApplies(supply('DE', 'AT', '2026-01-01'), table)).toBe(false);
    expect(reverseChargeApplies(supply('AT', 'AT', '2026-01-01', 'ATU13585627'), table)).toBe(false);
    expect(reverseChargeApplies(supply('AT', 'GB', '2020-01-01', 'GB1'), table)).toBe(true);
    expect(reverseChargeApplies(supply('AT', 'GB', '2021-01-01', 'GB1'), table)).toBe(false);
  });

  test('a customer outside the EU with a VAT id is not reverse charged by the supplier (outside the scope instead)', () => {
    expect(reverseChargeApplies(supply('DE', 'CH', '2026-01-01', 'CHE123'), table)).toBe(false);
  });
});

describe('vatTreatment: the rules in order, with hand-computed amounts on EUR 99.00', () => {
  const vatOn99 = (r: string) => applyRateHalfUp(9900n, r);

  test('CH→LI: one VAT area, the Swiss 8.1 % in 2026 (99 × 0.081 = 8.019 → 8.02), 7.7 % in 2023 (7.623 → 7.62)', () => {
    expect(vatTreatment(supply('CH', 'LI', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.DOMESTIC, rate: '0.081' });
    expect(vatOn99('0.081')).toBe(802n);
    expect(vatTreatment(supply('LI', 'CH', '2023-01-01'), table)).toEqual({ treatment: VatTreatment.DOMESTIC, rate: '0.077' });
    expect(vatOn99('0.077')).toBe(762n);
  });

  test('CH→DE with a VAT id: reverse charge, no VAT (was 19 % German VAT)', () => {
    expect(vatTreatment(supply('CH', 'DE', '2026-01-01', 'DE136695976'), table)).toEqual({ treatment: VatTreatment.REVERSE_CHARGE, rate: '0' });
  });

  test('CH→DE without a VAT id: the German 19 % (99 × 0.19 = 18.81)', () => {
    expect(vatTreatment(supply('CH', 'DE', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.DESTINATION, rate: '0.19' });
    expect(vatOn99('0.19')).toBe(1881n);
  });

  test('JP→JP: the Japanese 10 % consumption tax from 2019-10-01, 8 % before (never a silent zero)', () => {
    expect(vatTreatment(supply('JP', 'JP', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.DOMESTIC, rate: '0.10' });
    expect(vatTreatment(supply('JP', 'JP', '2019-01-01'), table)).toEqual({ treatment: VatTreatment.DOMESTIC, rate: '0.08' });
    expect(vatOn99('0.10')).toBe(990n);
  });

  test('a domestic sale in a country with no rate for the date is VAT_RATE_UNKNOWN, not 0', () => {
    expect(() => vatTreatment(supply('AU', 'AU', '2026-01-01'), table)).toThrow(unknownRate);
    expect(() => vatTreatment(supply('JP', 'JP', '2010-01-01'), table)).toThrow(unknownRate);
  });

  test('the United States: not taxed, whoever bills (listed as a country without VAT)', () => {
    expect(vatTreatment(supply('DE', 'US', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.NOT_TAXED, rate: '0' });
    expect(vatTreatment(supply('US', 'US', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.NOT_TAXED, rate: '0' });
  });

  test('an Austrian reseller and a practice in Japan: outside the scope, no VAT', () => {
    expect(vatTreatment(supply('AT', 'JP', '2026-01-01'), table)).toEqual({ treatment: VatTreatment.OUTSIDE_SCOPE, rate: '0' });
  });

  test('a British practice of an Austrian reseller: 20 % or reverse charge through 2020 (the transition), outside the scope from 2021', () => {
    expect(vatTreatment(supply('AT', 'GB', '2020-01-01'), table)).toEqual({ treatment: VatTreatment.DESTINATION, rate: '0.20' });
    expect(vatTreatment(supply('AT', 'GB', '2020-01-01', 'GB1'), table)).toEqual({ treatment: VatTreatment.REVERSE_CHARGE, rate: '0' });
    expect(vatTreatment(supply('AT', 'GB', '2021-01-01'), table)).toEqual({ treatment: VatTreatment.OUTSIDE_SCOPE, rate: '0' });
  });

  test('domestic inside the EU with a VAT id stays domestic: 20 % Austrian VAT', () => {
    expect(vatTreatment(supply('AT', 'AT', '2026-01-01', 'ATU13585627'), table)).toEqual({ treatment: VatTreatment.DOMESTIC, rate: '0.20' });
  });

  test('an EU customer without a VAT id whose country has no rate on the date: VAT_RATE_UNKNOWN', () => {
    expect(() => vatTreatment(supply('DE', 'AT', '1990-01-01'), new VatTable({ rates: [], membership: [member('AT', '1980-01-01')] }))).toThrow(unknownRate);
  });
});

describe('vatExplanation: the treatment in words', () => {
  const say = (s: VatSupply) => String(vatExplanation(vatTreatment(s, table), s, table));
  test('each treatment says what it is', () => {
    expect(say(supply('DE', 'US', '2026-01-01'))).toBe('Not taxed: United States levies no VAT.');
    expect(say(supply('JP', 'JP', '2026-01-01'))).toBe('Domestic sale in Japan: VAT at 10 %.');
    expect(say(supply('CH', 'LI', '2026-01-01'))).toBe('Domestic sale: Switzerland and Liechtenstein are one VAT area (CH-LI); VAT at 8.1 %.');
    expect(say(supply('CH', 'DE', '2026-01-01', 'DE136695976'))).toBe(
      'Reverse charge: no VAT charged; the customer accounts for the VAT in Germany (VAT id DE136695976).',
    );
    expect(say(supply('CH', 'DE', '2026-01-01'))).toBe('VAT of Germany at 19 %: a customer in the EU without a VAT id, billed from Switzerland.');
    expect(say(supply('AT', 'JP', '2026-01-01'))).toMatch(/^Outside the scope of VAT: no VAT charged from Austria to a customer in Japan/);
  });

  test("in the reader's language: the countries named and the rate written its way; the VAT id and area code as they are", () => {
    const sayIn = (language: Language, s: VatSupply) => sayMessage(language, vatExplanation(vatTreatment(s, table), s, table));
    expect(sayIn('de', supply('CH', 'LI', '2026-01-01'))).toBe(
      'Inlandsumsatz: Die Länder Schweiz und Liechtenstein bilden ein Mehrwertsteuergebiet (CH-LI); Mehrwertsteuer 8,1 %.',
    );
    expect(sayIn('pl', supply('CH', 'DE', '2026-01-01', 'DE136695976'))).toBe(
      'Odwrotne obciążenie: VAT nie jest naliczany; klient rozlicza VAT we własnym kraju (Niemcy, numer VAT DE136695976).',
    );
    expect(sayIn('it', supply('DE', 'US', '2026-01-01'))).toBe('Non imponibile: il paese del cliente (Stati Uniti) non applica l’IVA.');
  });

  test('rates read as percentages exactly', () => {
    expect(['0.081', '0.19', '0.255', '0.196', '0.10', '0.05'].map(formatRatePercent)).toEqual(['8.1 %', '19 %', '25.5 %', '19.6 %', '10 %', '5 %']);
  });
});

describe('the seed table (seed/vat-rates.json)', () => {
  let seed: VatTable;
  let rows: Awaited<ReturnType<typeof readVatRatesFile>>;
  beforeAll(async () => {
    rows = await readVatRatesFile();
    seed = new VatTable(rows);
  });
  const rateOf = (country: string, date: string) => {
    const vat = seed.vatOn(country, date);
    return vat.levied ? vat.rate : 'none';
  };

  test('the 27 member states today, each with a rate', () => {
    const members = [...new Set(rows.membership.map((m) => m.country))].filter((c) => seed.isEu(c, '2026-01-01'));
    expect(members).toHaveLength(27);
    for (const country of members) expect(rateOf(country, '2026-01-01')).toMatch(/^0\.\d+$/);
  });

  test('the United Kingdom in the EU VAT system through 2020-12-31 (transition), 20 % from 2011-01-04, 17.5 % before', () => {
    expect(seed.isEu('GB', '2020-12-31')).toBe(true);
    expect(seed.isEu('GB', '2021-01-01')).toBe(false);
    expect(rateOf('GB', '2011-01-04')).toBe('0.20');
    expect(rateOf('GB', '2011-01-03')).toBe('0.175');
  });

  test('the Netherlands: 21 % from 2012-10-01, 19 % before (fees for 2013–2018 are 21 %)', () => {
    expect(rateOf('NL', '2012-09-30')).toBe('0.19');
    expect(rateOf('NL', '2012-10-01')).toBe('0.21');
    expect(rateOf('NL', '2013-01-01')).toBe('0.21');
  });

  test('Switzerland and Liechtenstein: one VAT area, 7.7 % 2018–2023, 8.1 % from 2024-01-01', () => {
    expect(seed.vatArea('CH', '2026-01-01')).toBe(seed.vatArea('LI', '2026-01-01'));
    expect(seed.isEu('CH', '2026-01-01')).toBe(false);
    for (const country of ['CH', 'LI']) {
      expect(rateOf(country, '2018-01-01')).toBe('0.077');
      expect(rateOf(country, '2023-12-31')).toBe('0.077');
      expect(rateOf(country, '2024-01-01')).toBe('0.081');
    }
  });

  test('Norway 25 %; Japan 8 % from 2014-04-01, 10 % from 2019-10-01; the United States levies none', () => {
    expect(rateOf('NO', '2026-01-01')).toBe('0.25');
    expect(rateOf('JP', '2014-04-01')).toBe('0.08');
    expect(rateOf('JP', '2019-09-30')).toBe('0.08');
    expect(rateOf('JP', '2019-10-01')).toBe('0.10');
    expect(rateOf('US', '2026-01-01')).toBe('none');
  });

  test('Germany 16 % for the second half of 2020 only; Finland 25.5 % from 2024-09-01', () => {
    expect(rateOf('DE', '2020-06-30')).toBe('0.19');
    expect(rateOf('DE', '2020-07-01')).toBe('0.16');
    expect(rateOf('DE', '2021-01-01')).toBe('0.19');
    expect(rateOf('FI', '2024-08-31')).toBe('0.24');
    expect(rateOf('FI', '2024-09-01')).toBe('0.255');
  });
});
