/**
 * routingLoad, the support side: turns the licenses subgraph's grouped counts into "provider P is the
 * first contact for N licenses in category C" by running the routing rules themselves (the same code
 * as supportContact: routeSupportContact, and rule 4's userSupportCandidates) once per count of a
 * group, never per license. The
 * gateway brings each group's vendor / support partner and each holder country's service area
 * (its providers and the manufacturer) from the providers subgraph through @requires, so whether a
 * vendor is still an active distributor, and who replaces it, is decided on current provider facts
 * without this subgraph reading anyone's database. A group is one vendor or designated partner (its
 * facts fetched once) with its counts per holder country and language: thousands of small rows at
 * most, however many licenses there are.
 *
 * What is counted as the first contact, per category (the first of the routing answer's contacts):
 * - SOFTWARE_MAINTENANCE: the manufacturer (rule 3), for every license.
 * - TECHNICAL_SUPPORT: the Level 0 contact (rule 1), the network's first contact: the vendor while
 *   it is an active distributor; bought directly: the manufacturer; a vendor that is no longer an
 *   active distributor: the first of the active distributors serving the holder's country (holder's
 *   language first, then by name), or the manufacturer when there is none. Level 1 topics always go
 *   to the manufacturer, as maintenance does.
 * - USER_SUPPORT: only the designated support partner, when it is first under rule 4 (active, a
 *   support partner, serving the holder's country). Without one the holder chooses among ranked
 *   partners, and the ranking differs between the category's topics (user support and training are
 *   priced separately), so those licenses are one bucket with provider null.
 */
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LicenseStatus, SupportCategoryId, SupportLevel } from '../../../lib/domain';
import { notFound } from '../../../lib/errors';
import { areaFacts, facts, route, topicFacts } from '../contact/support-contact.reference';
import { userSupportCandidates, type ProviderFacts, type ServiceAreaFacts, type TopicFacts } from './route-support-contact';
import type { SupportContext } from '../context';
import { ExternalProvider, ExternalServiceArea } from '../references/external-types';
import { message } from '../../../lib/i18n/message';

const PROVIDER_FACTS = 'id name active roles serviceCountries languages';

/** Everything the rules read for a group: its providers, and its holder country's service area. */
const ROUTING_LOAD_REQUIREMENTS =
  `groups { category vendor { ${PROVIDER_FACTS} } supportPartner { ${PROVIDER_FACTS} } holders { country language licenses } } ` +
  `areas { country currency manufacturer { ${PROVIDER_FACTS} } providers { ${PROVIDER_FACTS} } }`;

@ObjectType('RoutingHolderGroup')
export class ExternalRoutingHolderGroup {
  @Field() @Directive('@external') country!: string;
  @Field(() => String, { nullable: true }) @Directive('@external') language!: string | null;
  @Field(() => Int) @Directive('@external') licenses!: number;
}

@ObjectType('RoutingLicenseGroup')
export class ExternalRoutingLicenseGroup {
  @Field(() => SupportCategoryId) @Directive('@external') category!: SupportCategoryId;
  @Field(() => ExternalProvider, { nullable: true }) @Directive('@external') vendor!: ExternalProvider | null;
  @Field(() => ExternalProvider, { nullable: true }) @Directive('@external') supportPartner!: ExternalProvider | null;
  @Field(() => [ExternalRoutingHolderGroup]) @Directive('@external') holders!: ExternalRoutingHolderGroup[];
}

@ObjectType({ description: 'How many licenses in force one provider is the first contact for in one support category.' })
export class RoutingLoadBucket {
  @Field(() => SupportCategoryId, { description: 'The support category.' })
  category!: SupportCategoryId;

  @Field(() => ExternalProvider, {
    nullable: true,
    description:
      "The first contact. SOFTWARE_MAINTENANCE: the manufacturer. TECHNICAL_SUPPORT: the Level 0 contact (the vendor while it is an active distributor; bought directly: the manufacturer; otherwise the first-ranked active distributor serving the holder's country, or the manufacturer when none). USER_SUPPORT: only the designated support partner when it is active and serves the holder's country; null for the licenses without one, whose holders choose among ranked partners.",
  })
  provider!: ExternalProvider | null;

  @Field(() => Int, { description: 'How many licenses (not EXPIRED) it is the first contact for.' })
  licenses!: number;
}

@ObjectType('RoutingLoad')
@Directive('@key(fields: "id")')
export class ExternalRoutingLoad {
  @Field(() => ID) id!: string;
  @Field(() => [ExternalRoutingLicenseGroup]) @Directive('@external') groups!: ExternalRoutingLicenseGroup[];
  @Field(() => [ExternalServiceArea]) @Directive('@external') areas!: ExternalServiceArea[];

  @Field(() => [RoutingLoadBucket], {
    description: 'A bucket per category and first contact, by category, then most licenses first, then provider id (null last).',
  })
  @Directive(`@requires(fields: "${ROUTING_LOAD_REQUIREMENTS}")`)
  buckets!: RoutingLoadBucket[];
}

/** The topic whose route stands for the category's first contact: its first topic, Level 0 for technical support. */
function representativeTopic(context: SupportContext, category: SupportCategoryId) {
  const topic = context.catalogue.topics.find(
    (t) => t.category.id === category && (category !== SupportCategoryId.TECHNICAL_SUPPORT || t.level === SupportLevel.LEVEL_0),
  );
  if (!topic) throw new Error(`the support catalogue has no topic of category ${category}`);
  return topicFacts(topic);
}

interface Area {
  facts: ServiceAreaFacts;
  userSupportCandidates?: Set<string>;
}

/** The id of the first contact of a group's holders, or null (USER_SUPPORT without a designated partner that comes first). */
function firstContactOf(
  group: ExternalRoutingLicenseGroup,
  provider: { vendor: ProviderFacts | null; supportPartner: ProviderFacts | null },
  holders: ExternalRoutingHolderGroup,
  area: Area,
  topic: TopicFacts,
  today: string,
): string | null {
  if (group.category === SupportCategoryId.USER_SUPPORT) {
    // Rule 4 puts the designated partner first exactly when it is a candidate; the candidates are
    // the same for every count of the country, so they are found once per area, and no other
    // partner is ranked (or priced) here.
    area.userSupportCandidates ??= new Set(userSupportCandidates(holders.country, area.facts).map((p) => p.id));
    const designated = provider.supportPartner?.id;
    return designated !== undefined && area.userSupportCandidates.has(designated) ? designated : null;
  }
  const license = {
    key: `${holders.licenses} licenses in ${holders.country}`,
    // Status and maintenance only change the explanation, never the contacts.
    status: LicenseStatus.ACTIVE,
    maintenancePaidThrough: null,
    holder: { country: holders.country, language: holders.language ?? '' },
    ...provider,
  };
  return route({ license, area: area.facts, topic, today }).contacts[0]?.id ?? null;
}

const CATEGORY_ORDER = Object.values(SupportCategoryId);

export function routingLoadBuckets(groups: ExternalRoutingLicenseGroup[], areas: ExternalServiceArea[], context: SupportContext): RoutingLoadBucket[] {
  // Facts converted once per area and per group, not once per holder row.
  const areaByCountry = new Map(areas.map((area): [string, Area] => [area.country, { facts: areaFacts(area) }]));
  const topics = new Map(CATEGORY_ORDER.map((category) => [category, representativeTopic(context, category)]));
  const buckets = new Map<string, RoutingLoadBucket>();
  for (const group of groups) {
    const provider = { vendor: facts(group.vendor), supportPartner: facts(group.supportPartner) };
    for (const holders of group.holders) {
      const area = areaByCountry.get(holders.country);
      if (!area) throw notFound(message('error.serviceAreaNotFound', { country: holders.country }));
      const providerId = firstContactOf(group, provider, holders, area, topics.get(group.category)!, context.today);
      const key = `${group.category}\u0000${providerId ?? ''}`;
      const bucket = buckets.get(key) ?? { category: group.category, provider: providerId ? ({ id: providerId } as ExternalProvider) : null, licenses: 0 };
      bucket.licenses += holders.licenses;
      buckets.set(key, bucket);
    }
  }
  const providerOrder = (b: RoutingLoadBucket) => (b.provider ? `0${b.provider.id}` : '1');
  return [...buckets.values()].sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
      b.licenses - a.licenses ||
      (providerOrder(a) < providerOrder(b) ? -1 : providerOrder(a) > providerOrder(b) ? 1 : 0),
  );
}

/** Runs once per representation; a planner fetching the entity by its key alone gets just the key. */
export function resolveRoutingLoadReference(load: Partial<ExternalRoutingLoad> & { id: string }, context: SupportContext) {
  if (!load.groups || !load.areas) return { id: load.id };
  return { id: load.id, buckets: routingLoadBuckets(load.groups, load.areas, context) };
}
