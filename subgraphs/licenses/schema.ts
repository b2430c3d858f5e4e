import { buildFederatedSchema } from '../../lib/federation';
import {
  MaintenanceBillingResolver,
  resolveMaintenanceQuoteReference,
  resolveResellerStatementReference,
} from './fee/maintenance-billing.resolver';
import { LicenseStatsResolver } from './analytics/license-stats';
import { LicenseResolver } from './license/license.resolver';
import { resolveLicenseReference } from './license/license.reference';

export const buildLicensesSchema = () =>
  buildFederatedSchema(
    { resolvers: [LicenseResolver, MaintenanceBillingResolver, LicenseStatsResolver] },
    {
      License: { __resolveReference: resolveLicenseReference },
      MaintenanceQuote: { __resolveReference: resolveMaintenanceQuoteReference },
      ResellerStatement: { __resolveReference: resolveResellerStatementReference },
    },
  );
