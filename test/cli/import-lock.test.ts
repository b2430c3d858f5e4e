/**
 * The import's guarantees (docs/operations.md "Import guarantees"), with the real commands as
 * separate processes: an import killed (SIGKILL) at each step leaves the old directory or the whole
 * new one, never part of it; two imports at once take turns on the import lock, and one that waits
 * longer than IMPORT_LOCK_TIMEOUT fails clearly and changes nothing.
 */
import {
  graphql,
  license,
  MANUFACTURER,
  provider,
  runImport,
  SMALL_DIRECTORY,
  spawnImport,
  startProduct,
  TEST_TIMEOUT_MS,
  useCommandSandbox,
  writeFile,
} from '../support/commands';

useCommandSandbox();

const IMPORT_STEPS = ['locked', 'providers-written', 'licenses-written', 'committed'] as const;
const NEWCOMER = 'acme-dist-2';

/** The second version of SMALL_DIRECTORY: a renamed manufacturer, a new distributor with an offer, its licenses. */
const directoryV2 = (licenses: number) => ({
  providers: [
    provider(MANUFACTURER, { name: 'Acme Maker v2', roles: ['MANUFACTURER'] }),
    provider(NEWCOMER, {
      name: 'Acme Distribution 2',
      roles: ['DISTRIBUTOR'],
      offers: [{ id: 'acme2-level0', service: 'TECHNICAL_SUPPORT', title: 'Level 0', price: { amount: '120.00', currency: 'EUR' }, unit: 'ANNUAL' }],
    }),
  ],
  licenses: Array.from({ length: licenses }, (_, i) => license(`CLI-V2-${String(i).padStart(6, '0')}`, { vendorId: NEWCOMER })),
});

/** What a reader sees of both databases in one request: each half of V2 shows in another field. */
const PROBE = `{
  provider(id: "${MANUFACTURER}") { name }
  newcomer: provider(id: "${NEWCOMER}") { id offers { id } }
  license(key: "CLI-V2-000000") { key vendor { id name } }
  licenses(first: 0) { totalCount }
}`;

const V1_SEEN = { provider: { name: 'Acme Maker GmbH' }, newcomer: null, license: null, licenses: { totalCount: 1 } };
const v2Seen = (licenses: number) => ({
  provider: { name: 'Acme Maker v2' },
  newcomer: { id: NEWCOMER, offers: [{ id: 'acme2-level0' }] },
  license: { key: 'CLI-V2-000000', vendor: { id: NEWCOMER, name: 'Acme Distribution 2' } },
  licenses: { totalCount: 1 + licenses },
});

async function probe(url: string) {
  const { data, errors } = await graphql(url, PROBE);
  expect(errors).toBeUndefined();
  return data;
}

describe('npm run import, killed (SIGKILL) at each step', () => {
  it.each(IMPORT_STEPS)(
    'at %s: readers see the old directory or the whole new one, never part; the next start serves the same; the next import goes through',
    async (step) => {
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const v2 = writeFile('v2.json', directoryV2(3));
      const expected = step === 'committed' ? v2Seen(3) : V1_SEEN;
      const product = await startProduct(); // a running reader of both databases

      const importing = spawnImport(v2, { IMPORT_PAUSE_AT: step });
      await importing.printed(`import paused at ${step}`);
      expect(await probe(product.url)).toEqual(expected);
      importing.kill();
      expect(await importing.finished).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(await probe(product.url)).toEqual(expected);

      await product.stop();
      const restarted = await startProduct();
      expect(await probe(restarted.url)).toEqual(expected);
      // The lock died with the import: the next one (here while a reader runs) is not held up.
      expect(await runImport(v2)).toMatchObject({ code: 0, stderr: '' });
      expect(await probe(restarted.url)).toEqual(v2Seen(3));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'while it commits a large import: all of it or none of it, also after the next start',
    async () => {
      const LARGE = 20_000;
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const v2 = writeFile('v2.json', directoryV2(LARGE));
      const importing = spawnImport(v2, { IMPORT_TRACE: '1' });
      await importing.printed('import at licenses-written'); // the commit starts now
      importing.kill();
      await importing.finished;

      const product = await startProduct();
      const seen = await probe(product.url);
      expect([V1_SEEN, v2Seen(LARGE)]).toContainEqual(seen);
      await product.stop();
      const again = await startProduct();
      expect(await probe(again.url)).toEqual(seen);
    },
    4 * TEST_TIMEOUT_MS,
  );
});

describe('concurrent imports', () => {
  // Migrates both databases, so that the imports below race for the import lock, not to migrate.
  const prepare = async () =>
    expect((await runImport(writeFile('licenses-only.json', { licenses: [license('CLI-DIRECT', { vendorId: null })] }))).code).toBe(0);

  it(
    'two at once, each making a different new provider the MANUFACTURER: one wins, the other fails naming the winner',
    async () => {
      await prepare();
      const makers = ['maker-a', 'maker-b'];
      const files = makers.map((id) => writeFile(`${id}.json`, { providers: [provider(id, { roles: ['MANUFACTURER'] })] }));
      const results = await Promise.all(files.map((file) => runImport(file)));
      expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
      const winner = makers[results.findIndex((r) => r.code === 0)];
      const loser = results.find((r) => r.code !== 0)!;
      expect(loser.stderr).toContain(`would be a second MANUFACTURER besides "${winner}"`);
      expect(loser.stderr).not.toContain('    at ');

      const product = await startProduct();
      const { data } = await graphql(
        product.url,
        `
          {
            providers(role: MANUFACTURER) {
              id
            }
          }
        `,
      );
      expect(data.providers).toEqual([{ id: winner }]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a second import waits for the running one at most IMPORT_LOCK_TIMEOUT, then fails clearly and changes nothing',
    async () => {
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const first = spawnImport(writeFile('v2.json', directoryV2(3)), { IMPORT_PAUSE_AT: 'licenses-written' });
      await first.printed('import paused at licenses-written');

      const renamed = writeFile('renamed.json', { providers: [provider(MANUFACTURER, { name: 'Renamed Maker', roles: ['MANUFACTURER'] })] });
      const second = await runImport(renamed, { IMPORT_LOCK_TIMEOUT: '1' });
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      expect(second.stderr).toContain(
        'import failed, nothing changed: another import into the same directory is running; gave up waiting for its lock after 1 s',
      );

      first.kill();
      await first.finished;
      const product = await startProduct();
      expect(await probe(product.url)).toEqual(V1_SEEN);
      expect(await runImport(renamed)).toMatchObject({ code: 0 });
      expect((await probe(product.url)).provider).toEqual({ name: 'Renamed Maker' });
    },
    TEST_TIMEOUT_MS,
  );
});
