/**
 * Test harness: the real product (three subgraphs + gateway over HTTP) on port 0, each subgraph on
 * its own in-memory SQLite database, or on its own fresh PostgreSQL schema when DATABASE_URL is set
 * (`npm run test:postgres`). Every SQL statement is recorded per subgraph.
 */
import { Client } from 'pg';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { importDirectory } from '../../lib/directory/import-directory';
import { startStack, type RunningStack } from '../../lib/stack';
import type { StackOptions } from '../../lib/stack';

export const databaseUrl = process.env.DATABASE_URL || undefined;
let runs = 0;

export interface TestStack extends RunningStack {
  url: string;
  statements: Record<SubgraphName, string[]>;
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: T; errors?: any; extensions?: any } }>;
}

/** Options for a subgraph database that belongs to this test run only. */
export function testDatabase(name: SubgraphName, onQuery?: (sql: string) => void) {
  const pgSchema = `test_${process.pid}_${++runs}_${name}`;
  return { database: { databaseUrl, dataDir: '' }, sqliteFile: ':memory:', pgSchema, onQuery };
}

export async function dropTestSchemas(schemas: string[]): Promise<void> {
  if (!databaseUrl || schemas.length === 0) return;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export async function startTestStack(options: { directory?: unknown; gateway?: StackOptions['gateway'] } = {}): Promise<TestStack> {
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, [] as string[]])) as Record<SubgraphName, string[]>;
  const schemas: string[] = [];
  const stack = await startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    database: (name) => {
      const options = testDatabase(name, (line) => {
        if (line.startsWith('[query]')) statements[name].push(line);
      });
      schemas.push(options.pgSchema);
      return options;
    },
    beforeServe: async (orms) => {
      if (options.directory === undefined) return;
      const result = await importDirectory(options.directory, orms);
      if (!result.ok) throw new Error(`test directory invalid: ${JSON.stringify(result.problems, null, 1)}`);
    },
    // Suites send many requests from one address; the rate limit has its own tests.
    gateway: { rateLimit: false, ...options.gateway },
  });
  const url = stack.gateway.url;
  return {
    ...stack,
    url,
    statements,
    close: async () => {
      await stack.close();
      await dropTestSchemas(schemas);
    },
    async graphql(query, variables) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
}
