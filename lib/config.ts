/**
 * Environment configuration shared by the subgraphs, the gateway and the scripts. Every variable is
 * declared once in lib/settings-table.js (parser, default, description, who reads it); this module
 * exposes the values the shared code needs and the check every entry point runs first.
 */
import path from 'node:path';
import { readSettings, settingRows, type Reader } from './settings-table';

/** The repository root, whether this file runs from lib/ (ts-jest) or from dist/lib/ (compiled). */
export const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.resolve(__dirname, '..')) === 'dist' ? '../..' : '..');

/** The demo directory `npm start` loads into an empty DATA_DIR. */
export const DEMO_DIRECTORY = path.join(PROJECT_ROOT, 'seed', 'demo-directory.json');

export const SUBGRAPH_NAMES = ['providers', 'licenses', 'support'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Default ports: the gateway on PORT (4000), the subgraphs on the next three. */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = { providers: 4001, licenses: 4002, support: 4003 };

const envKey = (name: SubgraphName) => name.toUpperCase();

export function port(value: string | undefined, fallback: number, variable: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${variable} must be a port number (0-65535), got "${value}"`);
  return n;
}

export const gatewayPort = (env = process.env) => port(env.PORT, 4000, 'PORT');

/** A subgraph's own listening port: PROVIDERS_PORT, LICENSES_PORT, SUPPORT_PORT. */
export const subgraphPort = (name: SubgraphName, env = process.env) => port(env[`${envKey(name)}_PORT`], DEFAULT_SUBGRAPH_PORTS[name], `${envKey(name)}_PORT`);

/** Where the gateway finds a subgraph: PROVIDERS_URL, LICENSES_URL, SUPPORT_URL. */
export const subgraphUrl = (name: SubgraphName, env = process.env) => env[`${envKey(name)}_URL`] || `http://127.0.0.1:${subgraphPort(name, env)}/graphql`;

/**
 * A subgraph URL that replaces the one recorded in the supergraph: PROVIDERS_URL etc., or the
 * local port when only PROVIDERS_PORT etc. is set; undefined keeps the supergraph's URL.
 */
export const subgraphUrlOverride = (name: SubgraphName, env = process.env): string | undefined =>
  env[`${envKey(name)}_URL`] || (env[`${envKey(name)}_PORT`] ? subgraphUrl(name, env) : undefined);

/** The supergraph the gateway serves (SUPERGRAPH_FILE, default schema/supergraph.graphql). */
export const supergraphFile = (env = process.env) => path.resolve(env.SUPERGRAPH_FILE || path.join(PROJECT_ROOT, 'schema', 'supergraph.graphql'));

export const dataDir = (env = process.env) => path.resolve(env.DATA_DIR || './data');

export interface DatabaseSettings {
  /** PostgreSQL URL; when absent the subgraph uses a SQLite file under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Prefix of the PostgreSQL schema names (`${prefix}providers`, ...); lets several deployments share a database. */
  schemaPrefix?: string;
}

export const databaseSettings = (env = process.env): DatabaseSettings => ({
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: dataDir(env),
  schemaPrefix: env.DATABASE_SCHEMA_PREFIX || undefined,
});

// ---------------------------------------------------------------------------------------------
// Checked at start: every entry point checks what it reads before it opens or listens on anything,
// and reports every problem at once, each naming the variable and its value.

/** What one process reads from the environment; it checks exactly that. */
export interface ConfigurationScope {
  /** The gateway: PORT, HOST, PROVIDERS_URL/LICENSES_URL/SUPPORT_URL, REDIS_URL, JWT_SECRET, the limits… */
  gateway?: boolean;
  /** The subgraphs this process serves: their *_PORT, HOST, SUBGRAPH_SECRET, HTTP timeouts… */
  subgraphs?: readonly SubgraphName[];
  /**
   * Opens the databases: DATABASE_URL (PostgreSQL) and DATABASE_SCHEMA_PREFIX, or else DATA_DIR
   * (SQLite); 'postgresql': only DATABASE_URL, for a command that uses no SQLite files.
   */
  database?: boolean | 'postgresql';
  /** Further readers of the settings table (the import, benchmarks, the client example). */
  readers?: readonly Reader[];
}

/** The readers of lib/settings-table.js a scope stands for. */
export function scopeReaders(scope: ConfigurationScope): Reader[] {
  const readers: Reader[] = [...(scope.readers ?? [])];
  if (scope.gateway) readers.push('gateway');
  if (scope.subgraphs?.length) readers.push('subgraph');
  if (scope.database === true) readers.push('database');
  if (scope.database === 'postgresql') readers.push('migration');
  return readers;
}

/** The variables a scope reads, with their meaning and default (for `--help`), from the settings table. */
export function configurationVariables(scope: ConfigurationScope): [variable: string, meaning: string][] {
  return settingRows(scopeReaders(scope));
}

/**
 * Every problem with the variables `scope` reads, as `NAME="value": what is wrong`; empty when all
 * is well. Writes nothing (a missing DATA_DIR is created later, by the databases).
 */
export function configurationProblems(scope: ConfigurationScope, env: NodeJS.ProcessEnv = process.env): string[] {
  return readSettings(scopeReaders(scope), env).problems;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Throws a ConfigurationError listing every problem of `scope`. */
export function checkConfiguration(scope: ConfigurationScope, env: NodeJS.ProcessEnv = process.env): void {
  const problems = configurationProblems(scope, env);
  if (problems.length > 0) throw new ConfigurationError(problems);
}
// ---------------------------------------------------------------------------------------------
// Webhooks (the providers subgraph delivers them; the licenses subgraph relays its events to it).

export interface WebhookSettings {
  /** WEBHOOK_POLL_INTERVAL_MS: how often the dispatcher looks for due deliveries, and the licenses relay for new events. */
  pollIntervalMs: number;
  /** WEBHOOK_TIMEOUT_MS: how long one delivery attempt may take (connecting, sending, the answer's status). */
  timeoutMs: number;
  /** WEBHOOK_ALLOWED_HOSTS: hosts a delivery may reach at a private or loopback address (tests, development). */
  allowedHosts: string[];
  /** Production: endpoint URLs must be https. */
  requireHttps: boolean;
  /** The delays between attempts (rules: DEFAULT_RETRY_SCHEDULE_MS); only tests shorten them. */
  retryScheduleMs?: readonly number[];
  /** How long a claimed delivery stays with the dispatcher that claimed it (longer than any attempt). */
  leaseMs: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { pollIntervalMs: 1000, timeoutMs: 10_000, allowedHosts: [], requireHttps: false, leaseMs: 60_000 };

/** The webhook settings of a subgraph process (checked by configurationProblems before anything starts). */
export function webhookSettings(env: Record<string, string | undefined> = process.env): WebhookSettings {
  const number = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);
  const timeoutMs = number(env.WEBHOOK_TIMEOUT_MS, DEFAULT_WEBHOOK_SETTINGS.timeoutMs);
  return {
    pollIntervalMs: number(env.WEBHOOK_POLL_INTERVAL_MS, DEFAULT_WEBHOOK_SETTINGS.pollIntervalMs),
    timeoutMs,
    // Never in production, whatever the variable says (configurationProblems refuses it there too).
    allowedHosts:
      env.NODE_ENV === 'production'
        ? []
        : (env.WEBHOOK_ALLOWED_HOSTS ?? '')
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean),
    requireHttps: env.NODE_ENV === 'production',
    leaseMs: Math.max(DEFAULT_WEBHOOK_SETTINGS.leaseMs, timeoutMs * 3),
  };
}
