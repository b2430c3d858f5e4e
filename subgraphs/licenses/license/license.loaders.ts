import DataLoader from 'dataloader';
import type { FilterQuery } from '@mikro-orm/core';
import type { SubgraphEM } from '../../../lib/orm';
import { LicenseHolder } from './license-holder.embeddable';
import { License } from './license.entity';
import { withinAccess } from './license-access';
import type { Identity } from '../../../lib/identity';

/** A license row as the database returns it (column names of the migrations). */
interface LicenseRow {
  key: string;
  package_name: string;
  type: License['type'];
  program_version: string;
  status: License['status'];
  holder_name: string;
  holder_country: string;
  holder_language: string;
  holder_vat_id: string | null;
  vendor_id: string | null;
  support_partner_id: string | null;
  maintenance_paid_through: string | null;
  version: number | string;
}

const holderOf = (row: LicenseRow): LicenseHolder =>
  Object.assign(new LicenseHolder(), { name: row.holder_name, country: row.holder_country, language: row.holder_language, vatId: row.holder_vat_id });

const licenseOf = (row: LicenseRow): License => ({
  key: row.key,
  packageName: row.package_name,
  type: row.type,
  programVersion: row.program_version,
  status: row.status,
  holder: holderOf(row),
  vendorId: row.vendor_id,
  supportPartnerId: row.support_partner_id,
  maintenancePaidThrough: row.maintenance_paid_through,
  version: Number(row.version),
});

/**
 * Licenses matching `where`, by key, as plain objects built from their rows: the subgraph only
 * reads licenses, so MikroORM's entity hydration, identity map and change tracking would be work
 * for nothing. The query builder still turns the filter into SQL.
 */
export async function findLicenses(em: SubgraphEM, where: FilterQuery<License>): Promise<License[]> {
  const rows: LicenseRow[] = await em.createQueryBuilder(License).select('*').where(where).orderBy({ key: 'asc' }).execute('all', false);
  return rows.map(licenseOf);
}

/** Licenses by key that `caller` may see (null for the others, as for missing ones), batched into one query per request tick. */
export const createLicenseByKeyLoader = (em: SubgraphEM, caller: Identity) =>
  new DataLoader<string, License | null>(async (keys) => {
    const byKey = new Map((await findLicenses(em, withinAccess(caller, { key: { $in: [...keys] } }))).map((license) => [license.key, license]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
