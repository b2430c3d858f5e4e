/** Environment configuration shared by the subgraphs, the gateway and the scripts (see README "Configuration"). */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

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
export const subgraphPort = (name: SubgraphName, env = process.env) =>
  port(env[`${envKey(name)}_PORT`], DEFAULT_SUBGRAPH_PORTS[name], `${envKey(name)}_PORT`);

/** Where the gateway finds a subgraph: PROVIDERS_URL, LICENSES_URL, SUPPORT_URL. */
export const subgraphUrl = (name: SubgraphName, env = process.env) =>
  env[`${envKey(name)}_URL`] || `http://127.0.0.1:${subgraphPort(name, env)}/graphql`;

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
  /** The gateway: PORT, HOST, PROVIDERS_URL/LICENSES_URL/SUPPORT_URL (and the subgraph ports their defaults come from), REDIS_URL. */
  gateway?: boolean;
  /** The subgraphs this process serves: their own *_PORT and HOST. */
  subgraphs?: readonly SubgraphName[];
  /**
   * Opens the databases: DATABASE_URL (PostgreSQL) and DATABASE_SCHEMA_PREFIX, or else DATA_DIR
   * (SQLite); 'postgresql': only DATABASE_URL, for a command that uses no SQLite files.
   */
  database?: boolean | 'postgresql';
}

/** The variables a scope reads, with their meaning (for `--help`). */
export function configurationVariables(scope: ConfigurationScope): [variable: string, meaning: string][] {
  const vars: [string, string][] = [];
  const served = new Set<SubgraphName>([...(scope.subgraphs ?? []), ...(scope.gateway ? SUBGRAPH_NAMES : [])]);
  if (scope.gateway) vars.push(['PORT', 'gateway port (default 4000)']);
  for (const name of SUBGRAPH_NAMES.filter((n) => served.has(n))) {
    vars.push([`${envKey(name)}_PORT`, `${name} subgraph port (default ${DEFAULT_SUBGRAPH_PORTS[name]})`]);
  }
  if (scope.gateway) {
    for (const name of SUBGRAPH_NAMES) vars.push([`${envKey(name)}_URL`, `where the gateway finds the ${name} subgraph (default http://127.0.0.1:<${envKey(name)}_PORT>/graphql)`]);
    vars.push(['REDIS_URL', 'redis:// or rediss:// URL of the Redis the gateway replicas share (default: in memory)']);
    vars.push(['JWKS_URL', "https:// URL of an identity provider's JSON Web Key Set; its tokens are accepted besides JWT_SECRET's (default: none)"]);
    vars.push(['METRICS_PORT', 'serve /metrics only on this port (on HOST), not on the public one; production should set it (default: unset, /metrics on PORT)']);
    vars.push(['JWT_ISSUER', 'the "iss" every JWKS_URL token must carry (required with JWKS_URL)']);
    vars.push(['JWT_AUDIENCE', 'the "aud" every JWKS_URL token must name (required with JWKS_URL)']);
    vars.push(['JWT_MAX_LIFETIME_SECONDS', 'longest lifetime (exp - iat) of a JWKS_URL token (default 86400)']);
  }
  if (scope.gateway || served.size > 0) vars.push(['HOST', 'address the servers listen on (an IP address or host name)']);
  if (scope.database) {
    vars.push(['DATABASE_URL', 'postgres:// or postgresql:// URL; when set, PostgreSQL instead of SQLite']);
    if (scope.database === 'postgresql') return vars;
    vars.push(['DATABASE_SCHEMA_PREFIX', 'prefix of the PostgreSQL schema names (default none)']);
    vars.push(['DATA_DIR', 'writable directory of the SQLite files when DATABASE_URL is not set (default ./data)']);
  }
  return vars;
}

/** Every problem with the variables `scope` reads, as `NAME="value": what is wrong`; empty when all is well. */
export function configurationProblems(scope: ConfigurationScope, env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const check = (variable: string, problem: (value: string) => string | undefined) => {
    const value = env[variable];
    if (value === undefined || value === '') return;
    const reason = problem(value);
    if (reason) problems.push(`${variable}=${JSON.stringify(value)}: ${reason}`);
  };
  const served = new Set<SubgraphName>([...(scope.subgraphs ?? []), ...(scope.gateway ? SUBGRAPH_NAMES : [])]);
  if (scope.gateway) check('PORT', portProblem);
  if (scope.gateway) check('METRICS_PORT', portProblem);
  for (const name of SUBGRAPH_NAMES.filter((n) => served.has(n))) check(`${envKey(name)}_PORT`, portProblem);
  if (scope.gateway) {
    for (const name of SUBGRAPH_NAMES) check(`${envKey(name)}_URL`, urlProblem(['http:', 'https:'], 'an http:// or https:// URL'));
    check('REDIS_URL', urlProblem(['redis:', 'rediss:'], 'a redis:// or rediss:// URL'));
    check('JWKS_URL', urlProblem(['https:', 'http:'], 'an https:// (or http://) URL of a JSON Web Key Set'));
    // Without both, any application's token from the same identity provider would be accepted.
    for (const variable of ['JWT_ISSUER', 'JWT_AUDIENCE']) check('JWKS_URL', () => (env[variable]?.trim() ? undefined : `${variable} must be set with JWKS_URL`));
  }
  if (scope.gateway || served.size > 0) check('HOST', hostProblem);
  if (scope.database) {
    check('DATABASE_URL', urlProblem(['postgres:', 'postgresql:'], 'a PostgreSQL URL (postgres:// or postgresql://); other databases are not supported', false));
    if (scope.database === 'postgresql') return problems;
    if (env.DATABASE_URL) {
      check('DATABASE_SCHEMA_PREFIX', (prefix) =>
        /^[A-Za-z_][A-Za-z0-9_]{0,53}$/.test(prefix) ? undefined : 'must be a plain identifier (letters, digits, _; not starting with a digit; at most 54 characters)');
    } else {
      const dir = dataDir(env);
      const problem = directoryProblem(dir);
      if (problem) problems.push(`DATA_DIR=${JSON.stringify(env.DATA_DIR ?? './data')}: ${dir} ${problem}`);
    }
  }
  return problems;
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

function portProblem(value: string): string | undefined {
  const n = Number(value);
  return /^\d+$/.test(value.trim()) && Number.isInteger(n) && n >= 0 && n <= 65535 ? undefined : 'must be a port number (0-65535)';
}

/** `hostRequired`: false for PostgreSQL, whose URLs may leave the host to a `?host=/socket/dir` parameter. */
function urlProblem(protocols: string[], what: string, hostRequired = true) {
  return (value: string): string | undefined => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && (url.host !== '' || !hostRequired) ? undefined : `must be ${what}`;
    } catch {
      return `must be ${what}; this is not a URL`;
    }
  };
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function hostProblem(value: string): string | undefined {
  return isIP(value) !== 0 || HOST_NAME.test(value) ? undefined : 'must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or a host name';
}

/**
 * Why `dir` cannot hold the SQLite files, or undefined. A missing directory is created (the
 * databases would create it anyway); then a probe file shows that it is really writable (read-only
 * mounts, permissions, root or not).
 */
function directoryProblem(dir: string): string | undefined {
  try {
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
    if (!fs.statSync(dir).isDirectory()) return 'is not a directory';
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why: Record<string, string> = { EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOTDIR: 'a parent is not a directory' };
    return `is not a writable directory (${(code && why[code]) ?? (error as Error).message})`;
  }
}
