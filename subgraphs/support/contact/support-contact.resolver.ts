import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { SupportContext } from '../context';
import { ExternalLicense } from '../references/external-types';
import { requireTopic } from '../topic/require-topic';
import { SupportContact } from './support-contact.type';

/**
 * Both entry points only name the license and the topic; the gateway then gathers the routing
 * facts and comes back through SupportContact's reference resolver, where the rules run.
 */
async function supportContactKey(context: SupportContext, licenseKey: string, topicId: string): Promise<Pick<SupportContact, 'license' | 'topic'>> {
  return { license: { key: licenseKey } as ExternalLicense, topic: await requireTopic(context, topicId) };
}

@Resolver(() => SupportContact)
export class SupportContactResolver {
  @Query(() => SupportContact, { description: 'The headline: the contact for topic X under license Y, in one request.' })
  supportContact(
    @Arg('licenseKey', () => ID, { description: 'The license number.' }) licenseKey: string,
    @Arg('topic', () => ID, { description: 'The support topic id, e.g. "server-installation".' }) topic: string,
    @Ctx() context: SupportContext,
  ) {
    return supportContactKey(context, licenseKey, topic);
  }
}

@Resolver(() => ExternalLicense)
export class LicenseSupportContactResolver {
  @FieldResolver(() => SupportContact, { description: 'Whom to contact for a support topic under this license (contributed by the support subgraph).' })
  supportContact(
    @Root() license: ExternalLicense,
    @Arg('topic', () => ID, { description: 'The support topic id, e.g. "server-installation".' }) topic: string,
    @Ctx() context: SupportContext,
  ) {
    return supportContactKey(context, license.key, topic);
  }
}
