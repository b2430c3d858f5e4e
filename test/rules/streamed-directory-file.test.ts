/**
 * A directory file read as a stream (what `npm run import` does) is judged exactly like the same
 * file parsed whole: the same entries, the same problems at the same paths. Also: licenses may come
 * before the providers they name; a JSON syntax error is a readable failure; access codes in their
 * stored form are checked strictly (form, lengths, cost within bounds).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashAccessCode, storedAccessCodeProblem } from '../../lib/access-codes';
import { DirectoryFileUnreadable, entriesOf, readDirectoryEntries, type DirectoryEntry } from '../../lib/directory/directory-entries';
import { DirectoryValidator, validateDirectoryFile as validateFile, type StoredDirectory } from '../../lib/directory/directory-file';
import { inEnglish } from '../support/english';

/** The validator, its problems in English (as the import writes them). */
const validateDirectoryFile = (...args: Parameters<typeof validateFile>) => {
  const result = validateFile(...args);
  return { ...result, problems: inEnglish(result.problems) };
};

const EMPTY: StoredDirectory = { providerIds: new Set(), manufacturerIds: new Set(), offerOwners: new Map() };
const maker = { id: 'maker', name: 'Maker GmbH', roles: ['MANUFACTURER'], active: true, country: 'DE', serviceCountries: ['DE'], languages: ['de'] };
const seller = { ...maker, id: 'seller', name: 'Seller GmbH', roles: ['DISTRIBUTOR'] };
const license = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'WORKSTATION',
  programVersion: '3.2',
  status: 'ACTIVE',
  holder: { name: `Praxis ${key}`, country: 'DE', language: 'de' },
  ...extra,
});

let scratch: string;
beforeAll(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'streamed-directory-'))));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let files = 0;
function fileWith(text: string): string {
  const file = path.join(scratch, `${++files}.json`);
  fs.writeFileSync(file, text);
  return file;
}

async function streamed(text: string): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  for await (const entry of readDirectoryEntries(fileWith(text)).entries) entries.push(entry);
  return entries;
}

/** The problems of a file read as a stream, as the import's first pass finds them. */
async function streamedProblems(text: string, stored = EMPTY) {
  const validator = new DirectoryValidator(stored);
  for await (const entry of readDirectoryEntries(fileWith(text)).entries) validator.add(entry);
  return inEnglish(validator.finish().problems);
}

describe('a streamed file gives the same entries and problems as the parsed one', () => {
  it.each([
    ['a valid file', { providers: [maker, seller], licenses: [license('A', { vendorId: 'seller' }), license('B')] }],
    ['an unknown field', { providers: [maker], extra: { deep: [1, { a: 2 }] }, licenses: [] }],
    ['a list that is no array', { providers: { id: 'maker' }, licenses: 'none' }],
    ['null and blank lists', { providers: null, licenses: ' ' }],
    ['no lists at all', {}],
    ['a record that is no object', { licenses: [license('A'), 42, 'text', null, [1]] }],
    ['bad records', { providers: [maker, { ...seller, country: 'XX', roles: [] }], licenses: [license('A', { vendorId: 'nobody', type: 'BIG' })] }],
    ['repeated keys far apart', { providers: [maker], licenses: [...Array.from({ length: 300 }, (_, i) => license(`K-${i}`)), license('K-3')] }],
  ])('%s', async (_name, input) => {
    const text = JSON.stringify(input);
    // Records and lists in the same order; problems of the top level come where the file has them.
    const [fromStream, parsed] = [await streamed(text), [...entriesOf(input)]];
    const ordered = (entries: DirectoryEntry[]) => entries.filter((e) => e.kind !== 'problem');
    const unordered = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
    expect(ordered(fromStream)).toEqual(ordered(parsed));
    expect(unordered(fromStream)).toEqual(unordered(parsed));
    expect(unordered(await streamedProblems(text))).toEqual(unordered(validateDirectoryFile(input, EMPTY).problems));
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"directory"'],
  ])('a file that is %s is not a directory, and nothing more is said', async (_name, text) => {
    expect(await streamedProblems(text)).toEqual([{ path: '(file)', reason: 'the file must be an object' }]);
  });

  it('a field given twice is a problem (a parsed file would silently keep the second)', async () => {
    expect(await streamedProblems(`{"providers": [${JSON.stringify(maker)}], "licenses": [], "licenses": []}`)).toEqual([
      { path: 'licenses', reason: '"licenses" appears more than once in the file' },
    ]);
  });
});

describe('licenses before providers', () => {
  it('a license may name a provider that comes later in the file', async () => {
    const text = JSON.stringify({ licenses: [license('A', { vendorId: 'seller' })], providers: [maker, seller] });
    expect(await streamedProblems(text)).toEqual([]);
  });

  it('a name that no provider of the file or the store has is still refused, at its record', async () => {
    const text = JSON.stringify({ licenses: [license('A', { vendorId: 'seller' }), license('B', { supportPartnerId: 'ghost' })], providers: [maker, seller] });
    expect(await streamedProblems(text)).toEqual([
      { path: 'licenses[1] (B).supportPartnerId', reason: 'supportPartnerId "ghost" names no provider in the file or in the directory' },
    ]);
  });
});

describe('listing problems', () => {
  it('lists the first ones and counts the rest', async () => {
    const input = { providers: [maker], licenses: Array.from({ length: 30 }, (_, i) => license(`K-${i}`, { type: 'BIG' })) };
    const validator = new DirectoryValidator(EMPTY, 10);
    for (const entry of entriesOf(input)) validator.add(entry);
    const { problems, unlisted } = validator.finish();
    expect(problems).toHaveLength(10);
    expect(problems[9].path).toBe('licenses[9] (K-9).type');
    expect(unlisted).toBe(20);
  });
});

describe('a file that is not JSON', () => {
  it('fails the iteration with DirectoryFileUnreadable', async () => {
    await expect(streamed(`{"providers": [${JSON.stringify(maker)}, {"id": `)).rejects.toBeInstanceOf(DirectoryFileUnreadable);
    await expect(streamed('this is { not JSON')).rejects.toBeInstanceOf(DirectoryFileUnreadable);
  });
});

describe('an access code in its stored form', () => {
  const b64 = (bytes: number) => crypto.randomBytes(bytes).toString('base64url');
  const form = (log2N: number | string, r: number | string, p: number | string, salt = b64(16), hash = b64(32)) => `scrypt$${log2N}$${r}$${p}$${salt}$${hash}`;

  it('our own stored form is accepted, and imported as the hash', async () => {
    const hash = await hashAccessCode('K7QM2XPD9RTAW4HN');
    expect(storedAccessCodeProblem(hash)).toBeUndefined();
    const { directory, problems } = validateDirectoryFile({ licenses: [license('A', { accessCode: hash })] }, EMPTY);
    expect(problems).toEqual([]);
    expect(directory.licenses[0].accessCode).toEqual({ hash });
    expect(validateDirectoryFile({ licenses: [license('A', { accessCode: 'k7qm 2xpd 9rta w4hn' })] }, EMPTY).directory.licenses[0].accessCode).toEqual({
      code: 'K7QM2XPD9RTAW4HN',
    });
  });

  it.each([
    ['a missing part', 'scrypt$15$8$1$' + b64(16), 'has the form scrypt$<log2 N>$<r>$<p>$<salt>$<hash>'],
    ['another algorithm', 'scrypt$15$8$1$' + b64(16) + '$' + b64(32) + '$x', 'has the form'],
    ['a cheap cost', form(10, 8, 1), 'log2 N must be 14 to 20 (got 10)'],
    ['a cost of a gigabyte per sign-in', form(20, 8, 1), 'takes 1024 MiB per sign-in'],
    ['a small r', form(15, 1, 1), 'r must be 8 to 32 (got 1)'],
    ['a large p', form(15, 8, 9), 'p must be 1 to 4 (got 9)'],
    ['a short salt', form(15, 8, 1, b64(8)), 'salt must be 16 to 64 bytes (got 8)'],
    ['a short hash', form(15, 8, 1, b64(16), b64(16)), 'hash must be 32 bytes (got 16)'],
    ['base64 with padding', form(15, 8, 1, b64(16), crypto.randomBytes(32).toString('base64')), 'has the form'],
    ['a non-canonical base64url', form(15, 8, 1, b64(16), b64(32).slice(0, 42) + 'B'), 'hash must be base64url without padding'],
  ])('%s is refused naming the record and the reason', (_name, stored, reason) => {
    const { problems } = validateDirectoryFile({ providers: [maker], licenses: [license('A'), license('B', { accessCode: stored })] }, EMPTY);
    expect(problems).toEqual([{ path: 'licenses[1] (B).accessCode', reason: expect.stringContaining(reason) }]);
    expect(problems[0].reason).toMatch(/^accessCode must be a hashed access code: /);
  });
});
