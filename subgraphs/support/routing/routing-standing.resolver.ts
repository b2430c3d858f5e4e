/**
 * routingStanding: the root field names only the provider; the gateway then gathers the provider's
 * facts and its countries' service areas from the providers subgraph (@requires) and comes back
 * through RoutingStanding's reference resolver, where the routing rules run (routing-standing.ts).
 */
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { idArgument, languageArgument } from '../../../lib/arguments';
import { forbidden, notFound, signInRequired } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import { areaFacts, facts, routed, topicFacts } from '../contact/support-contact.reference';
import type { SupportContext } from '../context';
import { ExternalProvider } from '../references/external-types';
import { SupportTopic } from '../topic/support-topic.entity';
import { routingStanding, type RoutingPlace as RoutingPlaceFacts, type RoutingRank as RoutingRankFacts } from './routing-standing';
import { message } from '../../../lib/i18n/message';

const PROVIDER_FACTS = 'id name active roles serviceCountries languages';
const PRICED_PROVIDER_FACTS = `${PROVIDER_FACTS} offers { service price { amount currency } unit validFrom validUntil }`;

/** Everything the rules read: the provider itself, and the service area of each country it serves. */
// The provider's id is part of the key, so it is left out of the top level.
export const STANDING_REQUIREMENTS =
  `provider { name active roles serviceCountries languages offers { service price { amount currency } unit validFrom validUntil } ` +
  `serviceAreas { country currency manufacturer { ${PROVIDER_FACTS} } providers { ${PRICED_PROVIDER_FACTS} } } }`;

/** docs/rules.md, the access matrix: how a provider is ranked is its own business and the manufacturer's. */
export function assertMaySeeRoutingStanding(caller: Identity, providerId: string): void {
  if (caller.role === 'admin' || (caller.role === 'provider' && caller.provider === providerId)) return;
  if (caller.role === 'anonymous') throw signInRequired(message('access.routingStandingSignIn', { provider: providerId }));
  throw forbidden(message('access.routingStanding', { provider: providerId }));
}

@ObjectType({ description: 'Where a provider stands in one routing answer.' })
export class RoutingRank {
  @Field(() => Int, { nullable: true, description: 'Its place among the contacts, 1 for the first; null when it is not among them.' })
  position!: number | null;

  @Field(() => Int, { description: 'How many contacts the answer has.' })
  total!: number;

  @Field(() => [ExternalProvider], { description: 'The contacts, best first, as supportContact answers them.' })
  contacts!: ExternalProvider[];

  @Field({ description: "The routing answer's explanation: why these contacts, in this order." })
  explanation!: string;
}

@ObjectType({ description: 'How practices in one country find a provider for one topic.' })
export class RoutingPlace {
  @Field({ description: 'ISO 3166-1 alpha-2 country code: one of the provider’s service countries.' })
  country!: string;

  @Field(() => SupportTopic, { description: 'A topic the provider’s roles can be routed for.' })
  topic!: SupportTopic;

  @Field({ description: 'The language the holders are assumed to work in (ISO 639-1).' })
  holderLanguage!: string;

  @Field(() => RoutingRank, {
    description:
      'A holder there whose license names nobody who comes first: for user support and training, no designated support partner; for Level 0, a vendor that is no longer active (the only case where distributors are ranked against each other).',
  })
  openRanking!: RoutingRank;

  @Field(() => RoutingRank, {
    description: 'What the holders of its own licenses there are told: a license it sold (Level 0), or one that designates it (user support and training).',
  })
  ownHolders!: RoutingRank;
}

@ObjectType({ description: 'How practices find a provider: its place in the routing for each country it serves and each topic it can be routed for.' })
@Directive('@key(fields: "provider { id }")')
export class RoutingStanding {
  @Field(() => ExternalProvider, { description: 'The provider.' })
  provider!: ExternalProvider;
}

const rankOf = (rank: RoutingRankFacts): RoutingRank => ({ ...rank, contacts: rank.contacts as unknown as ExternalProvider[] });

@Resolver(() => RoutingStanding)
export class RoutingStandingResolver {
  @Query(() => RoutingStanding, {
    description:
      'How practices find a provider: for each of its service countries and each topic it can be routed for (Level 0 technical support for a distributor, user support and training for a support partner), its place among the contacts and why, for a holder there with nobody designated and for the holders of its own licenses, by the same rules as supportContact. Only for that provider and admins: anyone else is FORBIDDEN, an anonymous caller UNAUTHENTICATED; an unknown provider is NOT_FOUND (for an admin).',
  })
  routingStanding(
    @Arg('providerId', () => ID, { description: 'The provider (distributor or support partner).' }) providerId: string,
    @Ctx() context: SupportContext,
  ) {
    const id = idArgument(providerId, 'providerId');
    assertMaySeeRoutingStanding(context.caller, id);
    return { provider: { id } as ExternalProvider };
  }

  @FieldResolver(() => [RoutingPlace], {
    description: 'A place per service country (in the provider’s order) and routed topic (in catalogue order); empty when its roles are routed for no topic.',
  })
  @Directive(`@requires(fields: "${STANDING_REQUIREMENTS}")`)
  places(
    @Root() standing: RoutingStanding,
    @Ctx() context: SupportContext,
    @Arg('holderLanguage', () => String, {
      nullable: true,
      description: 'The language the holders work in (ISO 639-1; rules 1 and 4 rank providers working in it first). Default: the provider’s first language.',
    })
    holderLanguage?: string | null,
  ): RoutingPlace[] {
    const provider = standing.provider;
    // A provider the providers subgraph does not know arrives without its facts (or as null).
    if (!provider?.name || !provider.serviceAreas)
      throw notFound(provider ? message('error.providerNotFound', { id: provider.id }) : message('error.someProviderNotFound'));
    // Its languages are never empty (the import and updateProvider refuse that); 'en' only guards the type.
    const language = holderLanguage == null ? (provider.languages[0] ?? 'en') : languageArgument(holderLanguage, 'holderLanguage');
    const places = routed(
      () =>
        routingStanding({
          provider: facts(provider)!,
          areas: provider.serviceAreas!.map(areaFacts),
          topics: context.catalogue.topics.map((topic) => topicFacts(topic, context.language)),
          holderLanguage: language,
          today: context.today,
          language: context.language,
        }),
      context.language,
    );
    const topicById = new Map(context.catalogue.topics.map((t) => [t.id, t]));
    return places.map((place: RoutingPlaceFacts) => ({
      country: place.country,
      topic: topicById.get(place.topic.id)!,
      holderLanguage: place.holderLanguage,
      openRanking: rankOf(place.openRanking),
      ownHolders: rankOf(place.ownHolders),
    }));
  }
}

/**
 * Runs once per representation. The access check is repeated here: the entity carries the
 * provider's facts, and a subgraph answers _entities to whoever the gateway signs for.
 */
export function resolveRoutingStandingReference(representation: { provider: (Partial<ExternalProvider> & { id: string }) | null }, context: SupportContext) {
  const provider = representation.provider;
  if (provider) assertMaySeeRoutingStanding(context.caller, provider.id);
  return { provider };
}
