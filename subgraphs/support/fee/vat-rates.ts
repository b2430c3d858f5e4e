/**
 * The VAT table: standard rates by country with effective dates, kept as data in seed/vat-rates.json
 * and written into the support database on start (like the support catalogue), so a rate change is
 * a data change. A country or date the table does not cover is an explicit error, never a zero rate.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { PROJECT_ROOT } from '../../../lib/config';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { VatRate } from './vat-rate.entity';

export const VAT_RATES_FILE = path.join(PROJECT_ROOT, 'seed', 'vat-rates.json');

const RATE = /^(0|0\.\d{1,6}|1)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface VatRatesFile {
  countries: { country: string; eu: boolean; rates: { validFrom: string; rate: string }[] }[];
}

/** Reads and checks the seed file; a malformed row stops the start naming it. */
export async function readVatRatesFile(file = VAT_RATES_FILE): Promise<VatRate[]> {
  const data = JSON.parse(await readFile(file, 'utf8')) as VatRatesFile;
  const rows: VatRate[] = [];
  for (const [i, entry] of (data.countries ?? []).entries()) {
    if (!/^[A-Z]{2}$/.test(entry.country) || typeof entry.eu !== 'boolean') throw new Error(`${file}: countries[${i}] needs a country code and eu`);
    for (const [j, { validFrom, rate }] of (entry.rates ?? []).entries()) {
      if (!DATE.test(validFrom) || !RATE.test(rate)) throw new Error(`${file}: countries[${i}].rates[${j}] needs an ISO validFrom and a decimal rate string`);
      rows.push(Object.assign(new VatRate(), { country: entry.country, validFrom, rate, eu: entry.eu }));
    }
  }
  return rows;
}

/** Replaces the table with the seed file's rows in one transaction (idempotent). */
export async function ensureVatRates(orm: SubgraphORM): Promise<void> {
  const rows = await readVatRatesFile();
  await orm.em.fork().transactional(async (em) => {
    await em.nativeDelete(VatRate, {});
    for (const row of rows) await em.insert(VatRate, { ...row });
  });
}

export class VatRateUnknownError extends GraphQLError {
  constructor(country: string, date: string) {
    super(`No VAT rate is known for country "${country}" on ${date}`, { extensions: { code: 'VAT_RATE_UNKNOWN', country, date } });
  }
}

/** The table as the fee rules read it; held in memory while the subgraph serves (it changes with a release). */
export class VatTable {
  private readonly byCountry = new Map<string, { eu: boolean; rates: { validFrom: string; rate: string }[] }>();

  constructor(rows: readonly VatRate[]) {
    for (const row of rows) {
      const entry = this.byCountry.get(row.country) ?? { eu: row.eu, rates: [] };
      entry.rates.push({ validFrom: row.validFrom, rate: row.rate });
      this.byCountry.set(row.country, entry);
    }
    for (const entry of this.byCountry.values()) entry.rates.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }

  /** Whether the country is an EU member state; unknown countries are an error (their VAT treatment is unknown). */
  isEu(country: string, date: string): boolean {
    const entry = this.byCountry.get(country);
    if (!entry) throw new VatRateUnknownError(country, date);
    return entry.eu;
  }

  /** The standard rate in force on that date (ISO), as a decimal string. */
  rateOn(country: string, date: string): string {
    const rates = this.byCountry.get(country)?.rates ?? [];
    let found: string | undefined;
    for (const row of rates) if (row.validFrom <= date) found = row.rate;
    if (found === undefined) throw new VatRateUnknownError(country, date);
    return found;
  }
}

export async function loadVatTable(orm: SubgraphORM): Promise<VatTable> {
  const em = orm.em.fork() as SubgraphEM;
  return new VatTable(await em.find(VatRate, {}));
}
