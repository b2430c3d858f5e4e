/**
 * The gateway's settings from the environment, each with its default (README "Configuration").
 * A value that is not a whole number where one is expected stops the gateway, naming the variable.
 */
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './operation-limits';
import type { RateLimit } from './rate-limit';
import { deployedSubgraphSecret } from '../lib/subgraph-signature';
import { graphiqlEnabled } from './graphiql';
import { jwtSecret } from './identity';

function wholeNumber(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${variable} must be a whole number of 0 or more, got "${value}"`);
  return n;
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
  /** JWT_SECRET: the HS256 key of callers' tokens (generated per process outside production). */
  jwtSecret: string;
  /** JWKS_URL: an identity provider's key set; its (asymmetrically signed) tokens are accepted too. */
  jwksUrl?: URL;
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
    },
    rateLimit: perMinute === 0 ? false : { requests: perMinute, windowSeconds: 60 },
    subgraphTimeoutMs: wholeNumber(env, 'SUBGRAPH_TIMEOUT_MS', 10_000),
    requestDeadlineMs: wholeNumber(env, 'REQUEST_DEADLINE_MS', 30_000),
    maxBodyBytes: wholeNumber(env, 'MAX_BODY_BYTES', 1024 * 1024),
    subgraphSecret: deployedSubgraphSecret(env),
    graphiql: graphiqlEnabled(env),
    jwksUrl: env.JWKS_URL ? new URL(env.JWKS_URL) : undefined,
    jwtSecret: jwtSecret(env, () =>
      console.warn('JWT_SECRET is not set: tokens are checked against a secret generated for this process only (set JWT_SECRET to keep tokens valid across restarts; production requires it)'),
    ),
  };
}
