/**
 * The environment, parsed once: each process's entry point reads `process.env` through the one
 * table (lib/settings-table.js) into a SettingValues object and passes it, or the part a module
 * needs, down. No module below an entry point reads `process.env` (test/repo/environment.test.ts).
 */
import { readSettings, type Reader } from './settings-table';

export type Environment = Readonly<Record<string, string | undefined>>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Every variable of the table with the type its parser returns; a variable that is unset (or empty)
 * is absent, and whoever uses it applies the table's default. test/repo/configuration.test.ts checks
 * that these names are exactly the table's.
 */
export interface SettingValues {
  PORT?: number;
  PROVIDERS_PORT?: number;
  LICENSES_PORT?: number;
  SUPPORT_PORT?: number;
  PROVIDERS_URL?: string;
  LICENSES_URL?: string;
  SUPPORT_URL?: string;
  HOST?: string;
  LOG_LEVEL?: LogLevel;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  HTTP_HEADERS_TIMEOUT_MS?: number;
  HTTP_REQUEST_TIMEOUT_MS?: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;
  HTTP_KEEP_ALIVE_GRACE_MS?: number;
  HTTP_SHUTDOWN_TIMEOUT_MS?: number;
  HTTP_DRAIN_DELAY_MS?: number;
  SUBGRAPH_SECRET?: string;
  /** [id, base64 of 32 bytes] pairs, newest first. */
  SECRETS_KEYS?: Array<[string, string]>;
  REDIS_URL?: string;
  DIRECTORY_POLL_INTERVAL_MS?: number;
  NODE_ENV?: string;
  SUPERGRAPH_FILE?: string;
  JWT_SECRET?: string;
  JWKS_URL?: string;
  GRAPHIQL?: boolean;
  RESPONSE_CACHE?: boolean;
  MCP?: boolean;
  RATE_LIMIT_PER_MINUTE?: number;
  MAX_DEPTH?: number;
  MAX_ALIASES?: number;
  MAX_ROOT_FIELDS?: number;
  MAX_TOKENS?: number;
  MAX_DIRECTIVES?: number;
  MAX_COST?: number;
  SUBGRAPH_TIMEOUT_MS?: number;
  REQUEST_DEADLINE_MS?: number;
  MAX_BODY_BYTES?: number;
  MAX_FIELDS?: number;
  INTROSPECTION?: boolean | 'signed-in';
  CORS_ORIGINS?: string[];
  TRUSTED_PROXIES?: string[];
  PERSISTED_DOCUMENTS?: 'allow' | 'only';
  PERSISTED_DOCUMENTS_FILE?: string;
  SIGN_IN_TOKEN_MINUTES?: number;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_MAX_LIFETIME_SECONDS?: number;
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_SCOPE?: string;
  OIDC_AUDIENCE_PARAMETER?: 'resource' | 'audience' | 'none';
  OIDC_PASTED_CREDENTIALS?: boolean;
  DEV_IDENTITY_PROVIDER?: boolean;
  DEV_IDENTITY_PROVIDER_PORT?: number;
  METRICS_PORT?: number;
  EXPOSE_QUERY_PLANS?: boolean;
  SUBGRAPH_BODY_LIMIT?: number;
  WEBHOOK_POLL_INTERVAL_MS?: number;
  WEBHOOK_TIMEOUT_MS?: number;
  WEBHOOK_ALLOWED_HOSTS?: string[];
  RETENTION_WEBHOOK_DAYS?: number;
  RETENTION_LICENSE_EVENT_DAYS?: number;
  RETENTION_ACCESS_EVENT_DAYS?: number;
  DATABASE_URL?: string;
  DATABASE_SCHEMA_PREFIX?: string;
  DATA_DIR?: string;
  IMPORT_LOCK_TIMEOUT?: number;
  GATEWAY_URL?: string;
  ONYX_TOKEN?: string;
  BENCH_CONNECTIONS?: number;
  BENCH_SECONDS?: number;
  BENCH_ROUNDS?: number;
  BENCH_SAMPLES?: number;
  BENCH_LICENSES?: number;
  BENCH_BASELINE?: string;
  BENCH_GATEWAYS?: string;
  BENCH_END_TO_END?: boolean;
  BENCH_CPU_PROF?: string;
  BENCH_NODE_FLAGS?: string;
  BENCH_KEEP_LOGS?: string;
  BENCH_GATEWAY_CPU?: string;
  BENCH_REPEAT?: number;
  STRESS_REQUESTS?: number;
  STRESS_PASSES?: number;
}

/** Every reader of the table: tests and tools that parse a whole environment at once. */
export const ALL_READERS: readonly Reader[] = ['gateway', 'subgraph', 'database', 'import', 'migration', 'bench', 'stress', 'client', 'start'];

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** The variables `readers` read, parsed by the table; throws a ConfigurationError naming every problem. */
export function parseSettings(readers: readonly Reader[], env: Environment): SettingValues {
  const { values, problems } = readSettings(readers, env);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return values as SettingValues;
}
