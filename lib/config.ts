/**
 * Environment configuration shared by the subgraphs, the gateway and the scripts. Every variable is
 * declared once in lib/settings-table.js (parser, default, description, who reads it); this module
 * exposes the values the shared code needs and the check every entry point runs first.
 */
import path from 'node:path';
import { readSettings, settingRows, type Reader } from './settings-table';
import type { Environment, SettingValues } from './settings';
import type { SecretKeyRing } from './secret-box';

/** The repository root, whether this file runs from lib/ (ts-jest) or from dist/lib/ (compiled). */
export const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.resolve(__dirname, '..')) === 'dist' ? '../..' : '..');

/** The demo directory `npm start` loads into an empty DATA_DIR. */
export const DEMO_DIRECTORY = path.join(PROJECT_ROOT, 'seed', 'demo-directory.json');

export const SUBGRAPH_NAMES = ['providers', 'licenses', 'support'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Default ports: the gateway on PORT (4000), the subgraphs on the next three. */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = { providers: 4001, licenses: 4002, support: 4003 };

const envKey = (name: SubgraphName) => name.toUpperCase() as Uppercase<SubgraphName>;

export const gatewayPort = (settings: SettingValues) => settings.PORT ?? 4000;

/** A subgraph's own listening port: PROVIDERS_PORT, LICENSES_PORT, SUPPORT_PORT. */
export const subgraphPort = (name: SubgraphName, settings: SettingValues) => settings[`${envKey(name)}_PORT`] ?? DEFAULT_SUBGRAPH_PORTS[name];

/** Where the gateway finds a subgraph: PROVIDERS_URL, LICENSES_URL, SUPPORT_URL. */
export const subgraphUrl = (name: SubgraphName, settings: SettingValues) =>
  settings[`${envKey(name)}_URL`] ?? `http://127.0.0.1:${subgraphPort(name, settings)}/graphql`;

/**
 * A subgraph URL that replaces the one recorded in the supergraph: PROVIDERS_URL etc., or the
 * local port when only PROVIDERS_PORT etc. is set; undefined keeps the supergraph's URL.
 */
export const subgraphUrlOverride = (name: SubgraphName, settings: SettingValues): string | undefined =>
  settings[`${envKey(name)}_URL`] ?? (settings[`${envKey(name)}_PORT`] !== undefined ? subgraphUrl(name, settings) : undefined);

/** The supergraph the gateway serves (SUPERGRAPH_FILE, default schema/supergraph.graphql). */
export const supergraphFile = (settings: SettingValues) => path.resolve(settings.SUPERGRAPH_FILE ?? path.join(PROJECT_ROOT, 'schema', 'supergraph.graphql'));

export const dataDir = (settings: SettingValues) => path.resolve(settings.DATA_DIR ?? './data');

export interface DatabaseSettings {
  /** PostgreSQL URL; when absent the subgraph uses a SQLite file under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Prefix of the PostgreSQL schema names (`${prefix}providers`, ...); lets several deployments share a database. */
  schemaPrefix?: string;
}

export const databaseSettings = (settings: SettingValues): DatabaseSettings => ({
  databaseUrl: settings.DATABASE_URL,
  dataDir: dataDir(settings),
  schemaPrefix: settings.DATABASE_SCHEMA_PREFIX,
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
export function configurationProblems(scope: ConfigurationScope, env: Environment): string[] {
  return readSettings(scopeReaders(scope), env).problems;
}

// ---------------------------------------------------------------------------------------------
// Retention: how long each subgraph keeps the rows that grow with use (lib/retention.ts cleans up).

export interface RetentionSettings {
  /** RETENTION_WEBHOOK_DAYS: webhook deliveries and events (providers). */
  webhookDays: number;
  /** RETENTION_LICENSE_EVENT_DAYS: relayed license events (licenses). */
  licenseEventDays: number;
  /** RETENTION_ACCESS_EVENT_DAYS: the access-code log (licenses). */
  accessEventDays: number;
  /** How often the cleanup runs (an hour; tests run it by hand). */
  intervalMs: number;
}

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { webhookDays: 30, licenseEventDays: 30, accessEventDays: 90, intervalMs: 3_600_000 };

export function retentionSettings(settings: SettingValues): RetentionSettings {
  return {
    webhookDays: settings.RETENTION_WEBHOOK_DAYS ?? DEFAULT_RETENTION_SETTINGS.webhookDays,
    licenseEventDays: settings.RETENTION_LICENSE_EVENT_DAYS ?? DEFAULT_RETENTION_SETTINGS.licenseEventDays,
    accessEventDays: settings.RETENTION_ACCESS_EVENT_DAYS ?? DEFAULT_RETENTION_SETTINGS.accessEventDays,
    intervalMs: DEFAULT_RETENTION_SETTINGS.intervalMs,
  };
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
  /** When a failing endpoint is disabled (rules: DEFAULT_DISABLE_POLICY, five days and ten attempts); only tests shorten it. */
  disablePolicy?: { afterMs: number; afterFailures: number };
  /** How long a claimed delivery stays with the dispatcher that claimed it (longer than any attempt). */
  leaseMs: number;
  /** SECRETS_KEYS: what endpoints' signing secrets are sealed with (providers/webhooks/webhook-secret.ts); unset: the development ring. */
  secretKeys?: SecretKeyRing;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { pollIntervalMs: 1000, timeoutMs: 10_000, allowedHosts: [], requireHttps: false, leaseMs: 60_000 };

/** The webhook settings of a subgraph process. */
export function webhookSettings(settings: SettingValues): WebhookSettings {
  const timeoutMs = settings.WEBHOOK_TIMEOUT_MS ?? DEFAULT_WEBHOOK_SETTINGS.timeoutMs;
  const production = settings.NODE_ENV === 'production';
  return {
    pollIntervalMs: settings.WEBHOOK_POLL_INTERVAL_MS ?? DEFAULT_WEBHOOK_SETTINGS.pollIntervalMs,
    timeoutMs,
    // Never in production, whatever the variable says (the table refuses it there too).
    allowedHosts: production ? [] : (settings.WEBHOOK_ALLOWED_HOSTS ?? []),
    requireHttps: production,
    leaseMs: Math.max(DEFAULT_WEBHOOK_SETTINGS.leaseMs, timeoutMs * 3),
  };
}
