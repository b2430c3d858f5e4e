/**
 * `npm run import -- FILE.json`: loads a directory file into the configured databases. All or
 * nothing: any invalid record changes nothing and exits 1 naming each record's path and reason.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { databaseSettings } from '../lib/config';
import { importDirectory, type ImportProgress } from '../lib/directory/import-directory';
import { commandLine } from '../lib/main';
import { openSubgraphDatabase } from '../lib/subgraph';
import { licensesSubgraph } from '../subgraphs/licenses/subgraph';
import { providersSubgraph } from '../subgraphs/providers/subgraph';

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

async function main(file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`usage: npm run import -- FILE.json (--help for more)`);
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: cannot read a JSON directory file: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
  const database = databaseSettings();
  const providers = await openSubgraphDatabase(providersSubgraph, { database });
  const licenses = await openSubgraphDatabase(licensesSubgraph, { database });
  try {
    const result = await importDirectory(input, { providers, licenses }, progressReporter(file));
    if (!result.ok) {
      console.error(`${file}: nothing imported; ${result.problems.length} problem(s):`);
      for (const problem of result.problems) console.error(`  ${problem.path}: ${problem.reason}`);
      return 1;
    }
    console.log(`${file}: imported ${result.providers} providers (${result.offers} offers) and ${result.licenses} licenses`);
    return 0;
  } finally {
    await providers.close(true);
    await licenses.close(true);
  }
}

main(commandLine('import')[0]).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`import failed, nothing changed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
