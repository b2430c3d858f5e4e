import type { Identity } from '../../lib/identity';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import type { SubgraphServing } from '../../lib/subgraph';
import type { ProvidersLink } from './directory/providers-link';
import { createLicenseByKeyLoader } from './license/license.loaders';
import { createPaymentsByLicenseLoader } from './payment/maintenance-payment.loaders';

/** What the licenses service holds while it serves: its link to the providers subgraph's internal routes. */
export interface LicensesServing extends SubgraphServing {
  providers: ProvidersLink;
}

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  /** Who is asking: every read is narrowed to the licenses this caller may see (license-access.ts). */
  caller: Identity;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader>; paymentsByLicense: ReturnType<typeof createPaymentsByLicenseLoader> };
  /** Provider references, the audit trail and the directory version (license-lifecycle.ts). */
  providers: ProvidersLink;
}

export function createLicensesContext(orm: SubgraphORM, serving: LicensesServing, caller: Identity): LicensesContext {
  const em = orm.em.fork() as SubgraphEM;
  return {
    em,
    caller,
    loaders: { licenseByKey: createLicenseByKeyLoader(em, caller), paymentsByLicense: createPaymentsByLicenseLoader(em) },
    providers: serving.providers,
  };
}
