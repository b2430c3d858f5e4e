/**
 * The gateway's settings from the environment, each with its default (docs/configuration.md; every variable is declared in lib/settings-table.js).
 * A value that is not a whole number where one is expected stops the gateway, naming the variable.
 */
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits';
import type { RateLimit } from './rate-limit';
import { deployedSubgraphSecret } from '../lib/subgraph-signature';
import { graphiqlEnabled } from './graphiql';
import { DEFAULT_JWT_MAX_LIFETIME_SECONDS, jwtSecret } from './identity';
import { introspectionEnabled } from './introspection';
import { corsOrigins } from './cors';
import { persistedDocumentsSettings, type PersistedDocumentsSettings } from './persisted-documents';

function wholeNumber(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${variable} must be a whole number of 0 or more, got "${value}"`);
  return n;
}

/** A holder token lives a working day at most: long enough for a reception, short enough to lose little. */
function signInTokenMinutes(env: NodeJS.ProcessEnv): number {
  const minutes = wholeNumber(env, 'SIGN_IN_TOKEN_MINUTES', 240);
  if (minutes < 1 || minutes > 24 * 60) throw new Error(`SIGN_IN_TOKEN_MINUTES must be between 1 and 1440 (a day), got "${env.SIGN_IN_TOKEN_MINUTES}"`);
  return minutes;
}

export interface GatewaySettings {
  responseCache: boolean;
  redisUrl?: string;
  limits: OperationLimits;
  /** false: no rate limit (RATE_LIMIT_PER_MINUTE=0). */
  rateLimit: RateLimit | false;
  subgraphTimeoutMs: number;
  requestDeadlineMs: number;
  maxBodyBytes: number;
  /** SUBGRAPH_SECRET: every subgraph request is signed with it; required in production. Unset: no identity is forwarded. */
  subgraphSecret?: string;
  /** GRAPHIQL: GraphiQL for browsers at GET /graphql (off by default when NODE_ENV=production). */
  graphiql: boolean;
  /** INTROSPECTION: `__schema`/`__type` answered (off by default when NODE_ENV=production). */
  introspection: boolean;
  /** CORS_ORIGINS: origins whose pages may call the gateway; undefined: same origin only. */
  corsOrigins?: string[];
  /** PERSISTED_DOCUMENTS (allow|only) and PERSISTED_DOCUMENTS_FILE. */
  persistedDocuments: PersistedDocumentsSettings;
  /** JWT_SECRET: the HS256 key of callers' tokens (generated per process outside production). */
  jwtSecret: string;
  /** JWKS_URL: an identity provider's key set; its (asymmetrically signed) tokens are accepted too. */
  jwksUrl?: URL;
  /** SIGN_IN_TOKEN_MINUTES: how long the holder token of a `signIn` is valid (default 240). */
  signInTokenMinutes: number;
  /** JWT_ISSUER: the `iss` every JWKS_URL token must carry (required with JWKS_URL). */
  jwtIssuer?: string;
  /** JWT_AUDIENCE: the `aud` every JWKS_URL token must name (required with JWKS_URL). */
  jwtAudience?: string;
  /** JWT_MAX_LIFETIME_SECONDS: the longest a JWKS_URL token may live (exp - iat); default one day. */
  jwtMaxLifetimeSeconds: number;
  /**
   * METRICS_PORT: when set, /metrics is served only on this port (on HOST), not on the public one.
   * Unset, the public port serves it (development); production should set it.
   */
  metricsPort?: number;
}

function port(env: NodeJS.ProcessEnv, variable: string): number {
  const n = wholeNumber(env, variable, 0);
  if (n > 65_535) throw new Error(`${variable} must be a port number (0 to 65535), got "${env[variable]}"`);
  return n;
}

/** JWKS_URL without JWT_ISSUER and JWT_AUDIENCE would accept any application's tokens of the identity provider. */
function requiredWithJwks(env: NodeJS.ProcessEnv, variable: 'JWT_ISSUER' | 'JWT_AUDIENCE'): string | undefined {
  const value = env[variable]?.trim();
  if (env.JWKS_URL && !value)
    throw new Error(
      `${variable} must be set with JWKS_URL: the ${variable === 'JWT_ISSUER' ? '"iss"' : '"aud"'} every token of the identity provider must carry for this API`,
    );
  return value || undefined;
}

export function gatewaySettings(env = process.env): GatewaySettings {
  const perMinute = wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 600);
  const cache = (env.RESPONSE_CACHE ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(cache)) throw new Error(`RESPONSE_CACHE must be "on" or "off", got "${env.RESPONSE_CACHE}"`);
  return {
    responseCache: cache === 'on',
    redisUrl: env.REDIS_URL || undefined,
    limits: {
      maxDepth: wholeNumber(env, 'MAX_DEPTH', DEFAULT_OPERATION_LIMITS.maxDepth),
      maxAliases: wholeNumber(env, 'MAX_ALIASES', DEFAULT_OPERATION_LIMITS.maxAliases),
      maxRootFields: wholeNumber(env, 'MAX_ROOT_FIELDS', DEFAULT_OPERATION_LIMITS.maxRootFields),
      maxTokens: wholeNumber(env, 'MAX_TOKENS', DEFAULT_OPERATION_LIMITS.maxTokens),
      maxDirectives: wholeNumber(env, 'MAX_DIRECTIVES', DEFAULT_OPERATION_LIMITS.maxDirectives),
      maxCost: wholeNumber(env, 'MAX_COST', DEFAULT_OPERATION_LIMITS.maxCost),
      maxFields: wholeNumber(env, 'MAX_FIELDS', DEFAULT_OPERATION_LIMITS.maxFields),
    },
    rateLimit: perMinute === 0 ? false : { requests: perMinute, windowSeconds: 60 },
    subgraphTimeoutMs: wholeNumber(env, 'SUBGRAPH_TIMEOUT_MS', 10_000),
    requestDeadlineMs: wholeNumber(env, 'REQUEST_DEADLINE_MS', 30_000),
    maxBodyBytes: wholeNumber(env, 'MAX_BODY_BYTES', 1024 * 1024),
    subgraphSecret: deployedSubgraphSecret(env),
    graphiql: graphiqlEnabled(env),
    introspection: introspectionEnabled(env),
    corsOrigins: corsOrigins(env),
    persistedDocuments: persistedDocumentsSettings(env),
    jwksUrl: env.JWKS_URL ? new URL(env.JWKS_URL) : undefined,
    signInTokenMinutes: signInTokenMinutes(env),
    jwtIssuer: requiredWithJwks(env, 'JWT_ISSUER'),
    jwtAudience: requiredWithJwks(env, 'JWT_AUDIENCE'),
    metricsPort: env.METRICS_PORT ? port(env, 'METRICS_PORT') : undefined,
    jwtMaxLifetimeSeconds: wholeNumber(env, 'JWT_MAX_LIFETIME_SECONDS', DEFAULT_JWT_MAX_LIFETIME_SECONDS),
    jwtSecret: jwtSecret(env, () =>
      console.warn(
        'JWT_SECRET is not set: tokens are checked against a secret generated for this process only (set JWT_SECRET to keep tokens valid across restarts; production requires it)',
      ),
    ),
  };
}
