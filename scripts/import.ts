/**
 * `npm run import -- FILE.json`: loads a directory file into the configured databases. All or
 * nothing: any invalid record changes nothing and exits 1 naming each record's path and reason.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { databaseSettings } from '../lib/config';
import { importDirectory } from '../lib/directory/import-directory';
import { openSubgraphDatabase } from '../lib/subgraph';
import { licensesSubgraph } from '../subgraphs/licenses/subgraph';
import { providersSubgraph } from '../subgraphs/providers/subgraph';

async function main(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: npm run import -- FILE.json');
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
    const result = await importDirectory(input, { providers, licenses });
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

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`import failed, nothing changed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
