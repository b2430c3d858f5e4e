/**
 * Routing: whom a license holder contacts for a support topic (docs/rules.md, "Routing: whom to contact
 * for a topic under a license"). Pure: the caller loads the facts, this decides. One helper per rule.
 */
import { isValidOn, LicenseStatus, PriceUnit, ProviderRole, ServiceKind, SupportCategoryId, SupportLevel } from '../../../lib/domain';
import { amountInCents } from '../../../lib/money';
import { isActiveDistributor, maintenanceReseller } from '../../../lib/distributor-duties';
import { DEFAULT_LANGUAGE, type Language } from '../../../lib/i18n/languages';
import { translatorFor, type Translate } from '../../../lib/i18n/translate';

export interface OfferFacts {
  service: ServiceKind;
  price: { amount: string; currency: string };
  unit: PriceUnit;
  validFrom?: string | null;
  validUntil?: string | null;
}
export interface ProviderFacts {
  id: string;
  name: string;
  active: boolean;
  roles: ProviderRole[];
  serviceCountries: string[];
  languages: string[];
  offers: OfferFacts[];
}
export interface LicenseFacts {
  key: string;
  status: LicenseStatus;
  maintenancePaidThrough: string | null; // ISO date
  holder: { country: string; language: string }; // ISO 3166-1 alpha-2 upper case, ISO 639-1 lower case
  vendor: ProviderFacts | null; // null: bought directly from the manufacturer
  supportPartner: ProviderFacts | null; // designated support partner
}
export interface ServiceAreaFacts {
  country: string;
  currency: string | null;
  providers: ProviderFacts[];
  manufacturer: ProviderFacts | null;
}
export interface TopicFacts {
  id: string;
  name: string;
  category: SupportCategoryId;
  level: SupportLevel | null;
  service: ServiceKind | null;
}
export interface SupportRoute {
  contacts: ProviderFacts[];
  escalation: ProviderFacts[];
  billedBy: ProviderFacts | null;
  explanation: string;
}

export class MissingManufacturerError extends Error {
  constructor() {
    super('the directory has no provider with role MANUFACTURER');
    this.name = 'MissingManufacturerError';
  }
}

interface RouteInput {
  license: LicenseFacts;
  area: ServiceAreaFacts;
  topic: TopicFacts;
  today: string;
  /** The reader's language for the explanation (lib/i18n); English when not given. Nothing else depends on it. */
  language?: Language;
}
/** What every rule needs: the input plus the manufacturer, known to exist, and the explanation's words. */
interface Context extends RouteInput {
  manufacturer: ProviderFacts;
  t: Translate;
}

export function routeSupportContact(input: RouteInput): SupportRoute {
  const { manufacturer } = input.area;
  if (!manufacturer) throw new MissingManufacturerError();
  const ctx: Context = { ...input, manufacturer, t: translatorFor(input.language ?? DEFAULT_LANGUAGE) };
  const route = ruleFor(input.topic)(ctx);
  return { ...route, explanation: route.explanation + licenseStatusNote(ctx) };
}

function ruleFor(topic: TopicFacts): (ctx: Context) => SupportRoute {
  switch (topic.category) {
    case SupportCategoryId.SOFTWARE_MAINTENANCE:
      return maintenanceRoute;
    case SupportCategoryId.USER_SUPPORT:
      return userSupportRoute;
    // A technical topic without a level is treated as Level 0: the first contact is never wrong to ask.
    case SupportCategoryId.TECHNICAL_SUPPORT:
      return topic.level === SupportLevel.LEVEL_1 ? levelOneRoute : levelZeroRoute;
  }
}

// ---- predicates -------------------------------------------------------------------------------

/** area.providers is pre-filtered by country, but the rules depend on it, so check again. */
const activeInCountry = (area: ServiceAreaFacts, country: string, role: ProviderRole) =>
  area.providers.filter((p) => p.active && p.roles.includes(role) && p.serviceCountries.includes(country));

const sameProvider = (a: ProviderFacts) => (b: ProviderFacts) => a.id === b.id;

// ---- ordering: comparators built from small key functions --------------------------------------

type Compare<T> = (a: T, b: T) => number;
/** Compare two things by a key, with the key's own comparator. */
const on =
  <T, K>(key: (t: T) => K, compare: Compare<K>): Compare<T> =>
  (a, b) =>
    compare(key(a), key(b));
/** Plain ordering (numbers, cents, codes); codes compare by code unit, deterministically. */
const natural: Compare<number | bigint | string> = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
const by = <T>(key: (t: T) => number | bigint | string): Compare<T> => on(key, natural);
/** Human-facing text (names) in locale order. */
const byText =
  <T>(key: (t: T) => string): Compare<T> =>
  (a, b) =>
    key(a).localeCompare(key(b));
const thenBy =
  <T>(...compares: Compare<T>[]): Compare<T> =>
  (a, b) => {
    for (const compare of compares) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
/** 0 sorts first: a boolean preference as a key. */
const first = (preferred: boolean) => (preferred ? 0 : 1);

const speaks = (language: string) => (p: ProviderFacts) => first(p.languages.includes(language));
const byNameThenId: Compare<ProviderFacts> = thenBy(
  byText((p) => p.name),
  by((p) => p.id),
);

// ---- rule 1: Level 0 technical support -----------------------------------------------------------

function levelZeroRoute(ctx: Context): SupportRoute {
  const { license, manufacturer, t } = ctx;
  const { vendor } = license;
  const subject = t('routing.level0.subject', { topic: ctx.topic.name, key: license.key });
  if (!vendor) {
    return levelZero(ctx, [manufacturer], t('routing.level0.direct', { subject, manufacturer: manufacturer.name }));
  }
  if (isActiveDistributor(vendor)) {
    return levelZero(ctx, [vendor], t('routing.level0.vendor', { subject, vendor: vendor.name }));
  }
  // (our rule) The vendor dropped out: the holder turns to the distributors still serving its country.
  const country = license.holder.country;
  const why = t(vendor.active ? 'routing.level0.vendorNotDistributor' : 'routing.level0.vendorInactive', { vendor: vendor.name });
  const distributors = activeInCountry(ctx.area, country, ProviderRole.DISTRIBUTOR).sort(thenBy(by(speaks(license.holder.language)), byNameThenId));
  if (distributors.length === 0) {
    return levelZero(ctx, [manufacturer], t('routing.level0.noDistributor', { subject, manufacturer: manufacturer.name, why, country }));
  }
  if (distributors.length === 1) {
    return levelZero(ctx, distributors, t('routing.level0.oneDistributor', { subject, distributor: distributors[0].name, country, why }));
  }
  return levelZero(ctx, distributors, t('routing.level0.severalDistributors', { subject, why, country, names: names(distributors) }));
}

/** Escalation and billing follow from the contacts alone, whichever way they were found. */
function levelZero(ctx: Context, contacts: ProviderFacts[], explanation: string): SupportRoute {
  const { manufacturer } = ctx;
  const manufacturerIsContact = contacts.some(sameProvider(manufacturer));
  const escalation = manufacturerIsContact ? [] : [manufacturer];
  // One contact bills its own fees; among several the holder chooses, so nobody is billing yet.
  const billedBy = contacts.length === 1 ? contacts[0] : null;
  const sentence = manufacturerIsContact
    ? ctx.t('routing.level0.manufacturerIsContact', { explanation })
    : ctx.t('routing.level0.takeover', { explanation, manufacturer: manufacturer.name, count: contacts.length });
  return { contacts, escalation, billedBy, explanation: sentence };
}

// ---- rule 2: Level 1 technical support -----------------------------------------------------------

function levelOneRoute({ license, topic, manufacturer, t }: Context): SupportRoute {
  return {
    contacts: [manufacturer],
    escalation: [],
    billedBy: manufacturer,
    explanation: t('routing.level1', { topic: topic.name, key: license.key, manufacturer: manufacturer.name }),
  };
}

// ---- rule 3: software maintenance ----------------------------------------------------------------

function maintenanceRoute({ license, topic, manufacturer, today, t }: Context): SupportRoute {
  const vendor = maintenanceReseller(license.vendor);
  const billing = vendor ? t('routing.maintenance.billedByVendor', { vendor: vendor.name }) : t('routing.maintenance.billedByManufacturer');
  return {
    contacts: [manufacturer],
    escalation: [],
    billedBy: vendor ?? manufacturer,
    explanation: t('routing.maintenance', {
      topic: topic.name,
      key: license.key,
      manufacturer: manufacturer.name,
      billing,
      arrears: maintenanceArrears(license, today, t),
    }),
  };
}

function maintenanceArrears({ maintenancePaidThrough }: LicenseFacts, today: string, t: Translate): string {
  if (maintenancePaidThrough === null) return t('routing.maintenance.noPayment');
  if (maintenancePaidThrough < today) return t('routing.maintenance.paidThrough', { date: maintenancePaidThrough });
  return '';
}

// ---- rule 4: user support and training -----------------------------------------------------------

/**
 * Rule 4's candidates: the active support partners serving the holder's country. The designated
 * partner comes first exactly when it is one of them (the routing load counts that).
 */
export function userSupportCandidates(country: string, area: ServiceAreaFacts): ProviderFacts[] {
  // "License packages do not include training or user support": never the manufacturer, whatever its roles.
  return activeInCountry(area, country, ProviderRole.SUPPORT_PARTNER).filter(
    (p) => !(area.manufacturer && sameProvider(area.manufacturer)(p)) && !p.roles.includes(ProviderRole.MANUFACTURER),
  );
}

function userSupportRoute({ license, area, topic, manufacturer, today, t, language: reader }: Context): SupportRoute {
  const { country, language } = license.holder;
  const partners = userSupportCandidates(country, area);
  const inSentence = topicInSentence(topic.name, reader ?? DEFAULT_LANGUAGE);
  const disclaimer = t('routing.userSupport.disclaimer', { manufacturer: manufacturer.name, topic: inSentence });
  if (partners.length === 0) {
    return {
      contacts: [],
      escalation: [],
      billedBy: null,
      explanation: t('routing.userSupport.none', { country, topic: inSentence, key: license.key, disclaimer }),
    };
  }
  const compareOffers = byOffer(area.currency);
  const rankingOffer = new Map(partners.map((p) => [p.id, rankingOfferOf(p, topic.service, today, compareOffers)]));
  const designated = license.supportPartner;
  const contacts = partners.sort(
    thenBy(
      by((p) => first(p.id === designated?.id)),
      by(speaks(language)),
      on((p) => rankingOffer.get(p.id), compareOffers),
      byNameThenId,
    ),
  );
  const order =
    contacts[0].id === designated?.id
      ? t('routing.userSupport.orderDesignated', { partner: contacts[0].name, language })
      : t('routing.userSupport.orderOpen', { language });
  return {
    contacts,
    escalation: [],
    billedBy: null, // each partner bills its own offers; the holder chooses
    explanation: t('routing.userSupport.partners', {
      topic: topic.name,
      key: license.key,
      country,
      names: names(contacts),
      order,
      units: unitsNote(contacts, rankingOffer, t),
      disclaimer,
    }),
  };
}

/** A topic's name inside a sentence: lower case, except in German, where nouns keep their capital. */
const topicInSentence = (name: string, language: Language) => (language === 'de' ? name : name.toLocaleLowerCase(language));

/**
 * (our rule) Prices compare only like with like, smallest commitment first: a per-participant price
 * is never "cheaper" than a per-day one because its number is smaller.
 */
const UNIT_ORDER = [PriceUnit.PER_HOUR, PriceUnit.PER_PARTICIPANT, PriceUnit.PER_DAY, PriceUnit.ONE_TIME, PriceUnit.ANNUAL];

/**
 * Offers (or their absence) ranked for the holder: priced in its country's currency first, then other
 * currencies by code (never converted); then by unit in UNIT_ORDER; then the lower amount first, in
 * integer cents. No offer comes last.
 */
const byOffer = (localCurrency: string | null): Compare<OfferFacts | undefined> =>
  thenBy(
    by((o) => (o === undefined ? 2 : first(o.price.currency === localCurrency))),
    by((o) => o?.price.currency ?? ''),
    by((o) => (o ? UNIT_ORDER.indexOf(o.unit) : 0)),
    by((o) => (o ? amountInCents(o.price.amount) : 0n)),
  );

/** The partner's ranking price: its first current offer for the service, by the same order as partners. */
const rankingOfferOf = (p: ProviderFacts, service: ServiceKind | null, today: string, compare: Compare<OfferFacts | undefined>) =>
  p.offers.filter((o) => o.service === service && isValidOn(o, today)).sort(compare)[0] as OfferFacts | undefined;

/** When the contacts' ranking prices differ in unit, the explanation names each price with its unit. */
function unitsNote(contacts: ProviderFacts[], rankingOffer: Map<string, OfferFacts | undefined>, t: Translate): string {
  const priced = contacts.flatMap((p) => {
    const o = rankingOffer.get(p.id);
    return o ? [{ name: p.name, offer: o }] : [];
  });
  if (new Set(priced.map(({ offer }) => offer.unit)).size < 2) return '';
  const prices = priced.map(({ name, offer }) =>
    t('routing.userSupport.price', { name, currency: offer.price.currency, amount: offer.price.amount, unit: t(`unit.${offer.unit}`) }),
  );
  return t('routing.userSupport.units', { prices: prices.join(', ') });
}

// ---- rule 5 and shared text ----------------------------------------------------------------------

const licenseStatusNote = ({ license: { key, status }, t }: Context) => (status === LicenseStatus.ACTIVE ? '' : t('routing.licenseNotActive', { key, status }));

const names = (providers: ProviderFacts[]) => providers.map((p) => p.name).join(', ');
