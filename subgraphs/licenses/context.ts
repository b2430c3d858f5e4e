import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { createLicenseByKeyLoader } from './license/license.loaders';

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader> };
}

export function createLicensesContext(orm: SubgraphORM): LicensesContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, loaders: { licenseByKey: createLicenseByKeyLoader(em) } };
}
