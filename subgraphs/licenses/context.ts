import type { RetentionCleanup } from '../../lib/retention';
import type { Identity } from '../../lib/identity';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import type { SubgraphServing } from '../../lib/subgraph';
import type { ProvidersLink } from './directory/providers-link';
import { createLicenseByKeyLoader } from './license/license.loaders';

/** What the licenses service holds while it serves: its link to the providers subgraph's internal routes. */
export interface LicensesServing extends SubgraphServing {
  providers: ProvidersLink;
  /** The background cleanup of relayed license events and the access-code log. */
  retention: RetentionCleanup;
}

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  /** Who is asking: every read is narrowed to the licenses this caller may see (license-access.ts). */
  caller: Identity;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader> };
  /** Provider references, the audit trail and the directory version (license-lifecycle.ts). */
  providers: ProvidersLink;
}

export function createLicensesContext(orm: SubgraphORM, serving: LicensesServing, caller: Identity): LicensesContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, caller, loaders: { licenseByKey: createLicenseByKeyLoader(em, caller) }, providers: serving.providers };
}
