import type { Identity } from '../../lib/identity';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { createLicenseByKeyLoader } from './license/license.loaders';

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  /** Who is asking: every read is narrowed to the licenses this caller may see (license-access.ts). */
  caller: Identity;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader> };
}

export function createLicensesContext(orm: SubgraphORM, _serving: unknown, caller: Identity): LicensesContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, caller, loaders: { licenseByKey: createLicenseByKeyLoader(em, caller) } };
}
