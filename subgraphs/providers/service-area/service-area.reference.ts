import type { ProvidersContext } from '../context';
import type { ServiceArea } from './service-area.type';

/** Every license holder's country arrives here; one directory read answers the whole batch. */
export const resolveServiceAreaReference = (reference: Pick<ServiceArea, 'country'>, { loaders }: ProvidersContext) =>
  loaders.serviceAreaByCountry.load(reference.country);
