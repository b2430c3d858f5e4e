import type { Identity } from '../../lib/identity';
import { DEFAULT_LANGUAGE, type Language } from '../../lib/i18n/languages';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import type { SubgraphServing } from '../../lib/subgraph';
import type { ProvidersLink } from './directory/providers-link';
import { createLicenseByKeyLoader } from './license/license.loaders';

/** What the licenses service holds while it serves: its link to the providers subgraph's internal routes. */
export interface LicensesServing extends SubgraphServing {
  providers: ProvidersLink;
}

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  /** Who is asking: every read is narrowed to the licenses this caller may see (license-access.ts). */
  caller: Identity;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader> };
  /** Provider references, the audit trail and the directory version (license-lifecycle.ts). */
  providers: ProvidersLink;
  /** The reader's language (lib/i18n): the sign-in failure and a license not found are written in it. */
  language: Language;
}

export function createLicensesContext(orm: SubgraphORM, serving: LicensesServing, caller: Identity, language: Language = DEFAULT_LANGUAGE): LicensesContext {
  const em = orm.em.fork() as SubgraphEM;
  return { em, caller, loaders: { licenseByKey: createLicenseByKeyLoader(em, caller) }, providers: serving.providers, language };
}
