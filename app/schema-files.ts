/**
 * The committed schema/ folder: each subgraph's SDL and the supergraph composed from them with
 * @apollo/composition, and the API schema clients see (api.graphql: the supergraph without
 * federation's join__/link__ machinery, for client code generators such as examples/client).
 * `npm run schema` writes it; a test fails when it drifts from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import { printSchema } from 'graphql';
import { DEFAULT_SUBGRAPH_PORTS, PROJECT_ROOT, SUBGRAPH_NAMES, type SubgraphName } from '../lib/config';
import { subgraphs } from './subgraphs';

export const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schema');

export interface SchemaFiles {
  /** File name (in schema/) -> content. */
  files: Record<string, string>;
  hints: string[];
}

/** The URL recorded in the supergraph; the gateway overrides it from PROVIDERS_URL etc. */
const defaultUrl = (name: SubgraphName) => `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`;

export async function produceSchemaFiles(): Promise<SchemaFiles> {
  const files: Record<string, string> = {};
  const services = [];
  for (const name of SUBGRAPH_NAMES) {
    const sdl = printSubgraphSchema(await subgraphs[name].buildSchema());
    files[`${name}.graphql`] = `${sdl.trim()}\n`;
    services.push({ name, url: defaultUrl(name), typeDefs: gql(sdl) });
  }
  const result = composeServices(services);
  const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}${hints.length ? `\nHints:\n${hints.join('\n')}` : ''}`);
  }
  files['supergraph.graphql'] = `${result.supergraphSdl.trim()}\n`;
  files['api.graphql'] = `${printSchema(result.schema.toAPISchema().toGraphQLJSSchema()).trim()}\n`;
  return { files, hints };
}

export const readCommittedSchemaFile = (file: string) => {
  const full = path.join(SCHEMA_DIR, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null;
};

export function writeSchemaFiles({ files }: SchemaFiles): void {
  fs.mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(SCHEMA_DIR, file), content);
}
