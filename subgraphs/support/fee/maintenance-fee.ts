/**
 * docs/rules.md, "Maintenance fee and VAT": EUR 99 net per license package per year, billed by the party the
 * maintenance routing rule names (the vendor while it is an active distributor, else the
 * manufacturer), with VAT by the supplier's (billing party's) and the customer's countries.
 * Pure: the facts come from the representation the gateway built through @requires.
 */
import { GraphQLError } from 'graphql';
import { ProviderRole } from '../../../lib/domain';
import { applyRateHalfUp, formatCents } from '../../../lib/money';
import type { VatTable } from './vat-rates';
import { maintenanceReseller } from '../../../lib/distributor-duties';

/** The vendor page's price: "EUR 99 plus VAT per license package per year". */
export const MAINTENANCE_NET = { cents: 9900n, currency: 'EUR' } as const;

export interface FeeProviderFacts {
  id: string;
  active: boolean;
  roles: ProviderRole[];
  country: string;
}

export interface FeeLicenseFacts {
  key: string;
  holder: { country: string; vatId?: string | null };
  vendor?: FeeProviderFacts | null;
  manufacturer: FeeProviderFacts | null;
}

export interface FeeLineValue {
  licenseKey: string;
  year: number;
  net: { amount: string; currency: string };
  vatRate: string;
  vat: { amount: string; currency: string };
  gross: { amount: string; currency: string };
  reverseCharge: boolean;
  billedBy: { id: string };
  supplierCountry: string;
  customerCountry: string;
  /** For totals: exact cents of the rounded line. */
  grossCents: bigint;
}

/** Maintenance is billed by its reseller (lib/distributor-duties.ts, routing rule 3), else by the manufacturer. */
export function maintenanceBillingParty(license: FeeLicenseFacts): FeeProviderFacts {
  const reseller = maintenanceReseller(license.vendor);
  if (reseller) return reseller;
  if (!license.manufacturer) {
    throw new GraphQLError(`The directory has no manufacturer to bill maintenance of license "${license.key}"`, {
      extensions: { code: 'DIRECTORY_INCOMPLETE' },
    });
  }
  return license.manufacturer;
}

/** What VAT a supply carries: the rate applied, and whether it is a reverse charge. */
export interface VatTreatment {
  rate: string;
  reverseCharge: boolean;
}

/** The parties of a supply for VAT: the supplier (billing party) and the customer (holder), on a date. */
export interface VatSupply {
  supplierCountry: string;
  customerCountry: string;
  customerVatId?: string | null;
  /** ISO date of the supply. */
  date: string;
}

/** Rule: a customer in a country that is no EU member on the date pays no VAT (EU VAT does not apply). */
export function customerOutsideEu(supply: VatSupply, vat: VatTable): boolean {
  return !vat.isEu(supply.customerCountry, supply.date);
}

/** Rule: supplier and customer in the same country: that country's rate. */
export const domesticSupply = (supply: VatSupply): boolean => supply.supplierCountry === supply.customerCountry;

/** Rule: both in the EU, different states, the customer has a VAT id: reverse charge (no VAT, flagged). */
export function reverseChargeApplies(supply: VatSupply, vat: VatTable): boolean {
  return (
    !domesticSupply(supply) && Boolean(supply.customerVatId) && vat.isEu(supply.customerCountry, supply.date) && vat.isEu(supply.supplierCountry, supply.date)
  );
}

/**
 * The VAT of a supply (docs/rules.md, "Maintenance fee and VAT", our rule, EU practice), the rules above in order:
 * - customer in the EU: domestic at its rate; else reverse charge when it applies; else the
 *   customer country's rate (an EU member without a rate on the date is VAT_RATE_UNKNOWN);
 * - customer outside the EU: no VAT, except a domestic supply in a country whose own rate the table
 *   holds (a Swiss reseller billing a Swiss practice charges Swiss VAT).
 */
export function vatTreatment(supply: VatSupply, vat: VatTable): VatTreatment {
  if (customerOutsideEu(supply, vat)) {
    const domestic = domesticSupply(supply) ? vat.knownRateOn(supply.customerCountry, supply.date) : undefined;
    return { rate: domestic ?? '0', reverseCharge: false };
  }
  if (reverseChargeApplies(supply, vat)) return { rate: '0', reverseCharge: true };
  return { rate: vat.rateOn(supply.customerCountry, supply.date), reverseCharge: false };
}

/**
 * The VAT rate of a year's fee is the one in force on January 1 of that year, the start of the
 * maintenance year the annual billing covers; so is EU membership.
 */
export function maintenanceFeeLine(license: FeeLicenseFacts, year: number, vat: VatTable): FeeLineValue {
  const supplier = maintenanceBillingParty(license);
  const date = `${String(year).padStart(4, '0')}-01-01`;
  const supplierCountry = supplier.country;
  const customerCountry = license.holder.country;
  const { rate, reverseCharge } = vatTreatment({ supplierCountry, customerCountry, customerVatId: license.holder.vatId, date }, vat);
  const net = MAINTENANCE_NET.cents;
  const vatCents = applyRateHalfUp(net, rate);
  const money = (cents: bigint) => ({ amount: formatCents(cents), currency: MAINTENANCE_NET.currency });
  return {
    licenseKey: license.key,
    year,
    net: money(net),
    vatRate: rate,
    vat: money(vatCents),
    gross: money(net + vatCents),
    reverseCharge,
    billedBy: { id: supplier.id },
    supplierCountry,
    customerCountry,
    grossCents: net + vatCents,
  };
}

/** Gross totals, one per currency (never converted), each the sum of rounded lines. */
export function grossTotals(lines: readonly FeeLineValue[]): { amount: string; currency: string }[] {
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.gross.currency, (sums.get(line.gross.currency) ?? 0n) + line.grossCents);
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ amount: formatCents(cents), currency }));
}
