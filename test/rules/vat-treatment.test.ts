/**
 * The VAT rules of a maintenance fee line (docs/rules.md, "Maintenance fee and VAT"), rule by rule, on a small table
 * built here and on the seed file itself (dated EU membership: the United Kingdom left on 2020-01-31).
 */
import { EuMembership, VatRate } from '../../subgraphs/support/fee/vat-rate.entity';
import { readVatRatesFile, VatTable } from '../../subgraphs/support/fee/vat-rates';
import { customerOutsideEu, domesticSupply, reverseChargeApplies, vatTreatment, type VatSupply } from '../../subgraphs/support/fee/maintenance-fee';

const rate = (country: string, validFrom: string, value: string) => Object.assign(new VatRate(), { country, validFrom, rate: value });
const member = (country: string, memberFrom: string, memberUntil: string | null = null) =>
  Object.assign(new EuMembership(), { country, memberFrom, memberUntil });

const table = new VatTable({
  rates: [rate('AT', '2016-01-01', '0.20'), rate('DE', '2007-01-01', '0.19'), rate('GB', '2011-01-04', '0.20'), rate('CH', '2018-01-01', '0.077')],
  membership: [member('AT', '1995-01-01'), member('DE', '1958-01-01'), member('GB', '1973-01-01', '2020-01-31')],
});
const supply = (supplierCountry: string, customerCountry: string, date: string, customerVatId: string | null = null): VatSupply => ({
  supplierCountry,
  customerCountry,
  date,
  customerVatId,
});

describe('EU membership is dated', () => {
  test('a member from its accession; the United Kingdom through 2020-01-31, not from 2020-02-01', () => {
    expect(table.isEu('AT', '1995-01-01')).toBe(true);
    expect(table.isEu('AT', '1994-12-31')).toBe(false);
    expect(table.isEu('GB', '2020-01-31')).toBe(true);
    expect(table.isEu('GB', '2020-02-01')).toBe(false);
  });

  test('a country the table does not name was never a member (no error)', () => {
    expect(table.isEu('JP', '2026-01-01')).toBe(false);
  });
});

describe('rule: customer outside the EU', () => {
  test('Japan, and the United Kingdom after it left, are outside; Austria is inside', () => {
    expect(customerOutsideEu(supply('AT', 'JP', '2026-01-01'), table)).toBe(true);
    expect(customerOutsideEu(supply('AT', 'GB', '2021-01-01'), table)).toBe(true);
    expect(customerOutsideEu(supply('AT', 'GB', '2020-01-01'), table)).toBe(false);
    expect(customerOutsideEu(supply('DE', 'AT', '2026-01-01'), table)).toBe(false);
  });
});

describe('rule: domestic supply', () => {
  test('same country of supplier and customer', () => {
    expect(domesticSupply(supply('AT', 'AT', '2026-01-01'))).toBe(true);
    expect(domesticSupply(supply('DE', 'AT', '2026-01-01'))).toBe(false);
  });
});

describe('rule: reverse charge', () => {
  test('both in the EU on the date, different states, the customer has a VAT id', () => {
    expect(reverseChargeApplies(supply('DE', 'AT', '2026-01-01', 'ATU1'), table)).toBe(true);
    expect(reverseChargeApplies(supply('DE', 'AT', '2026-01-01'), table)).toBe(false);
    expect(reverseChargeApplies(supply('AT', 'AT', '2026-01-01', 'ATU1'), table)).toBe(false);
    expect(reverseChargeApplies(supply('CH', 'DE', '2026-01-01', 'DE1'), table)).toBe(false);
    expect(reverseChargeApplies(supply('AT', 'GB', '2020-01-01', 'GB1'), table)).toBe(true);
    expect(reverseChargeApplies(supply('AT', 'GB', '2021-01-01', 'GB1'), table)).toBe(false);
  });
});

describe('vatTreatment: the rules in order', () => {
  test("an Austrian reseller's practice in Japan: no VAT", () => {
    expect(vatTreatment(supply('AT', 'JP', '2026-01-01'), table)).toEqual({ rate: '0', reverseCharge: false });
  });

  test('a British practice of an Austrian reseller: 20 % in 2020 (member), reverse charge with a VAT id, nothing in 2021', () => {
    expect(vatTreatment(supply('AT', 'GB', '2020-01-01'), table)).toEqual({ rate: '0.20', reverseCharge: false });
    expect(vatTreatment(supply('AT', 'GB', '2020-01-01', 'GB1'), table)).toEqual({ rate: '0', reverseCharge: true });
    expect(vatTreatment(supply('AT', 'GB', '2021-01-01'), table)).toEqual({ rate: '0', reverseCharge: false });
  });

  test('domestic: the country rate, inside the EU and outside it when the table holds one (Switzerland)', () => {
    expect(vatTreatment(supply('AT', 'AT', '2026-01-01', 'ATU1'), table)).toEqual({ rate: '0.20', reverseCharge: false });
    expect(vatTreatment(supply('CH', 'CH', '2026-01-01'), table)).toEqual({ rate: '0.077', reverseCharge: false });
    expect(vatTreatment(supply('JP', 'JP', '2026-01-01'), table)).toEqual({ rate: '0', reverseCharge: false });
  });

  test('an EU customer without a VAT id: the customer country rate; a member without a rate on the date is VAT_RATE_UNKNOWN', () => {
    expect(vatTreatment(supply('DE', 'AT', '2026-01-01'), table)).toEqual({ rate: '0.20', reverseCharge: false });
    expect(() => vatTreatment(supply('DE', 'AT', '2000-01-01'), table)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'VAT_RATE_UNKNOWN' }) }),
    );
  });
});

describe('the seed table', () => {
  test('the 27 member states today, each with a rate; the United Kingdom left on 2020-01-31', async () => {
    const seed = new VatTable(await readVatRatesFile());
    const rows = await readVatRatesFile();
    const members = [...new Set(rows.membership.map((m) => m.country))].filter((c) => seed.isEu(c, '2026-01-01'));
    expect(members).toHaveLength(27);
    for (const country of members) expect(seed.knownRateOn(country, '2026-01-01')).toMatch(/^0\.\d+$/);
    expect(seed.isEu('GB', '2020-01-31')).toBe(true);
    expect(seed.isEu('GB', '2020-02-01')).toBe(false);
    expect(seed.isEu('CH', '2026-01-01')).toBe(false);
  });
});
