import { GraphQLError } from 'graphql';
import { notFound } from '../../../lib/errors';
import type { SupportContext } from '../context';
import type { ExternalLicense, ExternalProvider } from '../references/external-types';
import { MissingManufacturerError, routeSupportContact, type ProviderFacts } from '../routing/route-support-contact';
import { requireTopic } from '../topic/require-topic';
import type { SupportTopic } from '../topic/support-topic.entity';
import type { SupportContact } from './support-contact.type';

interface SupportContactRepresentation {
  /** null when the licenses subgraph found no such license (it reports NOT_FOUND naming the key). */
  license: (Partial<ExternalLicense> & { key: string }) | null;
  topic: { id: string };
}

/** Providers as the routing rules read them; offers are only required where prices matter. */
const facts = (provider: ExternalProvider | null | undefined): ProviderFacts | null =>
  provider ? { ...provider, offers: provider.offers ?? [] } : null;

/** Applies the routing rules of DOMAIN.md to the facts the gateway gathered through @requires. */
export function answerSupportContact(license: NonNullable<SupportContactRepresentation['license']>, topic: SupportTopic, today: string): SupportContact {
  if (!license.holder || !license.status) throw notFound(`License "${license.key}" not found`);
  const area = license.holder.serviceArea;
  try {
    const route = routeSupportContact({
      license: {
        key: license.key,
        status: license.status,
        maintenancePaidThrough: license.maintenancePaidThrough ?? null,
        holder: { country: license.holder.country, language: license.holder.language },
        vendor: facts(license.vendor),
        supportPartner: facts(license.supportPartner),
      },
      area: { country: area.country, currency: area.currency, manufacturer: facts(area.manufacturer), providers: area.providers.map((p) => facts(p)!) },
      topic: { id: topic.id, name: topic.name, category: topic.category.id, level: topic.level ?? null, service: topic.service ?? null },
      today,
    });
    return { license: license as ExternalLicense, topic, ...(route as Pick<SupportContact, 'contacts' | 'escalation' | 'billedBy' | 'explanation'>) };
  } catch (error) {
    if (error instanceof MissingManufacturerError) {
      throw new GraphQLError(error.message, { extensions: { code: 'DIRECTORY_INCOMPLETE' } });
    }
    throw error;
  }
}

/** Runs once per representation; the topic comes through the request's DataLoader (one query per batch). */
export const resolveSupportContactReference = (representation: SupportContactRepresentation, context: SupportContext) =>
  requireTopic(context, representation.topic.id).then((topic) =>
    // No license: the client already has the licenses subgraph's NOT_FOUND; a second error would only repeat it.
    representation.license ? answerSupportContact(representation.license, topic, context.today) : null,
  );
