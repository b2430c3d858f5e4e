/** Money is a decimal string with two places and an ISO 4217 code; arithmetic is in integer cents, never floats. */

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

/** 9900n -> "99.00". */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * cents × rate, rounded half-up to the cent, for a non-negative amount and a decimal rate string
 * ("0.255"): exact in integers (the rate becomes numerator / 10^places), so 99.00 × 0.255 = 25.245 → 25.25.
 */
export function applyRateHalfUp(cents: bigint, rate: string): bigint {
  const [whole, fraction = ''] = rate.split('.');
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole) * denominator + BigInt(fraction || '0');
  return (cents * numerator * 2n + denominator) / (2n * denominator);
}

/** A decimal rate string in percent, shifted exactly (no binary float arithmetic): "0.081" -> "8.1", "0.19" -> "19". */
function ratePercentDigits(rate: string): string {
  const [whole, fraction = ''] = rate.split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2).replace(/0+$/, '');
  return `${integer}${rest ? `.${rest}` : ''}`;
}

/** A decimal rate string as a percentage, exactly: "0.081" -> "8.1 %", "0.19" -> "19 %", "0.255" -> "25.5 %". */
export const formatRatePercent = (rate: string): string => `${ratePercentDigits(rate)} %`;

/** A decimal rate string as the number of percent, for a message that writes it in the reader's language: "0.081" -> 8.1. */
export const ratePercent = (rate: string): number => Number(ratePercentDigits(rate));
