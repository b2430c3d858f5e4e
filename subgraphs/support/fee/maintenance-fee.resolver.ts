import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { yearArgument } from '../../../lib/arguments';
import { notFound } from '../../../lib/errors';
import { message } from '../../../lib/i18n/message';
import { formatCents } from '../../../lib/money';
import { encodeCursor } from '../../../lib/pagination';
import type { SupportContext } from '../context';
import { ExternalLicense, type ExternalProvider } from '../references/external-types';
import { FEE_LICENSE_FACTS, FeeLine, type ExternalFeeLineConnection, type ExternalMaintenanceQuote, type ExternalResellerStatement } from './fee-line.type';
import { grossTotals, MAINTENANCE_NET, maintenanceFeeLine, type FeeLicenseFacts, type FeeLineValue, type FeeProviderFacts } from './maintenance-fee';

type LicenseRepresentation = Partial<ExternalLicense> & { key: string };

const providerFacts = (provider: ExternalProvider | null | undefined): FeeProviderFacts | null =>
  provider ? { id: provider.id, active: provider.active, roles: provider.roles, country: provider.country } : null;

/** The fee rules' view of a license the gateway brought with its @requires facts. */
function feeFacts(license: LicenseRepresentation): FeeLicenseFacts {
  if (!license.holder) throw notFound(message('error.licenseNotFound', { key: license.key }));
  return {
    key: license.key,
    holder: { country: license.holder.country, vatId: license.holder.vatId ?? null },
    vendor: providerFacts(license.vendor),
    manufacturer: providerFacts(license.holder.serviceArea?.manufacturer),
    payments: license.maintenancePayments ?? [],
    paidThrough: license.maintenancePaidThrough ?? null,
  };
}

const feeLine = (license: LicenseRepresentation, year: number, context: SupportContext): FeeLineValue =>
  maintenanceFeeLine(feeFacts(license), year, context.vat, context.language);

@Resolver(() => ExternalLicense)
export class LicenseMaintenanceFeeResolver {
  @FieldResolver(() => FeeLine, { description: "The fee line of this package's obligatory maintenance for a calendar year (docs/rules.md)." })
  @Directive(`@requires(fields: "${FEE_LICENSE_FACTS.replace(/^key /, '')}")`)
  maintenanceFee(
    @Root() license: ExternalLicense,
    @Arg('year', () => Int, { description: 'The calendar year.' }) year: number,
    @Ctx() context: SupportContext,
  ) {
    return feeLine(license, yearArgument(year), context);
  }
}

/** Runs once per representation: the gateway sends the quote's year and licenses with their facts. */
export function resolveMaintenanceQuoteReference(quote: Partial<ExternalMaintenanceQuote> & { id: string }, context: SupportContext) {
  if (quote.year === undefined || !quote.licenses) return { id: quote.id };
  const lines = quote.licenses.map((license) => feeLine(license, quote.year!, context));
  return { id: quote.id, lines, totals: grossTotals(lines) };
}

/** The reseller's lines: the licenses it bills itself. */
function resellerLines(statement: { id: string; year: number; provider?: ExternalProvider; licenses: LicenseRepresentation[] }, context: SupportContext) {
  if (!statement.provider) throw notFound(message('error.statementProviderNotFound', { id: statement.id }));
  return statement.licenses.map((license) => feeLine(license, statement.year, context)).filter((line) => line.billedBy.id === statement.provider!.id);
}

/** A page of the statement's lines: the licenses subgraph paged them; a line each, with its cursor. */
export function resolveFeeLineConnectionReference(page: Partial<ExternalFeeLineConnection> & { id: string }, context: SupportContext) {
  if (page.year === undefined || !page.licenses) return { id: page.id };
  const lines = resellerLines({ id: page.id, year: page.year, provider: page.provider, licenses: page.licenses }, context);
  return { id: page.id, edges: lines.map((node) => ({ cursor: encodeCursor(node.licenseKey), node })) };
}

/** The reseller's lines are the licenses it bills itself; each remits the net fee to the manufacturer. */
export function resolveResellerStatementReference(statement: Partial<ExternalResellerStatement> & { id: string }, context: SupportContext) {
  if (statement.year === undefined || !statement.licenses) return { id: statement.id };
  const lines = resellerLines({ id: statement.id, year: statement.year, provider: statement.provider, licenses: statement.licenses }, context);
  return {
    id: statement.id,
    lines,
    remitToManufacturer: { amount: formatCents(MAINTENANCE_NET.cents * BigInt(lines.length)), currency: MAINTENANCE_NET.currency },
  };
}
