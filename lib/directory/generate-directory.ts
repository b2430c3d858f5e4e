/**
 * A generated directory for `npm run generate`: writes a large,
 * valid directory file (docs/directory-file.md) for benchmarks: one manufacturer, then
 * distributors, support partners and providers with both roles across the countries of the VAT
 * table, each with a few offers; licenses bought through a distributor or directly, some with a
 * designated partner. The same seed writes the same file. Licenses are written as they are made,
 * so memory stays flat whatever the count.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { vatIdExample } from '../validation';
import { hashAccessCode } from '../access-codes';

const COUNTRIES = [
  ['DE', 'de', 'EUR'],
  ['AT', 'de', 'EUR'],
  ['CH', 'de', 'CHF'],
  ['FR', 'fr', 'EUR'],
  ['IT', 'it', 'EUR'],
  ['ES', 'es', 'EUR'],
  ['NL', 'nl', 'EUR'],
  ['BE', 'fr', 'EUR'],
  ['PL', 'pl', 'PLN'],
  ['CZ', 'cs', 'CZK'],
  ['SE', 'sv', 'SEK'],
  ['DK', 'da', 'DKK'],
  ['FI', 'fi', 'EUR'],
  ['PT', 'pt', 'EUR'],
  ['GB', 'en', 'GBP'],
  ['US', 'en', 'USD'],
] as const;
const SERVICES = ['TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT'] as const;
const UNITS = ['ONE_TIME', 'ANNUAL', 'PER_HOUR', 'PER_DAY', 'PER_PARTICIPANT'] as const;
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'SUSPENDED', 'EXPIRED'] as const;

/** mulberry32: a small seeded generator, so a benchmark file can be written again exactly. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
}

export interface GenerateOptions {
  licenses: number;
  providers: number;
  out: string;
  seed: number;
  /** Give every license an access code, in clear or in its stored form (see lib/commands.ts). */
  accessCodes?: 'plain' | 'hashed';
}

/** Codes for `--access-codes hashed`: hashing one per license would take as long as importing plain ones. */
const HASHED_POOL = 64;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function parseGenerateOptions(argv: string[]): GenerateOptions {
  const options: GenerateOptions = { licenses: 100_000, providers: 2_000, out: 'data/generated-directory.json', seed: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--out' && value) options.out = value;
    else if (flag === '--access-codes' && (value === 'plain' || value === 'hashed')) options.accessCodes = value;
    else if (['--licenses', '--providers', '--seed'].includes(flag) && /^\d+$/.test(value ?? '')) (options as any)[flag.slice(2)] = Number(value);
    else throw new Error(`unknown option or bad value: ${flag} ${value ?? ''} (--help for the options)`);
  }
  if (options.providers < 2) throw new Error('--providers must be at least 2 (the manufacturer and a distributor)');
  return options;
}

export async function generateDirectory({ licenses, providers, out, seed, accessCodes }: GenerateOptions): Promise<void> {
  const rnd = random(seed);
  // Their own generator, so that the rest of the file is the same with codes or without.
  const codes = random(seed + 1);
  const newCode = () => Array.from({ length: 16 }, () => CROCKFORD[codes.int(32)]).join('');
  const hashedPool = accessCodes === 'hashed' ? await Promise.all(Array.from({ length: HASHED_POOL }, () => hashAccessCode(newCode()))) : [];
  const accessCode = (i: number) =>
    accessCodes === 'plain' ? { accessCode: newCode() } : accessCodes === 'hashed' ? { accessCode: hashedPool[i % HASHED_POOL] } : {};
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const stream = fs.createWriteStream(out);
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const distributors: string[] = [];
  const partners: string[] = [];
  await write('{"providers":[\n');
  await write(
    JSON.stringify({
      id: 'image-instruments',
      name: 'Image Instruments GmbH',
      roles: ['MANUFACTURER'],
      active: true,
      country: 'DE',
      serviceCountries: COUNTRIES.map(([c]) => c),
      languages: ['de', 'en'],
      vatId: 'DE100000008',
      offers: [],
    }),
  );
  for (let i = 1; i < providers; i++) {
    const id = `gen-provider-${i}`;
    // Every third provider is a distributor, every third a partner, every third both.
    const roles = i % 3 === 1 ? ['DISTRIBUTOR'] : i % 3 === 2 ? ['SUPPORT_PARTNER'] : ['DISTRIBUTOR', 'SUPPORT_PARTNER'];
    const [country, language, currency] = i === 1 ? COUNTRIES[0] : rnd.pick(COUNTRIES);
    const active = i === 1 || rnd.next() < 0.95;
    if (roles.includes('DISTRIBUTOR')) distributors.push(id);
    if (roles.includes('SUPPORT_PARTNER')) partners.push(id);
    const offers = Array.from({ length: rnd.int(4) }, (_, n) => ({
      id: `${id}-offer-${n}`,
      service: rnd.pick(SERVICES),
      title: `Offer ${n}`,
      price: { amount: `${20 + rnd.int(2000)}.${String(rnd.int(100)).padStart(2, '0')}`, currency },
      unit: rnd.pick(UNITS),
    }));
    await write(
      ',\n' +
        JSON.stringify({
          id,
          name: `Generated provider ${i}`,
          roles,
          active,
          country,
          serviceCountries: [country],
          languages: [language],
          offers,
        }),
    );
  }
  await write('\n],"licenses":[\n');
  for (let i = 1; i <= licenses; i++) {
    const [country, language] = rnd.pick(COUNTRIES);
    const paidYear = 2020 + rnd.int(10);
    await write(
      (i > 1 ? ',\n' : '') +
        JSON.stringify({
          key: `GEN-${String(i).padStart(7, '0')}`,
          packageName: 'OnyxCeph³ 3D Pro',
          type: rnd.next() < 0.3 ? 'NETWORK' : 'WORKSTATION',
          programVersion: '3.2',
          status: rnd.pick(STATUSES),
          holder: { name: `Practice ${i}`, country, language, vatId: rnd.next() < 0.5 ? (vatIdExample(country) ?? null) : null },
          vendorId: rnd.next() < 0.8 ? rnd.pick(distributors) : null,
          supportPartnerId: partners.length > 0 && rnd.next() < 0.3 ? rnd.pick(partners) : null,
          maintenancePaidThrough: rnd.next() < 0.9 ? `${paidYear}-12-31` : null,
          ...accessCode(i),
        }),
    );
  }
  await write('\n]}\n');
  stream.end();
  await once(stream, 'finish');
}
