/**
 * licenseStats: license counts grouped by any of vendor, holder country, status and whether
 * maintenance is paid through today, answered by one GROUP BY in the database (never by loading
 * licenses into Node); only the buckets come back.
 */
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { LicenseStatus, todayIso } from '../../../lib/domain';
import type { SubgraphEM } from '../../../lib/orm';
import type { LicensesContext } from '../context';
import type { Identity } from '../../../lib/identity';
import { withinAccess } from '../license/license-access';
import { License } from '../license/license.entity';
import { ProviderReference } from '../references/provider.reference-type';

export enum LicenseDimension {
  VENDOR = 'VENDOR',
  COUNTRY = 'COUNTRY',
  STATUS = 'STATUS',
  MAINTENANCE_PAID = 'MAINTENANCE_PAID',
}
registerEnumType(LicenseDimension, {
  name: 'LicenseDimension',
  description: 'What licenseStats groups by.',
  valuesConfig: {
    VENDOR: { description: 'The distributor a license was bought through (null: bought directly).' },
    COUNTRY: { description: "The holder's country." },
    STATUS: { description: 'The license status.' },
    MAINTENANCE_PAID: { description: 'Whether maintenance is paid through today.' },
  },
});

@ObjectType({ description: 'The number of licenses sharing the values of the dimensions grouped by; a dimension not grouped by is null.' })
export class LicenseBucket {
  @Field(() => ProviderReference, { nullable: true, description: 'The vendor (when grouped by VENDOR; null there means bought directly).' })
  vendor!: ProviderReference | null;
  @Field(() => String, { nullable: true, description: "The holder's country (when grouped by COUNTRY)." })
  country!: string | null;
  @Field(() => LicenseStatus, { nullable: true, description: 'The status (when grouped by STATUS).' })
  status!: LicenseStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether maintenance is paid through today (when grouped by MAINTENANCE_PAID).' })
  maintenancePaid!: boolean | null;
  @Field(() => Int, { description: 'How many licenses.' })
  count!: number;
}

interface BucketRow {
  vendor?: string | null;
  country?: string | null;
  status?: LicenseStatus | null;
  paid?: number | boolean | null;
  count: number | string;
}

/** Column expressions per dimension; `paid` compares ISO date strings, which order like dates. */
const COLUMNS: Record<LicenseDimension, { alias: keyof BucketRow; sql: string; bindsToday?: boolean }> = {
  VENDOR: { alias: 'vendor', sql: 'vendor_id' },
  COUNTRY: { alias: 'country', sql: 'holder_country' },
  STATUS: { alias: 'status', sql: 'status' },
  MAINTENANCE_PAID: { alias: 'paid', sql: 'case when maintenance_paid_through >= ? then 1 else 0 end', bindsToday: true },
};

/** Counts over the licenses `caller` may see only: the access filter is the query's WHERE. */
export async function licenseStats(em: SubgraphEM, caller: Identity, groupBy: LicenseDimension[], today: string): Promise<LicenseBucket[]> {
  const knex = em.getKnex();
  const dimensions = [...new Set(groupBy)];
  const query = em.createQueryBuilder(License).where(withinAccess(caller, {})).getKnexQuery().clearSelect().clearOrder();
  for (const dimension of dimensions) {
    const { alias, sql, bindsToday } = COLUMNS[dimension];
    query.select(knex.raw(`${sql} as ??`, [...(bindsToday ? [today] : []), alias]));
    // By the output name: both databases accept it, and a bound parameter repeated in GROUP BY
    // would be a different expression to PostgreSQL.
    query.groupBy(alias);
  }
  query.select(knex.raw('count(*) as ??', ['count']));
  const rows: BucketRow[] = await em.getConnection().execute(query);
  const grouped = new Set(dimensions);
  const buckets = rows.map((row) => ({
    vendor: grouped.has(LicenseDimension.VENDOR) && row.vendor ? { id: row.vendor } : null,
    country: grouped.has(LicenseDimension.COUNTRY) ? (row.country ?? null) : null,
    status: grouped.has(LicenseDimension.STATUS) ? (row.status ?? null) : null,
    maintenancePaid: grouped.has(LicenseDimension.MAINTENANCE_PAID) ? Number(row.paid) === 1 : null,
    count: Number(row.count),
  }));
  // A handful of buckets, ordered here so both databases agree on where nulls go.
  // Each bucket's sort key is made once: made per comparison it cost more than the query itself
  // at tens of thousands of buckets (every dimension over 100,000 licenses gives about 48,000).
  const keyed = buckets.map((bucket) => ({
    bucket,
    key: [bucket.vendor?.id ?? '', bucket.country ?? '', bucket.status ?? '', String(bucket.maintenancePaid ?? '')].join('\u0000'),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ bucket }) => bucket);
}

@Resolver()
export class LicenseStatsResolver {
  @Query(() => [LicenseBucket], {
    description:
      'License counts grouped by the dimensions given (none: one bucket with the total), ordered by their values, over the licenses the caller may see (admin: all; provider: sold or designated for; holder: its own; anonymous: none, so a total of 0 and no other buckets, as `licenses` is empty).',
  })
  licenseStats(
    @Arg('groupBy', () => [LicenseDimension], { description: 'The dimensions to group by; repeats count once.' }) groupBy: LicenseDimension[],
    @Ctx() { em, caller }: LicensesContext,
  ) {
    return licenseStats(em, caller, groupBy, todayIso());
  }
}
