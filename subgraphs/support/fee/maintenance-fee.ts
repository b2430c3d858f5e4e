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

/** Maintenance is billed by a reseller that is still an active distributor, else by the manufacturer (routing rule 3). */
export function maintenanceBillingParty(license: FeeLicenseFacts): FeeProviderFacts {
  const vendor = license.vendor;
  if (vendor && vendor.active && vendor.roles.includes(ProviderRole.DISTRIBUTOR)) return vendor;
  if (!license.manufacturer) {
    throw new GraphQLError(`The directory has no manufacturer to bill maintenance of license "${license.key}"`, { extensions: { code: 'DIRECTORY_INCOMPLETE' } });
  }
  return license.manufacturer;
}

/**
 * The VAT rate of a year's fee is the one in force on January 1 of that year, the start of the
 * maintenance year the annual billing covers.
 */
export function maintenanceFeeLine(license: FeeLicenseFacts, year: number, vat: VatTable): FeeLineValue {
  const supplier = maintenanceBillingParty(license);
  const date = `${String(year).padStart(4, '0')}-01-01`;
  const supplierCountry = supplier.country;
  const customerCountry = license.holder.country;
  let rate: string;
  let reverseCharge = false;
  if (supplierCountry === customerCountry) {
    rate = vat.rateOn(customerCountry, date);
  } else if (!vat.isEu(customerCountry, date)) {
    rate = '0';
  } else if (license.holder.vatId && vat.isEu(supplierCountry, date)) {
    rate = '0';
    reverseCharge = true;
  } else {
    rate = vat.rateOn(customerCountry, date);
  }
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
