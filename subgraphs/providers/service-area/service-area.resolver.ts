import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { countryArgument } from '../../../lib/arguments';
import type { ProvidersContext } from '../context';
import { ServiceArea } from './service-area.type';

@Resolver(() => ServiceArea)
export class ServiceAreaResolver {
  @Query(() => ServiceArea, { description: 'Who serves a country, and in which currency it is priced.' })
  serviceArea(@Arg('country', { description: 'ISO 3166-1 alpha-2 country code.' }) country: string, @Ctx() { directory }: ProvidersContext): ServiceArea {
    return directory.serviceArea(countryArgument(country));
  }
}
