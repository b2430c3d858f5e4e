/** `npm run schema`: regenerates schema/ (subgraph SDLs + supergraph); prints composition hints and errors. */
import 'reflect-metadata';
import { commandLine } from '../lib/command-line';

commandLine('schema', process.env);

// The subgraphs are loaded only now (import()), so that --help answers without them.
import('../app/schema-files')
  .then(async ({ produceSchemaFiles, writeSchemaFiles, SCHEMA_DIR }) => {
    const schema = await produceSchemaFiles();
    for (const hint of schema.hints) console.warn(`composition hint: ${hint}`);
    writeSchemaFiles(schema);
    console.log(`wrote ${Object.keys(schema.files).join(', ')} to ${SCHEMA_DIR}`);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
