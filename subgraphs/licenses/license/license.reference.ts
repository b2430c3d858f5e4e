import { notFound } from '../../../lib/errors';
import { message } from '../../../lib/i18n/message';
import type { LicensesContext } from '../context';
import type { License } from './license.entity';

/**
 * Runs once per representation: load() is called synchronously so the whole batch is one query.
 * A reference to a license that does not exist only arises from a client naming a wrong key
 * (Query.supportContact), so it is a NOT_FOUND naming that key rather than a silent null.
 */
export const resolveLicenseReference = (reference: Pick<License, 'key'>, { loaders }: LicensesContext) =>
  loaders.licenseByKey.load(reference.key).then((license) => {
    if (!license) throw notFound(message('error.licenseNotFound', { key: reference.key }));
    return license;
  });
