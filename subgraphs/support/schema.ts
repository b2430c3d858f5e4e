import { buildFederatedSchema } from '../../lib/federation';
import { LicenseSupportContactResolver, SupportContactResolver } from './contact/support-contact.resolver';
import { resolveSupportContactReference } from './contact/support-contact.reference';
import { ExternalProviderResolver } from './references/external-types';
import { SupportTopicResolver } from './topic/support-topic.resolver';

export const buildSupportSchema = () =>
  buildFederatedSchema(
    { resolvers: [SupportTopicResolver, SupportContactResolver, LicenseSupportContactResolver, ExternalProviderResolver] },
    // License references need no lookup here: the representation is all the subgraph uses.
    { SupportContact: { __resolveReference: resolveSupportContactReference } },
  );
