import { todayIso } from '../../lib/domain';
import type { Identity } from '../../lib/identity';
import { DEFAULT_LANGUAGE, type Language } from '../../lib/i18n/languages';
import type { SubgraphORM } from '../../lib/orm';
import type { VatTable } from './fee/vat-rates';
import type { SupportCatalogue, SupportServing } from './topic/support-catalogue-snapshot';

export interface SupportContext {
  /** Topics and categories, held in memory (reference data; see SupportCatalogue). */
  catalogue: SupportCatalogue;
  /** VAT rates by country and date, held in memory (reference data; see VatTable). */
  vat: VatTable;
  /** One date for the whole request, so every answer in it agrees on what "today" is. */
  today: string;
  /** The request's instant (the subgraph's clock; tests fix it): first responses are counted from it. */
  now: Date;
  /** Who is asking: routingStanding is only for the provider itself and admins. */
  caller: Identity;
  /** The reader's language (lib/i18n): explanations, topic names and errors are written in it. */
  language: Language;
}

export function createSupportContext(
  _orm: SubgraphORM,
  { catalogue, vat, clock }: SupportServing,
  caller: Identity,
  language: Language = DEFAULT_LANGUAGE,
): SupportContext {
  const now = clock();
  return { catalogue, vat, today: todayIso(now), now, caller, language };
}
