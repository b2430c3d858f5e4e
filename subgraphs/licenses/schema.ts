import { buildFederatedSchema } from '../../lib/federation';
import { LicenseResolver } from './license/license.resolver';
import { resolveLicenseReference } from './license/license.reference';

export const buildLicensesSchema = () =>
  buildFederatedSchema({ resolvers: [LicenseResolver] }, { License: { __resolveReference: resolveLicenseReference } });
