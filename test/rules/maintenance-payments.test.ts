/**
 * Maintenance payments as records (docs/rules.md, "Maintenance payments"), rule by rule, with dates and
 * amounts written by hand.
 */
import { ProviderRole } from '../../lib/domain';
import { maintenanceFeeLine } from '../../subgraphs/support/fee/maintenance-fee';
import { VatRate } from '../../subgraphs/support/fee/vat-rate.entity';
import { VatTable } from '../../subgraphs/support/fee/vat-rates';
import { dayAfter, paidForYear, paidThroughAfterReversal, periodFrom, stands, type PaymentEntry } from '../../lib/maintenance-payments';

const entry = (id: string, paidThrough: string, previousPaidThrough: string | null, more: Partial<PaymentEntry> = {}): PaymentEntry => ({
  id,
  kind: 'PAYMENT',
  reversedBy: null,
  periodFrom: periodFrom(previousPaidThrough, paidThrough),
  paidThrough,
  previousPaidThrough,
  ...more,
});

describe('rule: the period a payment covers', () => {
  test('from the day after the date paid through so far (month and year ends, a leap day)', () => {
    expect(periodFrom('2025-12-31', '2026-12-31')).toBe('2026-01-01');
    expect(periodFrom('2026-06-30', '2027-06-30')).toBe('2026-07-01');
    expect(periodFrom('2028-02-28', '2029-02-28')).toBe('2028-02-29');
    expect(dayAfter('2027-02-28')).toBe('2027-03-01');
  });

  test('nothing paid before: the calendar year of its date', () => {
    expect(periodFrom(null, '2026-12-31')).toBe('2026-01-01');
    expect(periodFrom(undefined, '2027-06-30')).toBe('2027-01-01');
  });
});

describe('rule: an entry stands', () => {
  test('a payment until a reversal reverses it; a reversal never', () => {
    expect(stands({ kind: 'PAYMENT', reversedBy: null })).toBe(true);
    expect(stands({ kind: 'PAYMENT', reversedBy: 'r1' })).toBe(false);
    expect(stands({ kind: 'REVERSAL', reversedBy: null })).toBe(false);
  });
});

describe('rule: the paid-through date after a reversal', () => {
  test('a typo (2207 for 2027) that set the date: back to the date before it', () => {
    const typo = entry('p1', '2207-12-31', '2026-12-31');
    expect(paidThroughAfterReversal('2207-12-31', typo, [typo])).toBe('2026-12-31');
  });

  test('back to the latest payment that still stands when it is later than the date before the wrong one', () => {
    const first = entry('p1', '2026-12-31', null);
    const wrong = entry('p2', '2207-12-31', '2026-12-31');
    expect(paidThroughAfterReversal('2207-12-31', wrong, [first, wrong])).toBe('2026-12-31');
    // A first payment reversed: never paid (null) unless an earlier date was imported.
    expect(paidThroughAfterReversal('2026-12-31', first, [first])).toBeNull();
    expect(paidThroughAfterReversal('2026-12-31', entry('p1', '2026-12-31', '2025-12-31'), [])).toBe('2025-12-31');
  });

  test('a payment whose date something later moved on (another payment, an import): the date stays', () => {
    const wrongAmount = entry('p1', '2026-12-31', '2025-12-31');
    const next = entry('p2', '2027-12-31', '2026-12-31');
    expect(paidThroughAfterReversal('2027-12-31', wrongAmount, [wrongAmount, next])).toBe('2027-12-31');
  });

  test('payments already reversed do not count', () => {
    const reversed = entry('p1', '2030-12-31', '2026-12-31', { reversedBy: 'r1' });
    const wrong = entry('p2', '2207-12-31', '2026-12-31');
    expect(paidThroughAfterReversal('2207-12-31', wrong, [reversed, wrong])).toBe('2026-12-31');
  });
});

describe('rule: paid for a year', () => {
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  test('the standing payments whose period starts in the year, per currency, in exact cents', () => {
    const entries = [
      { standing: true, periodFrom: '2026-01-01', amount: eur('100.00') },
      { standing: true, periodFrom: '2026-07-01', amount: eur('7.02') },
      { standing: true, periodFrom: '2026-03-01', amount: { amount: '10.50', currency: 'CHF' } },
      { standing: false, periodFrom: '2026-01-01', amount: eur('107.02') }, // reversed
      { standing: true, periodFrom: '2027-01-01', amount: eur('117.81') }, // next year
      { standing: true, periodFrom: '2026-01-01', amount: null }, // amount not stated
    ];
    // 100.00 + 7.02 = 107.02 EUR; CHF kept apart, never converted.
    expect(paidForYear(entries, 2026)).toEqual([{ amount: '10.50', currency: 'CHF' }, eur('107.02')]);
    expect(paidForYear(entries, 2027)).toEqual([eur('117.81')]);
    expect(paidForYear(entries, 2025)).toEqual([]);
  });
});

describe('a fee line: paid against due', () => {
  const table = new VatTable({ rates: [Object.assign(new VatRate(), { country: 'CH', validFrom: '2024-01-01', rate: '0.081' })], membership: [] });
  const reseller = { id: 'helvedent-demo', active: true, roles: [ProviderRole.DISTRIBUTOR], country: 'CH' };
  const line = (payments: { standing: boolean; periodFrom: string; amount: { amount: string; currency: string } | null }[]) =>
    maintenanceFeeLine({ key: 'K', holder: { country: 'CH' }, vendor: reseller, manufacturer: null, payments, paidThrough: '2026-12-31' }, 2026, table);

  test('107.02 due (99.00 + 8.1 %); 100.00 paid leaves 7.02; overpaid leaves 0.00, never less; other currencies are not subtracted', () => {
    expect(line([])).toMatchObject({ gross: { amount: '107.02' }, paid: [], outstanding: { amount: '107.02', currency: 'EUR' }, paidThrough: '2026-12-31' });
    expect(line([{ standing: true, periodFrom: '2026-01-01', amount: { amount: '100.00', currency: 'EUR' } }])).toMatchObject({
      outstanding: { amount: '7.02' },
    });
    expect(line([{ standing: true, periodFrom: '2026-01-01', amount: { amount: '214.04', currency: 'EUR' } }])).toMatchObject({
      outstanding: { amount: '0.00' },
    });
    expect(line([{ standing: true, periodFrom: '2026-01-01', amount: { amount: '110.00', currency: 'CHF' } }])).toMatchObject({
      paid: [{ amount: '110.00', currency: 'CHF' }],
      outstanding: { amount: '107.02' },
    });
  });
});
