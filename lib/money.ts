/** Money is a decimal string with two places and an ISO 4217 code; arithmetic is in integer cents, never floats. */
import { CURRENCY_CODE } from './domain';

const AMOUNT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/** "99" -> "99.00", "99.5" -> "99.50"; null when not a non-negative decimal with at most two places. */
export function normalizeAmount(amount: unknown): string | null {
  if (typeof amount !== 'string' || !AMOUNT.test(amount)) return null;
  const [whole, fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** Integer cents of a normalized amount, for comparing prices. */
export function amountInCents(amount: string): bigint {
  const [whole, fraction = '00'] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export const isCurrencyCode = (currency: unknown): currency is string =>
  typeof currency === 'string' && CURRENCY_CODE.test(currency);
