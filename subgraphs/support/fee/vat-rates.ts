/**
 * The VAT table: standard rates by country with effective dates (or "no VAT levied from"), EU
 * membership and shared VAT areas (Switzerland and Liechtenstein) as dated periods, kept as data in
 * seed/vat-rates.json and written into the support database on start (like the support catalogue),
 * so a rate change, a state joining or leaving the EU or a VAT treaty is a data change, never code.
 * A country the table does not name is no EU member; a country with no rate for a date is an
 * explicit VAT_RATE_UNKNOWN wherever its rate is needed, never a zero rate (docs/rules.md,
 * "Maintenance fee and VAT").
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { PROJECT_ROOT } from '../../../lib/config';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { EuMembership, VatAreaMembership, VatRate } from './vat-rate.entity';

export const VAT_RATES_FILE = path.join(PROJECT_ROOT, 'seed', 'vat-rates.json');

const RATE = /^(0|0\.\d{1,6}|1)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface DatedPeriod {
  from: string;
  until?: string;
}

interface VatRatesFile {
  countries: {
    country: string;
    euMembership: DatedPeriod[];
    vatArea?: (DatedPeriod & { area: string })[];
    rates: { validFrom: string; rate: string | null }[];
  }[];
}

export interface VatRows {
  rates: VatRate[];
  membership: EuMembership[];
  /** Shared VAT areas; none when left out (every country its own area). */
  areas?: VatAreaMembership[];
}

const periodProblem = (period: DatedPeriod) =>
  !DATE.test(period.from) || (period.until !== undefined && (!DATE.test(period.until) || period.until < period.from));

/** Reads and checks the seed file; a malformed row stops the start naming it. */
export async function readVatRatesFile(file = VAT_RATES_FILE): Promise<VatRows> {
  const data = JSON.parse(await readFile(file, 'utf8')) as VatRatesFile;
  const rows: VatRows = { rates: [], membership: [], areas: [] };
  for (const [i, entry] of (data.countries ?? []).entries()) {
    if (!/^[A-Z]{2}$/.test(entry.country) || !Array.isArray(entry.euMembership))
      throw new Error(`${file}: countries[${i}] needs a country code and euMembership (a list, empty for a country never in the EU)`);
    for (const [j, period] of entry.euMembership.entries()) {
      if (periodProblem(period)) {
        throw new Error(`${file}: countries[${i}].euMembership[${j}] needs an ISO "from" and, if it ended, an ISO "until" not before it`);
      }
      rows.membership.push(Object.assign(new EuMembership(), { country: entry.country, memberFrom: period.from, memberUntil: period.until ?? null }));
    }
    for (const [j, period] of (entry.vatArea ?? []).entries()) {
      if (periodProblem(period) || typeof period.area !== 'string' || !/^[A-Z-]{2,20}$/.test(period.area)) {
        throw new Error(
          `${file}: countries[${i}].vatArea[${j}] needs an area name (like "CH-LI"), an ISO "from" and, if it ended, an ISO "until" not before it`,
        );
      }
      rows.areas!.push(
        Object.assign(new VatAreaMembership(), { country: entry.country, area: period.area, memberFrom: period.from, memberUntil: period.until ?? null }),
      );
    }
    for (const [j, { validFrom, rate }] of (entry.rates ?? []).entries()) {
      if (!DATE.test(validFrom) || (rate !== null && !RATE.test(rate)))
        throw new Error(`${file}: countries[${i}].rates[${j}] needs an ISO validFrom and a decimal rate string (null: no VAT levied)`);
      rows.rates.push(Object.assign(new VatRate(), { country: entry.country, validFrom, rate }));
    }
  }
  return rows;
}

/** Replaces the tables with the seed file's rows in one transaction (idempotent). */
export async function ensureVatRates(orm: SubgraphORM): Promise<void> {
  const { rates, membership, areas = [] } = await readVatRatesFile();
  await orm.em.fork().transactional(async (em) => {
    await em.nativeDelete(VatRate, {});
    await em.nativeDelete(EuMembership, {});
    await em.nativeDelete(VatAreaMembership, {});
    for (const row of rates) await em.insert(VatRate, { ...row });
    for (const row of membership) await em.insert(EuMembership, { ...row });
    for (const row of areas) await em.insert(VatAreaMembership, { ...row });
  });
}

export class VatRateUnknownError extends GraphQLError {
  constructor(country: string, date: string) {
    super(`No VAT rate is known for country "${country}" on ${date}`, { extensions: { code: 'VAT_RATE_UNKNOWN', country, date } });
  }
}

/** A country's VAT on a date: its standard rate, or none levied at all (the United States). */
export type CountryVat = { levied: true; rate: string } | { levied: false };

interface Period {
  from: string;
  until: string | null;
}

const within = (p: Period, date: string) => p.from <= date && (p.until === null || date <= p.until);

function byCountry<R extends { country: string }, V>(rows: readonly R[], value: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) map.set(row.country, [...(map.get(row.country) ?? []), value(row)]);
  return map;
}

/** The table as the fee rules read it; held in memory while the subgraph serves (it changes with a release). */
export class VatTable {
  private readonly rates: Map<string, { validFrom: string; rate: string | null }[]>;
  private readonly membership: Map<string, Period[]>;
  private readonly areas: Map<string, (Period & { area: string })[]>;

  constructor({ rates, membership, areas = [] }: VatRows) {
    this.rates = byCountry(rates, (row) => ({ validFrom: row.validFrom, rate: row.rate }));
    for (const list of this.rates.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    this.membership = byCountry(membership, (row) => ({ from: row.memberFrom, until: row.memberUntil ?? null }));
    this.areas = byCountry(areas, (row) => ({ from: row.memberFrom, until: row.memberUntil ?? null, area: row.area }));
  }

  /** Whether the country is an EU member state on that date (ISO); a country the table does not name never was. */
  isEu(country: string, date: string): boolean {
    return (this.membership.get(country) ?? []).some((p) => within(p, date));
  }

  /** The VAT area the country belongs to on that date: a shared one (e.g. "CH-LI"), else its own (its code). */
  vatArea(country: string, date: string): string {
    return (this.areas.get(country) ?? []).find((p) => within(p, date))?.area ?? country;
  }

  /** The country's VAT on that date (ISO); undefined when the table has no row for it on that date. */
  knownVatOn(country: string, date: string): CountryVat | undefined {
    let found: CountryVat | undefined;
    for (const row of this.rates.get(country) ?? [])
      if (row.validFrom <= date) found = row.rate === null ? { levied: false } : { levied: true, rate: row.rate };
    return found;
  }

  /** The country's VAT on that date; VAT_RATE_UNKNOWN when the table has none, never a silent zero. */
  vatOn(country: string, date: string): CountryVat {
    const vat = this.knownVatOn(country, date);
    if (vat === undefined) throw new VatRateUnknownError(country, date);
    return vat;
  }
}

export async function loadVatTable(orm: SubgraphORM): Promise<VatTable> {
  const em = orm.em.fork() as SubgraphEM;
  return new VatTable({ rates: await em.find(VatRate, {}), membership: await em.find(EuMembership, {}), areas: await em.find(VatAreaMembership, {}) });
}
