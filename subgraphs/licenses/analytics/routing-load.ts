/**
 * routingLoad, the licenses side: how many licenses, grouped in SQL by exactly the license facts the
 * routing rules read for a category's first contact. Who that first contact is depends on providers
 * (is the vendor still an active distributor? who else serves the holder's country?), which the
 * providers subgraph owns, and on the routing rules, which the support subgraph owns. So this
 * subgraph answers only the small grouped result (`groups`, one per vendor or designated partner, each
 * with its counts per holder country and language; plus the holder countries as `areas`); the
 * gateway gathers the provider facts of each group's vendor / support partner and of each area
 * through federation, and the support subgraph turns groups into per-provider buckets through
 * `@requires` (subgraphs/support/routing/routing-load.ts). No license row ever leaves the database,
 * and the groups are counted under the caller's access filter, so the buckets follow the matrix.
 */
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { LicenseStatus, SupportCategoryId } from '../../../lib/domain';
import { badUserInput } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import type { SubgraphEM } from '../../../lib/orm';
import type { LicensesContext } from '../context';
import { License } from '../license/license.entity';
import { withinAccess } from '../license/license-access';
import { ProviderReference } from '../references/provider.reference-type';
import { ServiceAreaReference } from '../references/service-area.reference-type';
import { message } from '../../../lib/i18n/message';

@ObjectType({ description: 'Licenses in force of one holder country (and, for TECHNICAL_SUPPORT, one holder language) within a routing group.' })
export class RoutingHolderGroup {
  @Field({ description: "The holders' country (ISO 3166-1 alpha-2)." })
  country!: string;
  @Field(() => String, {
    nullable: true,
    description: "The holders' language (TECHNICAL_SUPPORT only: it ranks the distributors that take over from a vendor).",
  })
  language!: string | null;
  @Field(() => Int, { description: 'How many licenses.' })
  licenses!: number;
}

@ObjectType({ description: 'Licenses in force that share the provider deciding their first contact in one support category, broken down by holder.' })
export class RoutingLicenseGroup {
  @Field(() => SupportCategoryId, { description: 'The support category the group is counted for.' })
  category!: SupportCategoryId;
  @Field(() => ProviderReference, { nullable: true, description: 'The vendor (TECHNICAL_SUPPORT only; null: bought directly).' })
  vendor!: ProviderReference | null;
  @Field(() => ProviderReference, { nullable: true, description: 'The designated support partner (USER_SUPPORT only; null: none).' })
  supportPartner!: ProviderReference | null;
  @Field(() => Int, { description: 'How many licenses.' })
  licenses!: number;
  @Field(() => [RoutingHolderGroup], {
    description: "The same licenses by holder country (and language): where the rules look when the group's provider does not take them.",
  })
  holders!: RoutingHolderGroup[];
}

@ObjectType({
  description:
    'Who is the first contact for how many licenses, per support category: the licenses subgraph counts, the support subgraph applies the routing rules (see `buckets`).',
})
@Directive('@key(fields: "id")')
export class RoutingLoad {
  @Field(() => ID, { description: 'Identifies the figure by its category argument.' })
  id!: string;
  @Field(() => SupportCategoryId, { nullable: true, description: 'The category asked for; null: all three.' })
  category!: SupportCategoryId | null;
  @Field(() => [RoutingLicenseGroup], {
    description:
      'The license counts behind the buckets, grouped by the facts routing reads: vendor or support partner (by id, none first), then holder country and language.',
  })
  groups!: RoutingLicenseGroup[];
  @Field(() => [ServiceAreaReference], {
    description: 'The holder countries of the groups, each once: where routing looks for replacement distributors and the manufacturer.',
  })
  areas!: ServiceAreaReference[];
}

/**
 * What each category's first contact depends on (docs/rules.md "Routing"); the holder's country is
 * always among them, since the manufacturer and any replacement come from its service area.
 *   SOFTWARE_MAINTENANCE: nothing else (always the manufacturer);
 *   TECHNICAL_SUPPORT (Level 0, the first contact): the vendor, and the holder's language, which ranks
 *     the distributors that take over from a vendor that is no longer an active distributor;
 *   USER_SUPPORT: the designated support partner (must serve the holder's country).
 */
const GROUP_COLUMNS: Record<SupportCategoryId, { vendor?: true; supportPartner?: true; language?: true }> = {
  SOFTWARE_MAINTENANCE: {},
  TECHNICAL_SUPPORT: { vendor: true, language: true },
  USER_SUPPORT: { supportPartner: true },
};

interface GroupRow {
  country: string;
  language?: string;
  vendor?: string | null;
  partner?: string | null;
  count: number | string;
}

/**
 * One GROUP BY per category over the licenses in force (not EXPIRED) that `caller` may see. The
 * rows (already counts) are nested by provider here, so the gateway fetches each vendor's or
 * partner's facts once, not once per country and language.
 */
async function countGroups(em: SubgraphEM, caller: Identity, category: SupportCategoryId): Promise<RoutingLicenseGroup[]> {
  const knex = em.getKnex();
  const columns = GROUP_COLUMNS[category];
  const query = em
    .createQueryBuilder(License)
    .where(withinAccess(caller, { status: { $ne: LicenseStatus.EXPIRED } }))
    .getKnexQuery()
    .clearSelect()
    .clearOrder();
  const group = (sql: string, alias: string) => query.select(knex.raw('?? as ??', [sql, alias])).groupBy(sql);
  group('holder_country', 'country');
  if (columns.language) group('holder_language', 'language');
  if (columns.vendor) group('vendor_id', 'vendor');
  if (columns.supportPartner) group('support_partner_id', 'partner');
  query.select(knex.raw('count(*) as ??', ['count']));
  const rows: GroupRow[] = await em.getConnection().execute(query);
  const groups = new Map<string, RoutingLicenseGroup>();
  for (const row of rows) {
    const provider = row.vendor ?? row.partner ?? null;
    let group = groups.get(provider ?? '');
    if (!group) {
      group = { category, vendor: row.vendor ? { id: row.vendor } : null, supportPartner: row.partner ? { id: row.partner } : null, licenses: 0, holders: [] };
      groups.set(provider ?? '', group);
    }
    const licenses = Number(row.count);
    group.licenses += licenses;
    group.holders.push({ country: row.country, language: row.language ?? null, licenses });
  }
  // Ordered here, so both databases answer alike: by provider id (none first), holders by country and language.
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const group of groups.values()) group.holders.sort((a, b) => byText(a.country, b.country) || byText(a.language ?? '', b.language ?? ''));
  return [...groups.entries()].sort(([a], [b]) => byText(a, b)).map(([, group]) => group);
}

const CATEGORIES = Object.values(SupportCategoryId);

export async function routingLoad(context: LicensesContext, category: SupportCategoryId | null): Promise<RoutingLoad> {
  const groups: RoutingLicenseGroup[] = [];
  for (const one of category ? [category] : CATEGORIES) groups.push(...(await countGroups(context.em, context.caller, one)));
  const countries = [...new Set(groups.flatMap((g) => g.holders.map((h) => h.country)))].sort();
  return { id: JSON.stringify({ category }), category, groups, areas: countries.map((country) => ({ country })) };
}

/** The planner may come back for the figure by its id, which carries the argument; the caller's filter applies again. */
export function resolveRoutingLoadReference({ id }: { id: string }, context: LicensesContext): Promise<RoutingLoad> {
  let category: unknown;
  try {
    category = JSON.parse(id).category;
  } catch {
    category = undefined;
  }
  if (category !== null && !CATEGORIES.includes(category as SupportCategoryId))
    throw badUserInput(message('error.invalidReferenceId', { type: 'RoutingLoad', id }));
  return routingLoad(context, category as SupportCategoryId | null);
}

@Resolver()
export class RoutingLoadResolver {
  @Query(() => RoutingLoad, {
    description:
      'For each provider, how many licenses in force (not EXPIRED) it is the first contact for, per support category (see RoutingLoadBucket), counted over the licenses the caller may see (admin: all; provider: sold or designated for; holder: its own; anonymous: none, so no buckets).',
  })
  routingLoad(
    @Arg('category', () => SupportCategoryId, { nullable: true, description: 'One category; omitted: all three.' })
    category: SupportCategoryId | null | undefined,
    @Ctx() context: LicensesContext,
  ) {
    return routingLoad(context, category ?? null);
  }
}
