/**
 * Which licenses a caller may see (docs/rules.md "Who may see and change what"): an admin all of them, a
 * provider those it sold (vendor) or is designated for (support partner), a holder its own (the keys
 * in its token), anyone else none. Applied as a filter in SQL, so a license one may not see is
 * simply absent: `license` answers null and a reference NOT_FOUND, exactly as for a missing key,
 * and `licenses` pages and counts only what is visible.
 */
import type { FilterQuery } from '@mikro-orm/core';
import { forbidden, signInRequired } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import type { License } from './license.entity';
import { message } from '../../../lib/i18n/message';

/** The filter of the licenses `caller` may see; undefined: all of them. */
export function visibleLicenses(caller: Identity): FilterQuery<License> | undefined {
  switch (caller.role) {
    case 'admin':
      return undefined;
    case 'provider':
      return { $or: [{ vendorId: caller.provider }, { supportPartnerId: caller.provider }] };
    case 'holder':
      return { key: { $in: caller.licenses } };
    default:
      // No row has an empty key (the import refuses one), so this matches nothing.
      return { key: { $in: [] } };
  }
}

/** `where` narrowed to what `caller` may see. */
export const withinAccess = (caller: Identity, where: FilterQuery<License>): FilterQuery<License> => {
  const visible = visibleLicenses(caller);
  return visible ? { $and: [where, visible] } : where;
};

/**
 * A reseller's statement is its own business with the manufacturer: the reseller (a provider caller
 * with that provider id) and admins may see it, nobody else. Unlike a license, whose absence and
 * invisibility must look alike, the statement's subject is a public provider, so refusing openly
 * leaks nothing.
 */
export function assertMaySeeResellerStatement(caller: Identity, providerId: string): void {
  if (caller.role === 'admin' || (caller.role === 'provider' && caller.provider === providerId)) return;
  if (caller.role === 'anonymous') throw signInRequired(message('access.resellerStatementSignIn', { provider: providerId }));
  throw forbidden(message('access.resellerStatement', { provider: providerId }));
}
