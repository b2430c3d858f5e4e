import { amountInCents } from '../../../lib/money';
import type { Offer } from './offer.entity';

/** A provider's price list, by service, then price (in cents, per currency), then id. */
export const byServiceCurrencyAndPrice = (a: Offer, b: Offer) =>
  a.service.localeCompare(b.service) ||
  a.currency.localeCompare(b.currency) ||
  Number(amountInCents(a.amount) - amountInCents(b.amount)) ||
  a.id.localeCompare(b.id);
