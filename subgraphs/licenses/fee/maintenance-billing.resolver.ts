import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { maintenanceReseller } from '../../../lib/distributor-duties';
import { findPage, PageArgs } from '../../../lib/pagination';
import { LicenseStatus } from '../../../lib/domain';
import { badUserInput, notFound } from '../../../lib/errors';
import type { LicensesContext } from '../context';
import { License } from '../license/license.entity';
import { findLicenses } from '../license/license.loaders';
import { assertMaySeeResellerStatement, withinAccess } from '../license/license-access';
import { FeeLineConnection, MaintenanceQuote, ResellerStatement } from './maintenance-billing.type';
import { message } from '../../../lib/i18n/message';
import { yearArgument } from '../../../lib/arguments';

/** A quote names at most a page of licenses (docs/guide.md "Lists": at most 500). */
export const MAX_QUOTE_LICENSES = 500;

/**
 * The quote's licenses in the order asked. A key the caller may not see (license-access.ts) is
 * filtered out in SQL and so gets exactly the NOT_FOUND of a key that does not exist.
 */
export async function maintenanceQuote(context: LicensesContext, licenseKeys: string[], year: number): Promise<MaintenanceQuote> {
  yearArgument(year);
  const keys = [...new Set(licenseKeys)];
  if (keys.length > MAX_QUOTE_LICENSES) throw badUserInput(message('quote.tooMany', { count: keys.length, max: MAX_QUOTE_LICENSES }), 'licenseKeys');
  const found = new Map((await findLicenses(context.em, withinAccess(context.caller, { key: { $in: keys } }))).map((l) => [l.key, l]));
  const missing = keys.filter((key) => !found.has(key));
  if (missing.length > 0) throw notFound(message('quote.licensesNotFound', { keys: missing.map((key) => `"${key}"`).join(', ') }));
  return { id: JSON.stringify({ year, licenseKeys: keys }), year, licenses: keys.map((key) => found.get(key)!) };
}

/** The licenses a reseller's statement covers: bought through it, not expired, and visible to the caller. */
const statementLicenses = (context: LicensesContext, providerId: string) =>
  withinAccess(context.caller, { vendorId: providerId, status: { $ne: LicenseStatus.EXPIRED } });

/** Only for the reseller itself and admins; its licenses are still narrowed by the one license rule. */
export async function resellerStatement(context: LicensesContext, providerId: string, year: number): Promise<ResellerStatement> {
  assertMaySeeResellerStatement(context.caller, providerId);
  yearArgument(year);
  const licenses = await findLicenses(context.em, statementLicenses(context, providerId));
  return { id: JSON.stringify({ year, providerId }), provider: { id: providerId }, year, licenses };
}

/**
 * A page of the statement's lines. A reseller bills all of its licenses' maintenance or, once it is
 * no longer an active distributor, none (lib/distributor-duties.ts: the manufacturer does), so the
 * page is of its licenses, or empty.
 */
export async function resellerStatementPage(context: LicensesContext, providerId: string, year: number, page: PageArgs): Promise<FeeLineConnection> {
  assertMaySeeResellerStatement(context.caller, providerId);
  yearArgument(year);
  const id = JSON.stringify({ year, providerId, first: page.first ?? null, after: page.after ?? null });
  const provider = (await context.providers.references([providerId], context.caller)).providers.find((p) => p.id === providerId);
  const where = maintenanceReseller(provider) ? statementLicenses(context, providerId) : { key: { $in: [] } };
  const { edges, pageInfo, totalCount } = await findPage(context.em, License, 'key', where, page);
  return { id, year, provider: { id: providerId }, licenses: edges.map((edge) => edge.node), pageInfo, totalCount };
}

/** The planner may come back for a quote or statement by its id; the id carries its arguments. */
export function resolveMaintenanceQuoteReference({ id }: { id: string }, context: LicensesContext) {
  const { year, licenseKeys } = parseId(id, 'MaintenanceQuote');
  if (!Array.isArray(licenseKeys) || !licenseKeys.every((key) => typeof key === 'string'))
    throw badUserInput(message('error.invalidReferenceId', { type: 'MaintenanceQuote', id }));
  return maintenanceQuote(context, licenseKeys, year);
}

export function resolveResellerStatementReference({ id }: { id: string }, context: LicensesContext) {
  const { year, providerId } = parseId(id, 'ResellerStatement');
  if (typeof providerId !== 'string') throw badUserInput(message('error.invalidReferenceId', { type: 'ResellerStatement', id }));
  return resellerStatement(context, providerId, year);
}

export function resolveFeeLineConnectionReference({ id }: { id: string }, context: LicensesContext) {
  const { year, providerId, first, after } = parseId(id, 'FeeLineConnection');
  if (typeof providerId !== 'string') throw badUserInput(message('error.invalidReferenceId', { type: 'FeeLineConnection', id }));
  return resellerStatementPage(context, providerId, year, { first: first as number | null, after: after as string | null });
}

function parseId(id: string, type: string): { year: number; [field: string]: unknown } {
  try {
    const parsed = JSON.parse(id);
    if (parsed && typeof parsed.year === 'number') return parsed;
  } catch {
    // answered below
  }
  throw badUserInput(message('error.invalidReferenceId', { type, id }));
}

@Resolver()
export class MaintenanceBillingResolver {
  @Query(() => MaintenanceQuote, {
    description:
      'The maintenance fees of these license packages for a calendar year: a fee line per license and gross totals per currency. A key that does not exist or that the caller may not see (holder: own licenses; provider: sold or designated for; admin: all) is NOT_FOUND naming it.',
  })
  maintenanceQuote(
    @Arg('licenseKeys', () => [ID], { description: 'License numbers (at most 500; repeats count once).' }) licenseKeys: string[],
    @Arg('year', () => Int, { description: 'The calendar year.' }) year: number,
    @Ctx() context: LicensesContext,
  ) {
    return maintenanceQuote(context, licenseKeys, year);
  }

  @Query(() => ResellerStatement, {
    description:
      "A reseller's annual maintenance billing for a calendar year: a fee line per license it bills, and the EUR 99.00 net per package it remits to the manufacturer. Only for that reseller (a provider token with its id) and admins: anyone else is FORBIDDEN, an anonymous caller UNAUTHENTICATED.",
  })
  resellerStatement(
    @Arg('providerId', () => ID, { description: 'The reseller (a distributor).' }) providerId: string,
    @Arg('year', () => Int, { description: 'The calendar year.' }) year: number,
    @Ctx() context: LicensesContext,
  ) {
    return resellerStatement(context, providerId, year);
  }
}

@Resolver(() => ResellerStatement)
export class ResellerStatementPageResolver {
  @FieldResolver(() => FeeLineConnection, {
    description:
      'The fee lines a page at a time (first: 50 when left out, at most 500; after: a cursor of an earlier page), in the order of the license keys, each with what was paid against what is due. `lines` answers all of them at once.',
  })
  lineConnection(@Root() statement: ResellerStatement, @Args(() => PageArgs) page: PageArgs, @Ctx() context: LicensesContext) {
    return resellerStatementPage(context, statement.provider.id, statement.year, page);
  }
}
