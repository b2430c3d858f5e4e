/**
 * The gateway's settings, each with its default (docs/configuration.md): built from the values the
 * settings table parsed at the entry point (lib/settings-table.js), never from the environment itself.
 */
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './protection/operation-limits';
import type { RateLimit } from './protection/rate-limit';
import { deployedSubgraphSecret } from '../lib/subgraph-signature';
import { graphiqlEnabled } from './http/graphiql';
import { DEFAULT_JWT_MAX_LIFETIME_SECONDS, jwtSecret } from './identity/identity';
import { introspectionEnabled, type IntrospectionPolicy } from './protection/introspection';
import { SUBGRAPH_NAMES, subgraphUrlOverride, supergraphFile, type SubgraphName } from '../lib/config';
import { directoryPollIntervalMs } from '../lib/directory-changes';
import { httpServerSettings, type HttpServerSettings } from '../lib/http';
import type { SettingValues } from '../lib/settings';
import { persistedDocumentsSettings, type PersistedDocumentsSettings } from './protection/persisted-documents';

/** How /partner and /admin sign in at OIDC_ISSUER (gateway/identity/page-sign-in.ts). */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** OIDC_SCOPE: further scopes to ask for. */
  scope?: string;
  /** OIDC_AUDIENCE_PARAMETER: the request parameter that names JWT_AUDIENCE (default resource). */
  audienceParameter?: 'resource' | 'audience' | 'none';
}

export interface GatewaySettings {
  responseCache: boolean;
  /** MCP: the Model Context Protocol endpoint for assistants at POST /mcp (gateway/mcp/). */
  mcp: boolean;
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
  /** INTROSPECTION: `__schema`/`__type` answered to everyone (true), nobody (false) or verified callers only ('signed-in', the default when NODE_ENV=production). */
  introspection: IntrospectionPolicy;
  /** CORS_ORIGINS: origins whose pages may call the gateway; undefined: same origin only. */
  corsOrigins?: string[];
  /** TRUSTED_PROXIES: the proxies whose X-Forwarded-For is believed (gateway/http/client-address.ts); undefined: none. */
  trustedProxies?: string[];
  /** PERSISTED_DOCUMENTS (allow|only) and PERSISTED_DOCUMENTS_FILE. */
  persistedDocuments: PersistedDocumentsSettings;
  /** JWT_SECRET: the HS256 key of callers' tokens (generated per process outside production). */
  jwtSecret: string;
  /** JWKS_URL: an identity provider's key set; its (asymmetrically signed) tokens are accepted too. */
  jwksUrl?: URL;
  /** SIGN_IN_TOKEN_MINUTES: how long the holder token of a `signIn` is valid (default 240). */
  signInTokenMinutes: number;
  /** JWT_ISSUER: the `iss` every JWKS_URL or OIDC_ISSUER token must carry (required with JWKS_URL; defaults to OIDC_ISSUER). */
  jwtIssuer?: string;
  /** JWT_AUDIENCE: the `aud` every JWKS_URL or OIDC_ISSUER token must name (required with either). */
  jwtAudience?: string;
  /**
   * OIDC_ISSUER and OIDC_CLIENT_ID: where /partner and /admin sign people in (gateway/identity/page-sign-in.ts);
   * without JWKS_URL the gateway takes the keys of its tokens from the issuer's discovery document.
   */
  oidc?: OidcClientSettings;
  /** OIDC_PASTED_CREDENTIALS: with OIDC_ISSUER, the pages still offer a pasted token or API key (development). */
  pastedCredentials: boolean;
  /** JWT_MAX_LIFETIME_SECONDS: the longest a JWKS_URL token may live (exp - iat); default one day. */
  jwtMaxLifetimeSeconds: number;
  /**
   * METRICS_PORT: when set, /metrics is served only on this port (on HOST), not on the public one.
   * Unset, the public port serves it (development); production should set it.
   */
  metricsPort?: number;
  /** EXPOSE_QUERY_PLANS: a request with `x-expose-query-plan: true` gets its plan in extensions.queryPlan. */
  exposeQueryPlans: boolean;
  /** LOG_LEVEL=debug: the runtime's own debug lines too. */
  debugLogging: boolean;
  /** HTTP server timeouts (HTTP_* variables). */
  http: HttpServerSettings;
  /** DIRECTORY_POLL_INTERVAL_MS: how often the gateway's own directory feed reads the version. */
  pollIntervalMs?: number;
  /** SUPERGRAPH_FILE: the supergraph served unless an SDL is given. */
  supergraphFile: string;
  /** Where each subgraph answers when not where the supergraph says: PROVIDERS_URL etc., or the local *_PORT. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
}

/**
 * The gateway's settings from the process's parsed settings (lib/settings.ts): the table has parsed
 * and checked every value, so this only applies defaults. JWT_SECRET unset outside production: a
 * secret is made for this process, and `onGeneratedSecret` is told (npm start says so).
 */
export function gatewaySettings(
  settings: SettingValues,
  onGeneratedSecret: () => void = () =>
    console.warn(
      'JWT_SECRET is not set: tokens are checked against a secret generated for this process only (set JWT_SECRET to keep tokens valid across restarts; production requires it)',
    ),
): GatewaySettings {
  const perMinute = settings.RATE_LIMIT_PER_MINUTE ?? 600;
  return {
    responseCache: settings.RESPONSE_CACHE ?? true,
    mcp: settings.MCP ?? true,
    redisUrl: settings.REDIS_URL,
    limits: {
      maxDepth: settings.MAX_DEPTH ?? DEFAULT_OPERATION_LIMITS.maxDepth,
      maxAliases: settings.MAX_ALIASES ?? DEFAULT_OPERATION_LIMITS.maxAliases,
      maxRootFields: settings.MAX_ROOT_FIELDS ?? DEFAULT_OPERATION_LIMITS.maxRootFields,
      maxTokens: settings.MAX_TOKENS ?? DEFAULT_OPERATION_LIMITS.maxTokens,
      maxDirectives: settings.MAX_DIRECTIVES ?? DEFAULT_OPERATION_LIMITS.maxDirectives,
      maxCost: settings.MAX_COST ?? DEFAULT_OPERATION_LIMITS.maxCost,
      maxFields: settings.MAX_FIELDS ?? DEFAULT_OPERATION_LIMITS.maxFields,
    },
    rateLimit: perMinute === 0 ? false : { requests: perMinute, windowSeconds: 60 },
    subgraphTimeoutMs: settings.SUBGRAPH_TIMEOUT_MS ?? 10_000,
    requestDeadlineMs: settings.REQUEST_DEADLINE_MS ?? 30_000,
    maxBodyBytes: settings.MAX_BODY_BYTES ?? 1024 * 1024,
    subgraphSecret: deployedSubgraphSecret(settings),
    graphiql: graphiqlEnabled(settings),
    introspection: introspectionEnabled(settings),
    corsOrigins: settings.CORS_ORIGINS,
    trustedProxies: settings.TRUSTED_PROXIES,
    persistedDocuments: persistedDocumentsSettings(settings),
    jwksUrl: settings.JWKS_URL ? new URL(settings.JWKS_URL) : undefined,
    signInTokenMinutes: settings.SIGN_IN_TOKEN_MINUTES ?? 240,
    jwtIssuer: requiredWithJwks(settings, 'JWT_ISSUER') ?? settings.OIDC_ISSUER,
    jwtAudience: requiredWithJwks(settings, 'JWT_AUDIENCE'),
    oidc: oidcSettings(settings),
    pastedCredentials: settings.OIDC_PASTED_CREDENTIALS ?? false,
    metricsPort: settings.METRICS_PORT,
    jwtMaxLifetimeSeconds: settings.JWT_MAX_LIFETIME_SECONDS ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS,
    jwtSecret: jwtSecret(settings, onGeneratedSecret),
    exposeQueryPlans: settings.EXPOSE_QUERY_PLANS ?? false,
    debugLogging: settings.LOG_LEVEL === 'debug',
    http: httpServerSettings(settings),
    pollIntervalMs: directoryPollIntervalMs(settings),
    supergraphFile: supergraphFile(settings),
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.flatMap((name) => {
        const url = subgraphUrlOverride(name, settings);
        return url ? [[name, url]] : [];
      }),
    ),
  };
}

/** OIDC_ISSUER with its client id; both OIDC_CLIENT_ID and JWT_AUDIENCE are required with it (the table refuses it first). */
function oidcSettings(settings: SettingValues): GatewaySettings['oidc'] {
  const issuer = settings.OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = settings.OIDC_CLIENT_ID?.trim();
  if (!clientId || !settings.JWT_AUDIENCE?.trim())
    throw new Error('OIDC_CLIENT_ID and JWT_AUDIENCE must be set with OIDC_ISSUER: the client the pages sign in as, and the "aud" of the tokens they get');
  return { issuer, clientId, scope: settings.OIDC_SCOPE, audienceParameter: settings.OIDC_AUDIENCE_PARAMETER ?? 'resource' };
}

/** JWKS_URL without JWT_ISSUER and JWT_AUDIENCE would accept any application's tokens of the identity provider (the table refuses it first). */
function requiredWithJwks(settings: SettingValues, variable: 'JWT_ISSUER' | 'JWT_AUDIENCE'): string | undefined {
  const value = settings[variable]?.trim();
  if (settings.JWKS_URL && !value)
    throw new Error(
      `${variable} must be set with JWKS_URL: the ${variable === 'JWT_ISSUER' ? '"iss"' : '"aud"'} every token of the identity provider must carry for this API`,
    );
  return value || undefined;
}
