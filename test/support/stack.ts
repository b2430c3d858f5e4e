/**
 * Test harness: the real product (three subgraphs + gateway over HTTP) on port 0, each subgraph on
 * its own in-memory SQLite database, or on its own fresh PostgreSQL schema when DATABASE_URL is set
 * (`npm run test:postgres`). Every SQL statement is recorded per subgraph.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SCHEMA_DROP_LOCK } from '../../lib/orm';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import { startStack, type RunningStack } from '../../app/stack';
import type { StackOptions } from '../../app/stack';
import { signIdentityToken } from '../../gateway/identity/identity';
import { createGatewayService, type GatewayOptions } from '../../gateway/gateway';
import { listen, type RunningServer } from '../../lib/http';
import { parsedSettings } from './settings';

/** The JWT_SECRET of every test stack's gateway. */
export const TEST_JWT_SECRET = 'test-jwt-secret-of-at-least-32-bytes!';

/** A token the test gateway accepts for these claims (e.g. `{ sub: 'p1', role: 'provider', provider: 'dora' }`). */
export const tokenFor = (claims: { sub: string; role: string } & Record<string, unknown>, expiresIn: string | number = '1h') =>
  signIdentityToken(TEST_JWT_SECRET, claims, expiresIn);

/** What `graphql()` sends unless told otherwise: an admin, who may see every license. */
export const ADMIN = { sub: 'test-admin', role: 'admin' } as const;

export const databaseUrl = process.env.DATABASE_URL || undefined;
let runs = 0;

export interface TestStack extends RunningStack {
  url: string;
  statements: Record<SubgraphName, string[]>;
  /** POSTs a query as `as` (an admin unless told otherwise; null: anonymous). */
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    as?: Parameters<typeof tokenFor>[0] | null,
  ): Promise<{ status: number; body: { data?: T; errors?: any; extensions?: any } }>;
}

/** Options for a subgraph database that belongs to this test run only. */
export function testDatabase(name: SubgraphName, onQuery?: (sql: string) => void) {
  const pgSchema = `test_${process.pid}_${++runs}_${name}`;
  return { database: { databaseUrl, dataDir: '' }, sqliteFile: ':memory:', pgSchema, onQuery };
}

/**
 * Background polls that belong to no request: the webhook dispatcher's due deliveries and the
 * licenses subgraph's unrelayed outbox events (PostgreSQL names the schema with the table).
 */
const BACKGROUND_POLLS = [
  /^\[query\] select min\(d\."id"\) as "id" from .*"webhook_delivery" d join/,
  /^\[query\] select [`"]l0[`"]\.\* from .*[`"]license_event[`"] as [`"]l0[`"] where [`"]l0[`"]\.[`"]relayed_at[`"] is null/,
];
const isBackgroundPoll = (sql: string) => BACKGROUND_POLLS.some((poll) => poll.test(sql));

export async function dropTestSchemas(schemas: string[]): Promise<void> {
  if (!databaseUrl || schemas.length === 0) return;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Not while another process migrates: its migrator lists every schema's tables (lib/orm.ts).
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [SCHEMA_DROP_LOCK]);
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/**
 * Databases that outlive one stack, for tests that stop the stack and start it again on the same
 * data: SQLite files in a temporary folder, or PostgreSQL schemas of their own. drop() removes them.
 */
export interface KeptTestDatabases {
  of(name: SubgraphName): { sqliteFile: string; pgSchema: string };
  drop(): Promise<void>;
}

export function keptTestDatabases(): KeptTestDatabases {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-test-'));
  const tag = `test_${process.pid}_kept${++runs}`;
  return {
    of: (name) => ({ sqliteFile: path.join(dir, `${name}.sqlite`), pgSchema: `${tag}_${name}` }),
    async drop() {
      await dropTestSchemas(SUBGRAPH_NAMES.map((name) => `${tag}_${name}`));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startTestStack(
  options: {
    directory?: unknown;
    gateway?: StackOptions['gateway'];
    clock?: StackOptions['clock'];
    webhooks?: StackOptions['webhooks'];
    databases?: KeptTestDatabases;
  } = {},
): Promise<TestStack> {
  const statements = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, [] as string[]])) as Record<SubgraphName, string[]>;
  const schemas: string[] = [];
  const optionsKept = (name: SubgraphName) => options.databases?.of(name);
  const stack = await startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    database: (name) => {
      const options = testDatabase(name, (line) => {
        // Statements of requests only: the background polls belong to no request.
        if (line.startsWith('[query]') && !isBackgroundPoll(line)) statements[name].push(line);
      });
      // Kept databases are dropped by their owner (KeptTestDatabases.drop), not when this stack closes.
      const kept = optionsKept(name);
      if (kept) return { ...options, ...kept };
      schemas.push(options.pgSchema);
      return options;
    },
    beforeServe: async (orms) => {
      if (options.directory === undefined) return;
      const result = await importDirectory(options.directory, orms);
      if (!result.ok) throw new Error(`test directory invalid: ${JSON.stringify(result.problems, null, 1)}`);
    },
    // Suites send many requests from one address; the rate limit has its own tests.
    // Generous time limits: on a busy machine (CI, or several suites at once) a queued scrypt or a
    // cold start can take seconds, and a test about something else must not fail on the default 10 s
    // subgraph timeout. Tests of the time limits themselves set their own.
    gateway: { rateLimit: false, jwtSecret: TEST_JWT_SECRET, subgraphTimeoutMs: 60_000, requestDeadlineMs: 120_000, ...options.gateway },
    clock: options.clock,
    webhooks: options.webhooks,
    // No cleanup timer: a cleanup's statements must not land among a request's (test/e2e/retention.test.ts runs it by hand).
    retention: { intervalMs: 0 },
    // The harness is the test's entry point: this process's environment, parsed by the table now
    // (a test may set SUBGRAPH_SECRET or DIRECTORY_POLL_INTERVAL_MS before it starts a stack).
    settings: parsedSettings(process.env),
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
    async graphql(query, variables, as = ADMIN) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (as) headers.authorization = `Bearer ${await tokenFor(as)}`;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
}

/** Where a test stack's subgraphs answer, as a gateway's `subgraphUrls`. */
export const subgraphUrlsOf = (stack: RunningStack) => ({
  providers: stack.subgraphs.providers.url,
  licenses: stack.subgraphs.licenses.url,
  support: stack.subgraphs.support.url,
});

/**
 * A second gateway over a running test stack's subgraphs, as one deployed apart with settings of
 * its own (by default: no response cache, no rate limit, the test stack's secrets). close() stops it.
 */
export async function gatewayBeside(stack: RunningStack, options: Partial<GatewayOptions> = {}): Promise<RunningServer> {
  return listen(
    await createGatewayService({
      subgraphSecret: stack.subgraphSecret,
      subgraphUrls: subgraphUrlsOf(stack),
      responseCache: false,
      rateLimit: false,
      jwtSecret: TEST_JWT_SECRET,
      ...options,
    }),
    0,
  );
}
