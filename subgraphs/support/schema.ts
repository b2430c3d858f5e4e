import { buildFederatedSchema } from '../../lib/federation';
import { LicenseSupportContactResolver, SupportContactResolver } from './contact/support-contact.resolver';
import { resolveSupportContactReference } from './contact/support-contact.reference';
import { ExternalFeeLineConnection, ExternalMaintenanceQuote, ExternalResellerStatement } from './fee/fee-line.type';
import {
  LicenseMaintenanceFeeResolver,
  resolveFeeLineConnectionReference,
  resolveMaintenanceQuoteReference,
  resolveResellerStatementReference,
} from './fee/maintenance-fee.resolver';
import { ExternalProviderResolver } from './references/external-types';
import { ExternalRoutingLoad, resolveRoutingLoadReference } from './routing/routing-load';
import { resolveRoutingStandingReference, RoutingStandingResolver } from './routing/routing-standing.resolver';
import { SupportCategoryNameResolver, SupportTopicResolver } from './topic/support-topic.resolver';

export const buildSupportSchema = () =>
  buildFederatedSchema(
    {
      resolvers: [
        SupportTopicResolver,
        SupportCategoryNameResolver,
        SupportContactResolver,
        LicenseSupportContactResolver,
        LicenseMaintenanceFeeResolver,
        ExternalProviderResolver,
        RoutingStandingResolver,
      ],
      // Only reached through _entities: the licenses subgraph owns the root fields.
      orphanedTypes: [ExternalMaintenanceQuote, ExternalResellerStatement, ExternalFeeLineConnection, ExternalRoutingLoad],
    },
    // License references need no lookup here: the representation is all the subgraph uses.
    {
      SupportContact: { __resolveReference: resolveSupportContactReference },
      MaintenanceQuote: { __resolveReference: resolveMaintenanceQuoteReference },
      ResellerStatement: { __resolveReference: resolveResellerStatementReference },
      FeeLineConnection: { __resolveReference: resolveFeeLineConnectionReference },
      RoutingLoad: { __resolveReference: resolveRoutingLoadReference },
      RoutingStanding: { __resolveReference: resolveRoutingStandingReference },
    },
  );
