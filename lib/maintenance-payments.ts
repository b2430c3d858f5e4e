/**
 * Maintenance payments as records (docs/rules.md, "Maintenance payments"), one pure rule per function:
 * what period a payment covers, whether an entry still stands, what the license is paid through
 * once a wrong payment is reversed, and what was paid for a maintenance year. In lib/ because both
 * the licenses subgraph (which keeps the entries) and the support subgraph (whose fee lines show
 * what was paid against what is due) apply them.
 */
import { amountInCents, formatCents } from './money';

/** An entry as these rules read it (the licenses subgraph's MaintenancePayment). */
export interface PaymentEntry {
  id: string;
  kind: 'PAYMENT' | 'REVERSAL';
  reversedBy?: string | null;
  periodFrom: string;
  paidThrough: string;
  previousPaidThrough?: string | null;
  amount?: string | null;
  currency?: string | null;
}

/** The day after an ISO date. */
export function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * Rule: a payment covers the days from the day after the date paid through so far up to its own
 * date; a first payment (nothing paid before) covers the calendar year of its date, up to it.
 */
export const periodFrom = (previousPaidThrough: string | null | undefined, paidThrough: string): string =>
  previousPaidThrough ? dayAfter(previousPaidThrough) : `${paidThrough.slice(0, 4)}-01-01`;

/** Rule: a payment stands until a reversal reverses it; a reversal itself is no payment. */
export const stands = (entry: Pick<PaymentEntry, 'kind' | 'reversedBy'>): boolean => entry.kind === 'PAYMENT' && !entry.reversedBy;

/**
 * Rule: the paid-through date once `reversed` is reversed. When the license's date is the one that
 * payment set, it returns to the latest of the date before that payment and the dates of the
 * payments that still stand; when something later moved it (another payment, an import), it stays.
 */
export function paidThroughAfterReversal(
  current: string | null | undefined,
  reversed: Pick<PaymentEntry, 'id' | 'paidThrough' | 'previousPaidThrough'>,
  entries: readonly Pick<PaymentEntry, 'id' | 'kind' | 'reversedBy' | 'paidThrough'>[],
): string | null {
  if ((current ?? null) !== reversed.paidThrough) return current ?? null;
  const candidates = [reversed.previousPaidThrough ?? null, ...entries.filter((e) => e.id !== reversed.id && stands(e)).map((e) => e.paidThrough)];
  return candidates.reduce<string | null>((latest, date) => (date !== null && (latest === null || date > latest) ? date : latest), null);
}

/**
 * Rule: what was paid for a maintenance year, per currency (never converted): the amounts of the
 * payments that stand and whose period starts in that year (an annual payment counts for the year
 * it pays; a payment for several years counts, whole, for its first).
 */
export function paidForYear(
  entries: readonly { standing: boolean; periodFrom: string; amount?: { amount: string; currency: string } | null }[],
  year: number,
): { amount: string; currency: string }[] {
  const prefix = `${String(year).padStart(4, '0')}-`;
  const sums = new Map<string, bigint>();
  for (const e of entries) {
    if (!e.standing || !e.periodFrom.startsWith(prefix) || !e.amount) continue;
    sums.set(e.amount.currency, (sums.get(e.amount.currency) ?? 0n) + amountInCents(e.amount.amount));
  }
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ amount: formatCents(cents), currency }));
}
