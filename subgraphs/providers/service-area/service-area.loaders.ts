import DataLoader from 'dataloader';
import { ProviderRole } from '../../../lib/domain';
import type { Provider } from '../provider/provider.entity';
import { currencyOfCountry } from './country-currency';
import type { ServiceArea } from './service-area.type';

/** Service areas by country, all cut from one read of the directory. */
export const createServiceAreaLoader = (directory: DataLoader<'all', Provider[]>) =>
  new DataLoader<string, ServiceArea>(async (countries) => {
    const all = await directory.load('all');
    const manufacturer = all.find((p) => p.hasRole(ProviderRole.MANUFACTURER)) ?? null;
    return countries.map((country) => ({
      country,
      currency: currencyOfCountry(country),
      providers: all.filter((p) => p.serves(country)),
      manufacturer,
    }));
  });
