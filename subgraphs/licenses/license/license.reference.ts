import type { LicensesContext } from '../context';
import type { License } from './license.entity';

/** Runs once per representation: load() is called synchronously so the whole batch is one query. */
export const resolveLicenseReference = (reference: Pick<License, 'key'>, { loaders }: LicensesContext) =>
  loaders.licenseByKey.load(reference.key);
