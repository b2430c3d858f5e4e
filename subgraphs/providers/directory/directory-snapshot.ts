/**
 * The whole directory in memory: every provider with its price list, indexed by id and by service
 * country. The directory is small (one manufacturer, tens of partners) and changes rarely, so the
 * providers subgraph answers Provider, offers and ServiceArea lookups from one snapshot instead of
 * the database. A snapshot is read-only once built; nothing in it depends on the day (which offers
 * are valid today is decided per request).
 */
import { IsolationLevel } from '@mikro-orm/core';
import { readDirectoryVersion } from '../../../lib/directory-changes';
import { ProviderRole } from '../../../lib/domain';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { Offer } from '../offer/offer.entity';
import { byServiceCurrencyAndPrice } from '../offer/price-list';
import { Provider } from '../provider/provider.entity';
import { currencyOfCountry } from '../service-area/country-currency';
import type { ServiceArea } from '../service-area/service-area.type';

export interface DirectorySnapshot {
  /** The change marker's version the snapshot was read at. */
  readonly version: number;
  /** Every provider, by name, then id. */
  readonly providers: readonly Provider[];
  readonly providerById: ReadonlyMap<string, Provider>;
  /** Each provider's whole price list (see byServiceCurrencyAndPrice); [] when it has none. */
  offersOf(providerId: string): readonly Offer[];
  /** Who serves a country, and in which currency it is priced. */
  serviceArea(country: string): ServiceArea;
}

const NO_OFFERS: readonly Offer[] = Object.freeze([]);
const NO_PROVIDERS: Provider[] = [];

export function buildDirectorySnapshot(version: number, providers: Provider[], offers: Offer[]): DirectorySnapshot {
  const providerById = new Map(providers.map((p) => [p.id, p]));
  const offersByProvider = new Map<string, Offer[]>();
  for (const offer of [...offers].sort(byServiceCurrencyAndPrice)) {
    const list = offersByProvider.get(offer.provider.id) ?? [];
    offersByProvider.set(offer.provider.id, list);
    list.push(offer);
  }
  const servingCountry = new Map<string, Provider[]>();
  for (const provider of providers) {
    for (const country of new Set(provider.serviceCountries)) {
      const list = servingCountry.get(country) ?? [];
      servingCountry.set(country, list);
      list.push(provider);
    }
  }
  const manufacturer = providers.find((p) => p.hasRole(ProviderRole.MANUFACTURER)) ?? null;
  return {
    version,
    providers,
    providerById,
    offersOf: (providerId) => offersByProvider.get(providerId) ?? NO_OFFERS,
    serviceArea: (country) => ({ country, currency: currencyOfCountry(country), providers: servingCountry.get(country) ?? NO_PROVIDERS, manufacturer }),
  };
}

/**
 * Reads the marker, the providers and the offers in one read transaction, so the snapshot is one
 * committed state of the directory and its version says which (PostgreSQL: repeatable read; SQLite
 * transactions always read one state).
 */
export async function loadDirectorySnapshot(orm: SubgraphORM): Promise<DirectorySnapshot> {
  const postgres = Boolean(orm.config.get('clientUrl'));
  return (orm.em.fork() as SubgraphEM).transactional(
    async (em) => {
      const version = await readDirectoryVersion(em);
      const providers = await em.find(Provider, {}, { orderBy: { name: 'asc', id: 'asc' } });
      const offers = await em.find(Offer, {});
      return buildDirectorySnapshot(version, providers, offers);
    },
    postgres ? { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true } : {},
  );
}
