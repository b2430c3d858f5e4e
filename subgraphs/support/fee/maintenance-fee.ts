/**
 * docs/rules.md, "Maintenance fee and VAT": EUR 99 net per license package per year, billed by the party the
 * maintenance routing rule names (the vendor while it is an active distributor, else the
 * manufacturer), with VAT by the supplier's (billing party's) and the customer's countries, one
 * pure function per VAT rule, asked in order by vatTreatment (like routing/route-support-contact.ts).
 * Pure: the facts come from the representation the gateway built through @requires.
 */
import { ProviderRole } from '../../../lib/domain';
import { paidForYear } from '../../../lib/maintenance-payments';
import { amountInCents, applyRateHalfUp, formatCents, ratePercent } from '../../../lib/money';
import { localizedError } from '../../../lib/errors';
import { DEFAULT_LANGUAGE, type Language } from '../../../lib/i18n/languages';
import { message, RegionName, say, type Message } from '../../../lib/i18n/message';
import { VatRateUnknownError, type VatTable } from './vat-rates';
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
  /** The license's payment record (lib/maintenance-payments.ts reads it); none: nothing paid. */
  payments?: { standing: boolean; periodFrom: string; amount?: { amount: string; currency: string } | null }[];
  paidThrough?: string | null;
}

export interface FeeLineValue {
  licenseKey: string;
  year: number;
  net: { amount: string; currency: string };
  vatRate: string;
  vat: { amount: string; currency: string };
  gross: { amount: string; currency: string };
  reverseCharge: boolean;
  vatTreatment: VatTreatment;
  vatExplanation: string;
  paid: { amount: string; currency: string }[];
  outstanding: { amount: string; currency: string };
  paidThrough: string | null;
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
    throw localizedError(message('error.noManufacturerToBill', { key: license.key }), { code: 'DIRECTORY_INCOMPLETE' });
  }
  return license.manufacturer;
}

/**
 * How a fee line is treated for VAT, in the words a practice reads on its invoice. Each value is
 * one rule below; the rules are asked in this order.
 */
export enum VatTreatment {
  /** The customer's country levies no VAT (the United States): nothing to charge, not "0 %". */
  NOT_TAXED = 'NOT_TAXED',
  /** Supplier and customer in one VAT area (one country, or Switzerland and Liechtenstein): its rate. */
  DOMESTIC = 'DOMESTIC',
  /** A business customer with a VAT id in the EU, billed from another country: the customer accounts for the VAT. */
  REVERSE_CHARGE = 'REVERSE_CHARGE',
  /** A customer in the EU without a VAT id, billed from another country: the customer country's rate. */
  DESTINATION = 'DESTINATION',
  /** A customer outside the EU and outside the supplier's VAT area: no VAT charged by the supplier. */
  OUTSIDE_SCOPE = 'OUTSIDE_SCOPE',
}

/** What VAT a supply carries: its treatment and the rate applied ("0" when none is charged). */
export interface SupplyVat {
  treatment: VatTreatment;
  rate: string;
}

/** The parties of a supply for VAT: the supplier (billing party) and the customer (holder), on a date. */
export interface VatSupply {
  supplierCountry: string;
  customerCountry: string;
  customerVatId?: string | null;
  /** ISO date of the supply. */
  date: string;
}

/** Rule: the customer's country levies no VAT on the date (the table says so; a country it lacks is not assumed untaxed). */
export const customerCountryLeviesNoVat = (supply: VatSupply, vat: VatTable): boolean => vat.knownVatOn(supply.customerCountry, supply.date)?.levied === false;

/** Rule: supplier and customer in one VAT area on the date (the same country, or CH and LI): a domestic sale. */
export const domesticSupply = (supply: VatSupply, vat: VatTable): boolean =>
  vat.vatArea(supply.supplierCountry, supply.date) === vat.vatArea(supply.customerCountry, supply.date);

/** Rule: a customer in a country that is an EU member on the date. */
export const customerInEu = (supply: VatSupply, vat: VatTable): boolean => vat.isEu(supply.customerCountry, supply.date);

/**
 * Rule: reverse charge. A business customer with a VAT id in the EU, billed by a supplier in another
 * country (an EU state or not: a Swiss reseller reverse charges a German practice), accounts for the
 * VAT itself; no VAT is charged.
 */
export const reverseChargeApplies = (supply: VatSupply, vat: VatTable): boolean =>
  !domesticSupply(supply, vat) && Boolean(supply.customerVatId) && customerInEu(supply, vat);

/** The customer country's rate; VAT_RATE_UNKNOWN when the table has none for the date, never a silent zero. */
function customerRate(supply: VatSupply, vat: VatTable): string {
  const country = vat.vatOn(supply.customerCountry, supply.date);
  // Never reached for a country that levies no VAT (the first rule answers for it); were it, no rate is known.
  if (!country.levied) throw new VatRateUnknownError(supply.customerCountry, supply.date);
  return country.rate;
}

/**
 * The VAT of a supply (docs/rules.md, "Maintenance fee and VAT"), the rules above in order:
 * not taxed where no VAT is levied; domestic at the area's rate; reverse charge; the customer
 * country's rate for an EU customer without a VAT id; otherwise outside the scope (no VAT).
 */
export function vatTreatment(supply: VatSupply, vat: VatTable): SupplyVat {
  if (customerCountryLeviesNoVat(supply, vat)) return { treatment: VatTreatment.NOT_TAXED, rate: '0' };
  if (domesticSupply(supply, vat)) return { treatment: VatTreatment.DOMESTIC, rate: customerRate(supply, vat) };
  if (reverseChargeApplies(supply, vat)) return { treatment: VatTreatment.REVERSE_CHARGE, rate: '0' };
  if (customerInEu(supply, vat)) return { treatment: VatTreatment.DESTINATION, rate: customerRate(supply, vat) };
  return { treatment: VatTreatment.OUTSIDE_SCOPE, rate: '0' };
}

/**
 * The treatment in one sentence a practice reads on its invoice, as a message (lib/i18n): the
 * countries named and the rate written in the reader's language ("8.1 %", "8,1 %"); the treatment's
 * code, the VAT id and the VAT area's code stay the same in every language.
 */
export function vatExplanation({ treatment, rate }: SupplyVat, supply: VatSupply, vat: VatTable): Message {
  const customer = new RegionName(supply.customerCountry);
  const supplier = new RegionName(supply.supplierCountry);
  const percent = ratePercent(rate);
  switch (treatment) {
    case VatTreatment.NOT_TAXED:
      return message('vat.notTaxed', { customer });
    case VatTreatment.DOMESTIC:
      return supply.supplierCountry === supply.customerCountry
        ? message('vat.domestic', { customer, rate: percent })
        : message('vat.domesticArea', { supplier, customer, area: vat.vatArea(supply.customerCountry, supply.date), rate: percent });
    case VatTreatment.REVERSE_CHARGE:
      return message('vat.reverseCharge', { customer, vatId: supply.customerVatId ?? '' });
    case VatTreatment.DESTINATION:
      return message('vat.destination', { customer, supplier, rate: percent });
    case VatTreatment.OUTSIDE_SCOPE:
      return message('vat.outsideScope', { supplier, customer });
  }
}

/**
 * The VAT rate of a year's fee is the one in force on January 1 of that year, the start of the
 * maintenance year the annual billing covers; so are EU membership and VAT areas.
 */
export function maintenanceFeeLine(license: FeeLicenseFacts, year: number, vat: VatTable, language: Language = DEFAULT_LANGUAGE): FeeLineValue {
  const supplier = maintenanceBillingParty(license);
  const date = `${String(year).padStart(4, '0')}-01-01`;
  const supplierCountry = supplier.country;
  const customerCountry = license.holder.country;
  const supply = { supplierCountry, customerCountry, customerVatId: license.holder.vatId, date };
  const supplyVat = vatTreatment(supply, vat);
  const net = MAINTENANCE_NET.cents;
  const vatCents = applyRateHalfUp(net, supplyVat.rate);
  const money = (cents: bigint) => ({ amount: formatCents(cents), currency: MAINTENANCE_NET.currency });
  const paid = paidForYear(license.payments ?? [], year);
  const paidInLineCurrency = paid.filter((m) => m.currency === MAINTENANCE_NET.currency).reduce((sum, m) => sum + amountInCents(m.amount), 0n);
  const due = net + vatCents - paidInLineCurrency;
  return {
    licenseKey: license.key,
    year,
    net: money(net),
    vatRate: supplyVat.rate,
    vat: money(vatCents),
    gross: money(net + vatCents),
    reverseCharge: supplyVat.treatment === VatTreatment.REVERSE_CHARGE,
    vatTreatment: supplyVat.treatment,
    vatExplanation: say(language, vatExplanation(supplyVat, supply, vat)),
    paid,
    outstanding: money(due > 0n ? due : 0n),
    paidThrough: license.paidThrough ?? null,
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
