import type { RetentionCleanup } from '../../lib/retention';
import type { Identity } from '../../lib/identity';
import { DEFAULT_LANGUAGE, type Language } from '../../lib/i18n/languages';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import type { SubgraphServing } from '../../lib/subgraph';
import type { ProvidersLink } from './directory/providers-link';
import { createLicenseByKeyLoader } from './license/license.loaders';
import { createPaymentsByLicenseLoader } from './payment/maintenance-payment.loaders';
import { accessCodeInForce } from './access-code/holder-credential';
import type { SignInChecks } from './access-code/sign-in-checks';

/** What the licenses service holds while it serves: its link to the providers subgraph's internal routes. */
export interface LicensesServing extends SubgraphServing {
  providers: ProvidersLink;
  /** The bound on sign-in checks in flight in this process (access-code/sign-in-checks.ts). */
  signInChecks: SignInChecks;
  /** The background cleanup of relayed license events and the access-code log. */
  retention: RetentionCleanup;
}

export interface LicensesContext {
  /** This request's own EntityManager (reads return plain objects; see findLicenses). */
  em: SubgraphEM;
  /** Who is asking: every read is narrowed to the licenses this caller may see (license-access.ts). */
  caller: Identity;
  loaders: { licenseByKey: ReturnType<typeof createLicenseByKeyLoader>; paymentsByLicense: ReturnType<typeof createPaymentsByLicenseLoader> };
  /** Provider references, the audit trail and the directory version (license-lifecycle.ts). */
  providers: ProvidersLink;
  signInChecks: SignInChecks;
  /** The reader's language (lib/i18n): the sign-in failure and a license not found are written in it. */
  language: Language;
}

export async function createLicensesContext(
  orm: SubgraphORM,
  serving: LicensesServing,
  caller: Identity,
  language: Language = DEFAULT_LANGUAGE,
): Promise<LicensesContext> {
  const em = orm.em.fork() as SubgraphEM;
  const checked = await holderInForce(em, caller);
  return {
    em,
    caller: checked,
    loaders: { licenseByKey: createLicenseByKeyLoader(em, checked), paymentsByLicense: createPaymentsByLicenseLoader(em) },
    providers: serving.providers,
    signInChecks: serving.signInChecks,
    language,
  };
}

/**
 * A holder who signed in with an access code sees its license only while that code is in force.
 * The gateway refuses such a token already (gateway/identity/holder-standing.ts, 401 before its response
 * cache); this second check, on the very data, holds for a request that raced the reissue or the
 * transfer past the gateway: the license is then simply not visible.
 */
async function holderInForce(em: SubgraphEM, caller: Identity): Promise<Identity> {
  if (caller.role !== 'holder' || caller.codeId === undefined) return caller;
  const [licenseKey] = caller.licenses;
  return (await accessCodeInForce(em, licenseKey)) === caller.codeId ? caller : { ...caller, licenses: [] };
}
