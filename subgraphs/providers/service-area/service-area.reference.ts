import type { ProvidersContext } from '../context';
import type { ServiceArea } from './service-area.type';

/** Every license holder's country arrives here; each is cut from the request's snapshot. */
export const resolveServiceAreaReference = (reference: Pick<ServiceArea, 'country'>, { directory }: ProvidersContext) =>
  directory.serviceArea(reference.country);
