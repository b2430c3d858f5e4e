import type { FilterQuery } from '@mikro-orm/core';
import type { License } from '../license/license.entity';

/**
 * The licenses a caller may see, for the fee and figure queries. The access matrix (DOMAIN.md, "Who
 * may see and change what") is not wired in yet: every caller is EVERYTHING for now, and this is
 * the one place that narrows the rows once callers carry their role (a holder: its own keys; a
 * provider: licenses it sold or is designated for; an admin: everything).
 */
export type LicenseScope = { kind: 'everything' };

export const EVERYTHING: LicenseScope = { kind: 'everything' };

export function licenseScopeFilter(_scope: LicenseScope = EVERYTHING): FilterQuery<License> {
  return {};
}
