import { GraphQLError, Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { notFound } from '../../../lib/errors';
import type { SupportContext } from '../context';
import type { ExternalLicense, ExternalProvider, ExternalServiceArea } from '../references/external-types';
import {
  MissingManufacturerError,
  routeSupportContact,
  type ProviderFacts,
  type ServiceAreaFacts,
  type SupportRoute,
  type TopicFacts,
} from '../routing/route-support-contact';
import { firstResponses } from '../routing/first-responses';
import { requireTopic } from '../topic/require-topic';
import { topicName } from '../topic/topic-names';
import { DEFAULT_LANGUAGE, type Language } from '../../../lib/i18n/languages';
import { translate } from '../../../lib/i18n/translate';
import type { SupportTopic } from '../topic/support-topic.entity';
import type { SupportContact } from './support-contact.type';
import { message } from '../../../lib/i18n/message';

interface SupportContactRepresentation {
  /** null when the licenses subgraph found no such license (it reports NOT_FOUND naming the key). */
  license: (Partial<ExternalLicense> & { key: string }) | null;
  topic: { id: string };
}

/** Providers as the routing rules read them; offers are only required where prices matter. */
export const facts = (provider: ExternalProvider | null | undefined): ProviderFacts | null =>
  provider ? { ...provider, offers: provider.offers ?? [] } : null;

/** A service area as the routing rules read it. */
export const areaFacts = (area: ExternalServiceArea): ServiceAreaFacts => ({
  country: area.country,
  currency: area.currency ?? null,
  manufacturer: facts(area.manufacturer),
  providers: (area.providers ?? []).map((p) => facts(p)!),
});

export const topicFacts = (topic: SupportTopic, language: Language = DEFAULT_LANGUAGE): TopicFacts => ({
  id: topic.id,
  name: topicName(topic, language),
  category: topic.category.id,
  level: topic.level ?? null,
  service: topic.service ?? null,
});

/** The routing rules, with a directory that has no manufacturer reported as such rather than as a crash. */
export function route(input: Parameters<typeof routeSupportContact>[0]): SupportRoute {
  return routed(() => routeSupportContact(input), input.language);
}

/** Runs routing work, reporting a directory without a manufacturer as DIRECTORY_INCOMPLETE (in the reader's language). */
export function routed<T>(work: () => T, language: Language = DEFAULT_LANGUAGE): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof MissingManufacturerError) {
      throw new GraphQLError(translate(language, 'error.noManufacturer'), { extensions: { code: 'DIRECTORY_INCOMPLETE' } });
    }
    throw error;
  }
}

/** Applies the routing rules of docs/rules.md to the facts the gateway gathered through @requires. */
export function answerSupportContact(
  license: NonNullable<SupportContactRepresentation['license']>,
  topic: SupportTopic,
  { today, now, language }: Pick<SupportContext, 'today' | 'now' | 'language'>,
): SupportContact {
  if (!license.holder || !license.status) throw notFound(message('error.licenseNotFound', { key: license.key }));
  const answer = route({
    license: {
      key: license.key,
      status: license.status,
      maintenancePaidThrough: license.maintenancePaidThrough ?? null,
      holder: { country: license.holder.country, language: license.holder.language },
      vendor: facts(license.vendor),
      supportPartner: facts(license.supportPartner),
    },
    area: areaFacts(license.holder.serviceArea),
    topic: topicFacts(topic, language),
    today,
    language,
  });
  const routed = answer as Pick<SupportContact, 'contacts' | 'escalation' | 'billedBy' | 'explanation'>;
  // The contacts are the representation's providers, so they carry their hours and commitments
  // whenever firstResponses was asked for (its @requires brought them).
  return { license: license as ExternalLicense, topic, ...routed, firstResponses: firstResponses(routed, topic.category.id, now) };
}

/**
 * The entity as a planner may ask for it: its key fields always resolve, while the routed fields
 * (contacts, escalation, billedBy, explanation) run the rules only when asked, because a query
 * planner may fetch a SupportContact by its key alone (e.g. for `license`) without the @requires facts.
 */
function supportContactEntity(
  license: NonNullable<SupportContactRepresentation['license']>,
  topic: SupportTopic,
  context: Pick<SupportContext, 'today' | 'now' | 'language'>,
): SupportContact {
  let answer: SupportContact | undefined;
  const route = () => (answer ??= answerSupportContact(license, topic, context));
  return {
    license: license as ExternalLicense,
    topic,
    get contacts() {
      return route().contacts;
    },
    get escalation() {
      return route().escalation;
    },
    get billedBy() {
      return route().billedBy;
    },
    get explanation() {
      return route().explanation;
    },
    get firstResponses() {
      return route().firstResponses;
    },
  };
}

const ROUTED_FIELDS = new Set(['contacts', 'escalation', 'billedBy', 'explanation', 'firstResponses']);

/** Whether this _entities fetch asks for a field that runs the rules (and so came with the @requires facts). */
function asksForRoutedFields(info: GraphQLResolveInfo): boolean {
  const visit = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) =>
      selection.kind === Kind.FIELD
        ? ROUTED_FIELDS.has(selection.name.value)
        : selection.kind === Kind.INLINE_FRAGMENT && visit(selection.selectionSet.selections),
    );
  return info.fieldNodes.some((node) => !!node.selectionSet && visit(node.selectionSet.selections));
}

/**
 * Runs once per representation; the topic comes through the request's DataLoader (one query per batch).
 * A license the licenses subgraph did not find arrives as null or without its facts: the entity is
 * null then, since the client already has the licenses subgraph's NOT_FOUND and a second error would
 * only repeat it.
 */
export const resolveSupportContactReference = (representation: SupportContactRepresentation, context: SupportContext, info: GraphQLResolveInfo) =>
  requireTopic(context, representation.topic.id).then((topic) => {
    const license = representation.license;
    if (!license || (!license.status && asksForRoutedFields(info))) return null;
    return supportContactEntity(license, topic, context);
  });
