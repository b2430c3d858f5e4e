/**
 * The VAT table: standard rates by country with effective dates, and EU membership as dated
 * periods, kept as data in seed/vat-rates.json and written into the support database on start
 * (like the support catalogue), so a rate change or a state joining or leaving the EU is a data
 * change. A country the table does not name is no EU member (its customers pay no VAT, docs/rules.md,
 * "Maintenance fee and VAT"); an EU member without a rate on a date is an explicit error, never a zero rate.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { PROJECT_ROOT } from '../../../lib/config';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { EuMembership, VatRate } from './vat-rate.entity';

export const VAT_RATES_FILE = path.join(PROJECT_ROOT, 'seed', 'vat-rates.json');

const RATE = /^(0|0\.\d{1,6}|1)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface VatRatesFile {
  countries: { country: string; euMembership: { from: string; until?: string }[]; rates: { validFrom: string; rate: string }[] }[];
}

export interface VatRows {
  rates: VatRate[];
  membership: EuMembership[];
}

/** Reads and checks the seed file; a malformed row stops the start naming it. */
export async function readVatRatesFile(file = VAT_RATES_FILE): Promise<VatRows> {
  const data = JSON.parse(await readFile(file, 'utf8')) as VatRatesFile;
  const rows: VatRows = { rates: [], membership: [] };
  for (const [i, entry] of (data.countries ?? []).entries()) {
    if (!/^[A-Z]{2}$/.test(entry.country) || !Array.isArray(entry.euMembership))
      throw new Error(`${file}: countries[${i}] needs a country code and euMembership (a list, empty for a country never in the EU)`);
    for (const [j, period] of entry.euMembership.entries()) {
      if (!DATE.test(period.from) || (period.until !== undefined && (!DATE.test(period.until) || period.until < period.from))) {
        throw new Error(`${file}: countries[${i}].euMembership[${j}] needs an ISO "from" and, if it ended, an ISO "until" not before it`);
      }
      rows.membership.push(Object.assign(new EuMembership(), { country: entry.country, memberFrom: period.from, memberUntil: period.until ?? null }));
    }
    for (const [j, { validFrom, rate }] of (entry.rates ?? []).entries()) {
      if (!DATE.test(validFrom) || !RATE.test(rate)) throw new Error(`${file}: countries[${i}].rates[${j}] needs an ISO validFrom and a decimal rate string`);
      rows.rates.push(Object.assign(new VatRate(), { country: entry.country, validFrom, rate }));
    }
  }
  return rows;
}

/** Replaces the tables with the seed file's rows in one transaction (idempotent). */
export async function ensureVatRates(orm: SubgraphORM): Promise<void> {
  const { rates, membership } = await readVatRatesFile();
  await orm.em.fork().transactional(async (em) => {
    await em.nativeDelete(VatRate, {});
    await em.nativeDelete(EuMembership, {});
    for (const row of rates) await em.insert(VatRate, { ...row });
    for (const row of membership) await em.insert(EuMembership, { ...row });
  });
}

export class VatRateUnknownError extends GraphQLError {
  constructor(country: string, date: string) {
    super(`No VAT rate is known for country "${country}" on ${date}`, { extensions: { code: 'VAT_RATE_UNKNOWN', country, date } });
  }
}

/** The table as the fee rules read it; held in memory while the subgraph serves (it changes with a release). */
export class VatTable {
  private readonly rates = new Map<string, { validFrom: string; rate: string }[]>();
  private readonly membership = new Map<string, { from: string; until: string | null }[]>();

  constructor({ rates, membership }: VatRows) {
    for (const row of rates) this.rates.set(row.country, [...(this.rates.get(row.country) ?? []), { validFrom: row.validFrom, rate: row.rate }]);
    for (const list of this.rates.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (const row of membership)
      this.membership.set(row.country, [...(this.membership.get(row.country) ?? []), { from: row.memberFrom, until: row.memberUntil ?? null }]);
  }

  /** Whether the country is an EU member state on that date (ISO); a country the table does not name never was. */
  isEu(country: string, date: string): boolean {
    return (this.membership.get(country) ?? []).some((p) => p.from <= date && (p.until === null || date <= p.until));
  }

  /** The standard rate in force on that date (ISO), as a decimal string; undefined when the table has none. */
  knownRateOn(country: string, date: string): string | undefined {
    let found: string | undefined;
    for (const row of this.rates.get(country) ?? []) if (row.validFrom <= date) found = row.rate;
    return found;
  }

  /** The standard rate in force on that date; VAT_RATE_UNKNOWN when the table has none. */
  rateOn(country: string, date: string): string {
    const rate = this.knownRateOn(country, date);
    if (rate === undefined) throw new VatRateUnknownError(country, date);
    return rate;
  }
}

export async function loadVatTable(orm: SubgraphORM): Promise<VatTable> {
  const em = orm.em.fork() as SubgraphEM;
  return new VatTable({ rates: await em.find(VatRate, {}), membership: await em.find(EuMembership, {}) });
}
