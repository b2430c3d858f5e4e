import { buildFederatedSchema } from '../../lib/federation';
import {
  MaintenanceBillingResolver,
  ResellerStatementPageResolver,
  resolveFeeLineConnectionReference,
  resolveMaintenanceQuoteReference,
  resolveResellerStatementReference,
} from './fee/maintenance-billing.resolver';
import { LicenseStatsResolver } from './analytics/license-stats';
import { resolveRoutingLoadReference, RoutingLoadResolver } from './analytics/routing-load';
import { AccessCodeResolver } from './access-code/access-code.resolver';
import { LicenseResolver } from './license/license.resolver';
import { LicenseLifecycleMutations } from './license/license-lifecycle';
import { resolveLicenseReference } from './license/license.reference';
import { LicensePaymentsResolver, MaintenancePaymentResolver } from './payment/maintenance-payment.resolver';

export const buildLicensesSchema = () =>
  buildFederatedSchema(
    {
      resolvers: [
        LicenseResolver,
        LicenseLifecycleMutations,
        AccessCodeResolver,
        MaintenanceBillingResolver,
        ResellerStatementPageResolver,
        LicenseStatsResolver,
        RoutingLoadResolver,
        LicensePaymentsResolver,
        MaintenancePaymentResolver,
      ],
    },
    {
      License: { __resolveReference: resolveLicenseReference },
      MaintenanceQuote: { __resolveReference: resolveMaintenanceQuoteReference },
      ResellerStatement: { __resolveReference: resolveResellerStatementReference },
      FeeLineConnection: { __resolveReference: resolveFeeLineConnectionReference },
      RoutingLoad: { __resolveReference: resolveRoutingLoadReference },
    },
  );
