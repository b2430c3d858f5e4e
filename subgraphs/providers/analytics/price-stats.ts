/**
 * priceStats: count, min, median and max of the current prices for one service, per currency
 * (prices are never converted) and by any of provider country and unit. One aggregate query:
 * PostgreSQL's percentile_disc for the median, on SQLite the same lower median from row_number()
 * over each group. Amounts are compared as integer cents (the stored "99.00" without its point),
 * never as floats.
 */
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { PriceUnit, ServiceKind, todayIso } from '../../../lib/domain';
import { formatCents } from '../../../lib/money';
import type { SubgraphEM } from '../../../lib/orm';
import type { ProvidersContext } from '../context';
import { Money } from '../offer/money.type';
import { Offer } from '../offer/offer.entity';

export enum PriceDimension {
  COUNTRY = 'COUNTRY',
  UNIT = 'UNIT',
}
registerEnumType(PriceDimension, {
  name: 'PriceDimension',
  description: 'What priceStats groups by besides the currency (buckets are always per currency).',
  valuesConfig: {
    COUNTRY: { description: "The offering provider's home country." },
    UNIT: { description: 'The price unit (per hour, per day, ...).' },
  },
});

@ObjectType({ description: 'Current prices of one service sharing a currency and the values grouped by; a dimension not grouped by is null.' })
export class PriceBucket {
  @Field(() => String, { nullable: true, description: "The providers' home country (when grouped by COUNTRY)." })
  country!: string | null;
  @Field({ description: 'ISO 4217 currency; prices in different currencies are never mixed.' })
  currency!: string;
  @Field(() => PriceUnit, { nullable: true, description: 'The price unit (when grouped by UNIT).' })
  unit!: PriceUnit | null;
  @Field(() => Int, { description: 'How many offers.' })
  count!: number;
  @Field(() => Money, { description: 'Lowest price.' })
  min!: Money;
  @Field(() => Money, { description: 'Median price: the lower middle one when the count is even (percentile_disc 0.5).' })
  median!: Money;
  @Field(() => Money, { description: 'Highest price.' })
  max!: Money;
}

const GROUP_COLUMNS: Record<PriceDimension, string> = { COUNTRY: 'country', UNIT: 'unit' };

interface PriceRow {
  country?: string;
  currency: string;
  unit?: PriceUnit;
  count: number | string;
  min: number | string;
  median: number | string;
  max: number | string;
}

export async function priceStats(em: SubgraphEM, service: ServiceKind, groupBy: PriceDimension[], today: string): Promise<PriceBucket[]> {
  const knex = em.getKnex();
  const groups = [...new Set(groupBy)].map((dimension) => GROUP_COLUMNS[dimension]);
  const groupColumns = [...groups, 'currency'];
  // The offers a holder can buy today: current offers of active providers.
  const priced = em
    .createQueryBuilder(Offer, 'o')
    .join('o.provider', 'p')
    .where({ service, provider: { active: true } })
    .andWhere({ $or: [{ validFrom: null }, { validFrom: { $lte: today } }] })
    .andWhere({ $or: [{ validUntil: null }, { validUntil: { $gte: today } }] })
    .getKnexQuery()
    .clearSelect()
    .select('p.country as country', 'o.currency as currency', 'o.unit as unit', knex.raw(`cast(replace(o.amount, '.', '') as bigint) as cents`));
  const postgres = em.getPlatform().constructor.name.startsWith('Postgre');
  const query = postgres
    ? knex
        .with('priced', priced)
        .from('priced')
        .select(...groupColumns)
        .select(knex.raw('count(*) as count, min(cents) as min, max(cents) as max, percentile_disc(0.5) within group (order by cents) as median'))
        .groupBy(groupColumns)
    : knex
        .with('priced', priced)
        .with(
          'ranked',
          knex.raw(
            `select *, row_number() over (partition by ${groupColumns.join(', ')} order by cents) as rn, count(*) over (partition by ${groupColumns.join(', ')}) as n from priced`,
          ),
        )
        .from('ranked')
        .select(...groupColumns)
        .select(knex.raw('count(*) as count, min(cents) as min, max(cents) as max, max(case when rn = (n + 1) / 2 then cents end) as median'))
        .groupBy(groupColumns);
  const rows: PriceRow[] = await em.getConnection().execute(query);
  const money = (cents: number | string, currency: string) => ({ amount: formatCents(BigInt(cents)), currency });
  const buckets = rows.map((row) => ({
    country: groups.includes('country') ? (row.country ?? null) : null,
    currency: row.currency,
    unit: groups.includes('unit') ? (row.unit ?? null) : null,
    count: Number(row.count),
    min: money(row.min, row.currency),
    median: money(row.median, row.currency),
    max: money(row.max, row.currency),
  }));
  const key = (b: PriceBucket) => [b.country ?? '', b.currency, b.unit ?? ''].join('\u0000');
  return buckets.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

@Resolver()
export class PriceStatsResolver {
  @Query(() => [PriceBucket], {
    description:
      "Count, min, median and max of the current prices (active providers' offers valid today) for a service, per currency and by the dimensions given. Open to every caller, anonymous included: it is computed only from public rows (active providers' current offers, which anyone may read one by one on Provider.offers), so the figures reveal nothing a caller could not count itself; no license is behind them.",
  })
  priceStats(
    @Arg('service', () => ServiceKind, { description: 'The service priced.' }) service: ServiceKind,
    @Arg('groupBy', () => [PriceDimension], { description: 'Dimensions besides the currency; repeats count once.' }) groupBy: PriceDimension[],
    @Ctx() { em }: ProvidersContext,
  ) {
    return priceStats(em, service, groupBy, todayIso());
  }
}
