/**
 * How practices find a provider (routingStanding, docs/rules.md "How practices find a provider"):
 * for each country it serves and each topic its roles can be routed for, the answer of the routing
 * rules themselves (routeSupportContact, the same code as supportContact) to two holders there.
 * Pure: the caller brings the provider's facts and its countries' service areas; no rule is
 * restated here, only the licenses the rules are asked about are built.
 *
 * - The open ranking: a holder whose license names nobody who comes first for the topic. For user
 *   support and training, no designated support partner (rule 4 ranks every active partner serving
 *   the country). For Level 0, a vendor that is no longer active: the only case where distributors
 *   are ranked against each other (rule 1's stand-ins); a holder whose vendor is active asks that
 *   vendor alone.
 * - Its own holders: a license it sold (a distributor, Level 0) or is designated for (a support
 *   partner, user support and training), i.e. what the holders of its licenses there are told.
 */
import { LicenseStatus, ProviderRole, SupportCategoryId, SupportLevel } from '../../../lib/domain';
import type { Language } from '../../../lib/i18n/languages';
import { routeSupportContact, type LicenseFacts, type ProviderFacts, type ServiceAreaFacts, type TopicFacts } from './route-support-contact';

/** Where the provider stands in one routing answer. */
export interface RoutingRank {
  /** 1 for the first contact; null when the provider is not among the contacts. */
  position: number | null;
  total: number;
  contacts: ProviderFacts[];
  explanation: string;
}

export interface RoutingPlace {
  country: string;
  topic: TopicFacts;
  holderLanguage: string;
  openRanking: RoutingRank;
  ownHolders: RoutingRank;
}

const isLevelZero = (topic: TopicFacts) => topic.category === SupportCategoryId.TECHNICAL_SUPPORT && topic.level !== SupportLevel.LEVEL_1;
const isUserSupport = (topic: TopicFacts) => topic.category === SupportCategoryId.USER_SUPPORT;

/**
 * The topics a provider's roles can put it among the contacts for: Level 0 technical support for a
 * distributor (rule 1; a technical topic without a level counts as Level 0, as the rules read it),
 * user support and training for a support partner that is not the manufacturer (rule 4 never lists
 * the manufacturer). Level 1 and maintenance always go to the manufacturer (rules 2 and 3).
 */
export function topicsRoutedFor(roles: ProviderRole[], topics: TopicFacts[]): TopicFacts[] {
  const distributor = roles.includes(ProviderRole.DISTRIBUTOR);
  const partner = roles.includes(ProviderRole.SUPPORT_PARTNER) && !roles.includes(ProviderRole.MANUFACTURER);
  return topics.filter((topic) => (distributor && isLevelZero(topic)) || (partner && isUserSupport(topic)));
}

/** The vendor of the open ranking's Level 0 holder: one that dropped out, so the rules rank the distributors serving the country. */
const FORMER_VENDOR: ProviderFacts = {
  id: '',
  name: 'a former distributor',
  active: false,
  roles: [ProviderRole.DISTRIBUTOR],
  serviceCountries: [],
  languages: [],
  offers: [],
};

function holderLicense(key: string, country: string, language: string, parties: Pick<LicenseFacts, 'vendor' | 'supportPartner'>): LicenseFacts {
  // Status and maintenance change neither Level 0 nor user support contacts (rules 1 and 4).
  return { key, status: LicenseStatus.ACTIVE, maintenancePaidThrough: null, holder: { country, language }, ...parties };
}

function rank(provider: ProviderFacts, license: LicenseFacts, area: ServiceAreaFacts, topic: TopicFacts, today: string, language?: Language): RoutingRank {
  const { contacts, explanation } = routeSupportContact({ license, area, topic, today, language });
  const at = contacts.findIndex((c) => c.id === provider.id);
  return { position: at < 0 ? null : at + 1, total: contacts.length, contacts, explanation };
}

export interface RoutingStandingInput {
  provider: ProviderFacts;
  /** The service area of each of its service countries. */
  areas: ServiceAreaFacts[];
  /** The support catalogue's topics, in catalogue order. */
  topics: TopicFacts[];
  /** The language the holders are assumed to work in (rules 1 and 4 rank it first). */
  holderLanguage: string;
  today: string;
  /** The reader's language for the explanations (English when not given). */
  language?: Language;
}

/** A place per service country (in the provider's order) and routed topic (in catalogue order). */
export function routingStanding({ provider, areas, topics, holderLanguage, today, language }: RoutingStandingInput): RoutingPlace[] {
  const routed = topicsRoutedFor(provider.roles, topics);
  return areas.flatMap((area) =>
    routed.map((topic): RoutingPlace => {
      const levelZero = isLevelZero(topic);
      const open = holderLicense(`held in ${area.country}`, area.country, holderLanguage, {
        vendor: levelZero ? FORMER_VENDOR : null,
        supportPartner: null,
      });
      const own = holderLicense(
        levelZero ? `sold by ${provider.name} in ${area.country}` : `designating ${provider.name} in ${area.country}`,
        area.country,
        holderLanguage,
        levelZero ? { vendor: provider, supportPartner: null } : { vendor: null, supportPartner: provider },
      );
      return {
        country: area.country,
        topic,
        holderLanguage,
        openRanking: rank(provider, open, area, topic, today, language),
        ownHolders: rank(provider, own, area, topic, today, language),
      };
    }),
  );
}
