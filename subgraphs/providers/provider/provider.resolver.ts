import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { isValidOn, ProviderRole, ServiceKind, SupportCategoryId, todayIso } from '../../../lib/domain';
import { categoriesServed } from '../../../lib/first-response-commitments';
import { countryArgument, languageArgument } from '../../../lib/arguments';
import type { ProvidersContext } from '../context';
import { Offer } from '../offer/offer.entity';
import { Provider } from './provider.entity';
import { ServiceArea } from '../service-area/service-area.type';

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => Provider, { nullable: true, description: 'One provider by id; null when there is none.' })
  provider(@Arg('id', () => ID, { description: 'The provider id (slug).' }) id: string, @Ctx() { directory }: ProvidersContext): Provider | null {
    return directory.providerById.get(id) ?? null;
  }

  /** The partner portal's sign-in: an API key or a token says which provider it acts for, and the page needs to know. */
  @Query(() => Provider, {
    nullable: true,
    description: 'The provider the caller acts for (a provider token or API key); null for anyone else (anonymous, holders, admins).',
  })
  viewer(@Ctx() { directory, caller }: ProvidersContext): Provider | null {
    return caller.role === 'provider' ? (directory.providerById.get(caller.provider) ?? null) : null;
  }

  @Query(() => [Provider], { description: 'The directory, by name, narrowed by any of role, served country, working language and active flag.' })
  providers(
    @Ctx() { directory }: ProvidersContext,
    @Arg('role', () => ProviderRole, { nullable: true, description: 'Only providers holding this role.' }) role?: ProviderRole,
    @Arg('country', () => String, { nullable: true, description: 'Only providers serving this country (ISO 3166-1 alpha-2).' }) country?: string,
    @Arg('language', () => String, { nullable: true, description: 'Only providers working in this language (ISO 639-1).' }) language?: string,
    @Arg('active', () => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) providers; both when omitted.' }) active?: boolean,
  ): Provider[] {
    const servedCountry = country == null ? null : countryArgument(country);
    const spokenLanguage = language == null ? null : languageArgument(language);
    return directory.providers.filter(
      (p) =>
        (role == null || p.hasRole(role)) &&
        (servedCountry == null || p.serves(servedCountry)) &&
        (spokenLanguage == null || p.languages.includes(spokenLanguage)) &&
        (active == null || p.active === active),
    );
  }

  @FieldResolver(() => [Offer], { description: "The provider's own price list, by service, currency and price." })
  offers(
    @Root() provider: Provider,
    @Ctx() { directory }: ProvidersContext,
    @Arg('service', () => ServiceKind, { nullable: true, description: 'Only offers for this service.' }) service?: ServiceKind,
    @Arg('current', () => Boolean, { nullable: true, description: 'true: only offers whose validity includes today; false or omitted: the whole price list.' })
    current?: boolean,
  ): Offer[] {
    // "Today" when answering, never frozen into the snapshot.
    const today = todayIso();
    return directory.offersOf(provider.id).filter((o) => (service == null || o.service === service) && (!current || isValidOn(o, today)));
  }

  // The support subgraph requires these to rank the provider in each country it serves (routingStanding).
  @FieldResolver(() => [ServiceArea], { description: 'The service area of each of its service countries, in the order of serviceCountries.' })
  serviceAreas(@Root() provider: Provider, @Ctx() { directory }: ProvidersContext): ServiceArea[] {
    return provider.serviceCountries.map((country) => directory.serviceArea(country));
  }

  // openNow and nextOpening are computed at the request's instant, never frozen into the snapshot.
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      'Whether the provider is open at this moment by its businessHours, read in its timeZone. Public holidays (PH) are those of its home country as far as the opening_hours library knows them. null without businessHours or timeZone, when the hours say "unknown" now, or when they mention PH for a country the library has no holidays for.',
  })
  openNow(@Root() provider: Provider, @Ctx() { openingState }: ProvidersContext): boolean | null {
    return openingState(provider).openNow;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The next moment the provider opens by its businessHours (when open now: when it opens again after this opening ends), as an ISO 8601 instant with its timeZone\'s offset, e.g. "2026-11-26T08:00:00+01:00". null when it does not open within a year (or never closes), without businessHours or timeZone, or when the hours mention PH for a country the library has no holidays for.',
  })
  nextOpening(@Root() provider: Provider, @Ctx() { openingState }: ProvidersContext): string | null {
    return openingState(provider).nextOpening;
  }

  @FieldResolver(() => [SupportCategoryId], {
    description:
      'The support categories its roles serve: those it may state a first-response commitment for (MANUFACTURER: software maintenance and technical support; DISTRIBUTOR: technical support; SUPPORT_PARTNER: user support).',
  })
  firstResponseCategories(@Root() provider: Provider): SupportCategoryId[] {
    return categoriesServed(provider.roles);
  }
}
