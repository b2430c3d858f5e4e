/**
 * VAT ids are checked for their country's format when they are entered (docs/rules.md, "Maintenance fee and VAT"):
 * one check (lib/validation.ts, with jsvat's check digits) for the import, registration, transfer
 * and self-service alike; the directory file's validator is the path the first three share.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { validateDirectoryFile as validateFile } from '../../lib/directory/directory-file';
import { readValue, vatIdOf, VAT_ID_COUNTRIES } from '../../lib/validation';
import { inEnglish } from '../support/english';

/** The validator, its problems in English (as the import writes them). */
const validateDirectoryFile = (...args: Parameters<typeof validateFile>) => {
  const result = validateFile(...args);
  return { ...result, problems: inEnglish(result.problems) };
};

const read = (country: string | undefined, value: string) => inEnglish(readValue(vatIdOf(country), value));

describe('vatIdOf', () => {
  test('a valid id of the country is kept, compact and upper case', () => {
    expect(read('DE', 'DE100000008')).toEqual({ ok: true, value: 'DE100000008' });
    expect(read('CH', 'CHE-100.000.006 MWST')).toEqual({ ok: true, value: 'CHE100000006MWST' });
    expect(read('AT', ' atu 1000 0005 ')).toEqual({ ok: true, value: 'ATU10000005' });
    expect(read('GR', 'EL100000003')).toEqual({ ok: true, value: 'EL100000003' });
  });

  test("a wrong check digit, a wrong shape or another country's prefix is refused naming the expected form", () => {
    expect(read('DE', 'DE100000009')).toEqual({
      ok: false,
      reason: 'must be a VAT id of Germany: "DE" and 9 digits, with a valid check digit, like "DE100000008" (got "DE100000009")',
    });
    expect(read('DE', 'DE000000000')).toMatchObject({ ok: false, reason: expect.stringContaining('"DE" and 9 digits') });
    expect(read('DE', 'ATU10000005')).toMatchObject({ ok: false, reason: expect.stringContaining('VAT id of Germany') });
    expect(read('AT', 'ATU00000000')).toMatchObject({ ok: false, reason: expect.stringContaining('"ATU" and 8 digits') });
  });

  test('every example the refusals quote passes its own check', () => {
    const examples = VAT_ID_COUNTRIES.map((country) => [country, /like "([^"]+)"/.exec(String(vatIdOf(country).reason('x')))?.[1]] as const).filter(
      ([, e]) => e,
    );
    expect(examples.length).toBeGreaterThanOrEqual(30);
    for (const [country, example] of examples) expect([country, read(country, example!).ok]).toEqual([country, true]);
  });

  test('the EU states, the United Kingdom, Switzerland and Norway are checked', () => {
    expect(VAT_ID_COUNTRIES).toEqual(expect.arrayContaining(['AT', 'DE', 'FR', 'GR', 'IT', 'NL', 'PL', 'GB', 'CH', 'NO']));
  });

  test('a country whose format the check does not know takes the id as written, within its length', () => {
    expect(read('LI', '12345')).toEqual({ ok: true, value: '12345' });
    expect(read('JP', 'T1234567890123')).toEqual({ ok: true, value: 'T1234567890123' });
    expect(read('JP', 'x'.repeat(31))).toMatchObject({ ok: false, reason: expect.stringContaining('at most 30 characters') });
    expect(read(undefined, 'anything')).toEqual({ ok: true, value: 'anything' });
  });
});

describe("the directory file (import, registration, transfer) checks VAT ids against the record's country", () => {
  const stored = { providerIds: new Set<string>(), manufacturerIds: new Set<string>(), offerOwners: new Map<string, string>() };
  const license = (country: string, vatId: string | null) => ({
    key: 'K-1',
    packageName: 'OnyxCeph³ 3D Pro',
    type: 'WORKSTATION',
    programVersion: '3.2',
    status: 'ACTIVE',
    holder: { name: 'Praxis', country, language: 'de', vatId },
  });

  test("a holder with a valid id is read compact; a holder with another country's id is a problem at holder.vatId", () => {
    expect(validateDirectoryFile({ licenses: [license('AT', 'ATU 1000 0005')] }, stored).directory.licenses[0].holder.vatId).toBe('ATU10000005');
    expect(validateDirectoryFile({ licenses: [license('AT', 'DE100000008')] }, stored).problems).toEqual([
      {
        path: 'licenses[0] (K-1).holder.vatId',
        reason: 'vatId must be a VAT id of Austria: "ATU" and 8 digits, with a valid check digit, like "ATU10000005" (got "DE100000008")',
      },
    ]);
  });

  test("a provider's id is checked against its country", () => {
    const provider = {
      id: 'p',
      name: 'P',
      roles: ['MANUFACTURER'],
      active: true,
      country: 'CH',
      serviceCountries: ['CH'],
      languages: ['de'],
      vatId: 'CHE-100.000.007 MWST',
    };
    expect(validateDirectoryFile({ providers: [provider] }, stored).problems).toEqual([
      { path: 'providers[0] (p).vatId', reason: expect.stringContaining('vatId must be a VAT id of Switzerland: "CHE", 9 digits') },
    ]);
  });
});

describe('the demo directory', () => {
  test('reads without a problem: its VAT ids are valid for their countries', () => {
    const demo = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
    const stored = { providerIds: new Set<string>(), manufacturerIds: new Set<string>(), offerOwners: new Map<string, string>() };
    const { directory, problems } = validateDirectoryFile(demo, stored);
    expect(problems).toEqual([]);
    const ids = [...directory.providers.map((p) => p.vatId), ...directory.licenses.map((l) => l.holder.vatId)].filter(Boolean);
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });
});
