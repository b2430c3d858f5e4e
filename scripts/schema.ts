/** `npm run schema`: regenerates schema/ (subgraph SDLs + supergraph); prints composition hints and errors. */
import 'reflect-metadata';
import { commandLine } from '../lib/main';
import { produceSchemaFiles, writeSchemaFiles, SCHEMA_DIR } from '../app/schema-files';

commandLine('schema', process.env);

produceSchemaFiles()
  .then((schema) => {
    for (const hint of schema.hints) console.warn(`composition hint: ${hint}`);
    writeSchemaFiles(schema);
    console.log(`wrote ${Object.keys(schema.files).join(', ')} to ${SCHEMA_DIR}`);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
