/**
 * `npm run import -- FILE.json`: loads a directory file into the configured databases. All or
 * nothing: any invalid record changes nothing and exits 1 naming each record's path and reason;
 * a killed import changes nothing either (docs/operations.md "Import guarantees").
 *
 * IMPORT_LOCK_TIMEOUT: seconds to wait for another import's lock (default 60), then exit 1.
 * IMPORT_PAUSE_AT: test hook only; one of IMPORT_STEPS. The import prints
 * `import paused at <step>` on stdout when it gets there and waits to be killed.
 * IMPORT_TRACE=1: test hook only; prints `import at <step>` on stdout as each step is reached.
 *
 * The file is streamed, never read whole (app/directory/import-directory.ts). Plain access codes
 * are hashed on libuv's thread pool, which Node sizes at 4 threads whatever the cores: unless the
 * operator set UV_THREADPOOL_SIZE, it is set here to the cores available (at least 4), before
 * anything uses the pool (the pool reads it once, when it starts).
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import 'reflect-metadata';
import fs from 'node:fs';
import { databaseSettings } from '../lib/config';
import type { ImportProgress, ImportStep } from '../app/directory/import-directory';
import { commandLine } from '../lib/command-line';
import type { SettingValues } from '../lib/settings';

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(Math.max(4, os.availableParallelism()));
/** Codes hashed at once: one per thread of the pool and per core (more would only queue), within the import's memory bound. */
const hashConcurrency = Math.max(1, Math.min(Number(process.env.UV_THREADPOOL_SIZE) || 4, os.availableParallelism()));

/**
 * A full garbage collection, which the import asks for every 10,000 records: left to itself, V8
 * grows its heap far past what is live before it collects, and the import's memory would grow with
 * the file. `--expose-gc` set now (not on the command line, which is npm's and the container's)
 * makes `gc` in a new context; it is the only global it touches.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

class UsageError extends Error {}

/** IMPORT_PAUSE_AT, a test hook (not a setting): read here, at the entry point, like IMPORT_TRACE. */
function pauseAt(steps: readonly ImportStep[], value = process.env.IMPORT_PAUSE_AT): ImportStep | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(steps as readonly string[]).includes(value)) throw new UsageError(`IMPORT_PAUSE_AT must be one of ${steps.join(', ')}, got "${value}"`);
  return value as ImportStep;
}

/** Never returns: the process stays here, holding whatever it holds, until it is killed. */
function pauseForever(step: ImportStep): Promise<never> {
  console.log(`import paused at ${step}`);
  return new Promise(() => setInterval(() => undefined, 1 << 30));
}

/** Files with more records than this are long: they print progress every this many records written, and every second. */
const PROGRESS_EVERY = 5000;

/** Progress on stderr (stdout keeps the one result line), for long files only. */
function progressReporter(file: string): (progress: ImportProgress) => void {
  let lastPrinted = 0;
  return ({ stage, records, total }) => {
    if (total <= PROGRESS_EVERY) return;
    if (stage === 'validated') {
      console.error(`${file}: validated ${records} records, no problems; writing`);
      lastPrinted = Date.now();
    } else if (records % PROGRESS_EVERY === 0 || records === total || Date.now() - lastPrinted >= 1000) {
      console.error(`${file}: written ${records} of ${total} records (${Math.floor((100 * records) / total)}%)`);
      lastPrinted = Date.now();
    }
  };
}

async function main(file: string | undefined, settings: SettingValues): Promise<number> {
  if (!file) {
    console.error(`usage: npm run import -- FILE.json (--help for more)`);
    return 2;
  }
  // The product is loaded only now, so that --help, a bad variable and a missing argument answer without it.
  const [
    { DEFAULT_IMPORT_LOCK_TIMEOUT_MS, DirectoryFileOnDisk, DirectoryFileUnreadable, IMPORT_STEPS, importDirectory },
    { publishDirectoryChangesTo },
    { openSubgraphDatabase },
    { licensesSubgraph },
    { providersSubgraph },
  ] = await Promise.all([
    import('../app/directory/import-directory'),
    import('../lib/directory-changes'),
    import('../lib/subgraph'),
    import('../subgraphs/licenses/subgraph'),
    import('../subgraphs/providers/subgraph'),
  ]);
  let options;
  try {
    const pause = pauseAt(IMPORT_STEPS);
    const trace = process.env.IMPORT_TRACE === '1';
    options = {
      lockTimeoutMs: settings.IMPORT_LOCK_TIMEOUT === undefined ? DEFAULT_IMPORT_LOCK_TIMEOUT_MS : settings.IMPORT_LOCK_TIMEOUT * 1000,
      onStep: (step: ImportStep) => {
        if (trace) console.log(`import at ${step}`);
        return step === pause ? pauseForever(step) : undefined;
      },
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const unreadable = (error: unknown) => {
    console.error(`${file}: cannot read a JSON directory file: ${error instanceof Error ? error.message : error}`);
    return 1;
  };
  try {
    // Before the databases are opened; what is in the file is read under the import's lock.
    fs.accessSync(file, fs.constants.R_OK);
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
  } catch (error) {
    return unreadable(error);
  }
  const database = databaseSettings(settings);
  const providers = await openSubgraphDatabase(providersSubgraph, { database });
  const licenses = await openSubgraphDatabase(licensesSubgraph, { database });
  // With REDIS_URL, running replicas hear of the change at once (else by polling the marker).
  publishDirectoryChangesTo(providers, settings.REDIS_URL);
  try {
    const result = await importDirectory(
      new DirectoryFileOnDisk(file),
      { providers, licenses },
      { ...options, hashConcurrency, collectGarbage, onProgress: progressReporter(file) },
    );
    if (!result.ok) {
      console.error(`${file}: nothing imported; ${result.problems.length + result.unlisted} problem(s):`);
      // The import speaks English: each reason (a message, lib/i18n/message.ts) said as its English text.
      for (const problem of result.problems) console.error(`  ${problem.path}: ${problem.reason}`);
      if (result.unlisted > 0) console.error(`  … and ${result.unlisted} more (the first ${result.problems.length} are listed)`);
      return 1;
    }
    console.log(`${file}: imported ${result.providers} providers (${result.offers} offers) and ${result.licenses} licenses`);
    return 0;
  } catch (error) {
    if (error instanceof DirectoryFileUnreadable) return unreadable(error);
    throw error;
  } finally {
    await providers.close(true);
    await licenses.close(true);
  }
}

const { args, settings } = commandLine('import', process.env);
main(args[0], settings).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`import failed, nothing changed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
