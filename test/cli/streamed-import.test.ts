/**
 * `npm run import` on files it streams, as a real process on real databases (SQLite files, or
 * PostgreSQL with DATABASE_URL), checked through the gateway `npm start` serves: a vendor migrating
 * its holders' access codes gives their stored forms, and the holders sign in with their codes; a
 * malformed stored form is refused naming its record; one bad record deep in a large file changes
 * nothing at all. (That the import's memory stays flat whatever the file's size is a benchmark:
 * docs/benchmarks.md.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { hashAccessCode } from '../../lib/access-codes';
import { generateDirectory } from '../../lib/directory/generate-directory';
import { ADMIN, tokenFor } from '../support/stack';
import {
  graphql,
  LICENSE,
  license,
  MANUFACTURER,
  runImport,
  sandbox,
  SMALL_DIRECTORY,
  startProduct,
  TEST_TIMEOUT_MS,
  useCommandSandbox,
  writeFile,
} from '../support/commands';

useCommandSandbox();

const CODE = 'K7QM-2XPD-9RTA-W4HN';
const MIGRATED = 'CLI-MIGRATED';
const signIn = (key: string, code: string) => `mutation { signIn(licenseKey: "${key}", accessCode: "${code}") { token } }`;
const LICENSE_COUNT = `{ licenses(first: 1) { totalCount } }`;

test(
  'migrated access codes sign in; a malformed one and a bad record deep in a large file change nothing',
  async () => {
    // A vendor's file with one holder's code in its stored form (what lib/access-codes.ts stores).
    const hashed = await hashAccessCode(CODE.replace(/-/g, ''));
    const migration = { ...SMALL_DIRECTORY, licenses: [...SMALL_DIRECTORY.licenses, license(MIGRATED, { accessCode: hashed })] };
    const first = await runImport(writeFile('migration.json', migration));
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('imported 2 providers (1 offers) and 2 licenses') });

    // The stored form strictly: a hash cut short is refused, naming the record; nothing changes.
    const broken = {
      ...migration,
      licenses: [license(LICENSE, { accessCode: hashed }), license(MIGRATED, { accessCode: hashed.slice(0, -3), packageName: 'Changed' })],
    };
    const refused = await runImport(writeFile('broken.json', broken));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing imported; 1 problem(s):');
    expect(refused.stderr).toContain(`licenses[1] (${MIGRATED}).accessCode: accessCode must be a hashed access code: the hash must be 32 bytes (got 30)`);

    // 20,000 licenses, the last but one of which has a status no license can have (its
    // manufacturer is the one already stored, or that would be a problem too).
    const large = path.join(sandbox.dataDir, 'large.json');
    await generateDirectory({ licenses: 20_000, providers: 50, out: large, seed: 3 });
    const text = fs.readFileSync(large, 'utf8').replace('"id":"image-instruments"', `"id":"${MANUFACTURER}"`);
    const line = text.split('\n').find((l) => l.includes('"key":"GEN-0019999"'))!;
    fs.writeFileSync(large, text.replace(line, line.replace(/"status":"\w+"/, '"status":"LAPSED"')));
    const deep = await runImport(large);
    expect(deep.code).toBe(1);
    expect(deep.stderr).toContain('nothing imported; 1 problem(s):');
    expect(deep.stderr).toContain('licenses[19998] (GEN-0019999).status: status must be one of ACTIVE, SUSPENDED, EXPIRED (got "LAPSED")');

    const product = await startProduct();
    try {
      // The holder signs in with the code whose hash was migrated, typed as on the papers.
      const signedIn = await graphql(product.url, signIn(MIGRATED, CODE.toLowerCase()));
      expect(signedIn.errors).toBeUndefined();
      expect(signedIn.data.signIn.token).toEqual(expect.any(String));
      const licenseAsHolder = await graphql(product.url, `{ license(key: "${MIGRATED}") { key packageName } }`, signedIn.data.signIn.token);
      expect(licenseAsHolder).toEqual({ data: { license: { key: MIGRATED, packageName: 'OnyxCeph³ 3D Pro' } } });
      // The license the refused file would have given the same stored code has none.
      expect((await graphql(product.url, signIn(LICENSE, CODE))).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
      // Neither refused file changed anything: the two licenses of the first file, and no generated one.
      expect(await graphql(product.url, LICENSE_COUNT, await tokenFor(ADMIN))).toEqual({ data: { licenses: { totalCount: 2 } } });
    } finally {
      await product.stop();
    }
  },
  TEST_TIMEOUT_MS * 3,
);
