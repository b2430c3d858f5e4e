import DataLoader from 'dataloader';
import type { SubgraphEM } from '../../../lib/orm';
import { amountInCents } from '../../../lib/money';
import { Offer } from './offer.entity';

/** A provider's price list, by service, then price (in cents, per currency), then id. */
const byServiceCurrencyAndPrice = (a: Offer, b: Offer) =>
  a.service.localeCompare(b.service) ||
  a.currency.localeCompare(b.currency) ||
  Number(amountInCents(a.amount) - amountInCents(b.amount)) ||
  a.id.localeCompare(b.id);

/** Offers of many providers in one statement. */
export const createOffersByProviderLoader = (em: SubgraphEM) =>
  new DataLoader<string, Offer[]>(async (providerIds) => {
    const rows = await em.find(Offer, { provider: { $in: [...providerIds] } });
    const byProvider = new Map<string, Offer[]>(providerIds.map((id) => [id, []]));
    for (const offer of rows.sort(byServiceCurrencyAndPrice)) byProvider.get(offer.provider.id)?.push(offer);
    return providerIds.map((id) => byProvider.get(id)!);
  });
