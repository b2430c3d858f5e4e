/** `npm run generate -- --licenses 100000 --providers 2000 [--out FILE] [--seed N]`: see lib/directory/generate-directory.ts. */
import { generateDirectory, parseGenerateOptions } from '../lib/directory/generate-directory';
import { commandLine } from '../lib/command-line';

let options;
try {
  options = parseGenerateOptions(commandLine('generate', process.env).args);
} catch (error) {
  console.error(`generate: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
}
generateDirectory(options).then(
  () => console.log(`${options.out}: ${options.providers} providers, ${options.licenses} licenses`),
  (error) => {
    console.error(`generate failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
