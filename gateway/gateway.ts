/**
 * The gateway: Hive Gateway's runtime with the Rust query planner (@graphql-hive/router-runtime),
 * serving the committed supergraph (SUPERGRAPH_FILE), with /health (the process is up), /ready
 * (every subgraph answers) and /metrics (on METRICS_PORT alone when that is set). Everything it does is set in one typed object,
 * GatewayOptions; the pieces are small plugins in this folder.
 */
import fs from 'node:fs';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler, useQueryPlan } from '@graphql-hive/router-runtime';
import { SUBGRAPH_NAMES, type SubgraphName } from '../lib/config';
import type { SettingValues } from '../lib/settings';
import { createHttpServer, Draining, listen, type HttpService } from '../lib/http';
import { watchDirectoryFromGateway } from '../lib/directory-changes';
import { createGatewayMetrics, metricsOnly } from './metrics';
import { maskUnexpectedError } from './protection/masked-errors';
import { createResponseCache, type DirectoryVersionSource } from './shared-state/response-cache';
import { createFrontDoor } from './http/front-door';
import { graphiqlOptions } from './http/graphiql';
import { DEFAULT_WEB_DIR, useWebPage } from './http/web-page';
import { identityProviderOrigins, usePageSignIn } from './identity/page-sign-in';
import { accessLogged, metricOperation, useAccessRecord } from './http/access-log';
import { assertRustQueryPlanner } from './upstream/rust-planner';
import { createPlannerGuard } from './upstream/planner-guard';
import { useIntrospection } from './protection/introspection';
import { useRequestErrorCodes } from './http/request-errors';
import { createIdentityVerifier } from './identity/identity';
import { createApiKeyVerifier } from './identity/api-keys';
import { useIdempotencyKeys } from './shared-state/idempotency';
import { useSubgraphFetchLimits } from './upstream/subgraph-fetch';
import { subgraphTransport } from './upstream/subgraph-transport';
import { createDeadlineWatch, resolutionFor } from './protection/deadline-watch';
import { subgraphRequestSigner } from './upstream/subgraph-signer';
import { createProviderStanding } from './identity/provider-standing';
import { createHolderStanding } from './identity/holder-standing';
import { useOperationLimits } from './protection/operation-limits';
import { createRateLimiter } from './protection/rate-limit';
import { useHolderSignIn } from './identity/holder-sign-in';
import { createSignInThrottle } from './identity/sign-in-throttle';
import { useRequestGuard } from './protection/request-guard';
import { gatewaySettings, type GatewaySettings } from './settings';
import { connectSharedRedis } from './shared-state/shared-redis';
import { leaveShutdownToTheEntryPoint } from './http/shutdown';
import { subgraphEndpoints, useHealthAndReadiness } from './http/readiness';
import { createCorsPolicy } from './http/cors';
import { clientAddressFrom } from './http/client-address';
import { persistedDocuments } from './protection/persisted-documents';
import { NO_DIRECTORY, PRODUCT_PARTS, servesSupportDirectory } from './product';
import { createMcpEndpoint, MCP_PATH } from './mcp/http-endpoint';

/**
 * Everything the gateway does, in one object; unset options come from `environment`, the process's
 * settings as the entry point parsed them (gatewaySettings), and without it from the table's defaults.
 */
export interface GatewayOptions extends Partial<GatewaySettings> {
  /** The process's parsed settings (lib/settings.ts); the gateway never reads the environment itself. */
  environment?: SettingValues;
  /** The supergraph SDL; defaults to the file named by SUPERGRAPH_FILE (schema/supergraph.graphql). */
  supergraphSdl?: string;
  /** Largest subgraph answer accepted, in bytes. */
  maxSubgraphAnswerBytes?: number;
  /** Directory change notices; the response cache is emptied by them (and is off without them). */
  directoryChanges?: DirectoryVersionSource;
  /** The built support-finder page served at GET / (web/dist). */
  webDir?: string;
}

const GRAPHQL_PATH = '/graphql';

export const readSupergraph = (file: string) => fs.readFileSync(file, 'utf8');

export async function createGatewayService(options: GatewayOptions = {}): Promise<HttpService> {
  // A JWT_SECRET given here is not generated (nor reported as generated) from the environment; a
  // SUBGRAPH_SECRET given here (npm start's own) is not required from it.
  const environment: SettingValues = {
    ...options.environment,
    ...(options.jwtSecret ? { JWT_SECRET: options.jwtSecret } : {}),
    ...(options.subgraphSecret ? { SUBGRAPH_SECRET: options.subgraphSecret } : {}),
  };
  const base = gatewaySettings(environment);
  const settings: GatewaySettings & GatewayOptions = { ...base, ...options, subgraphUrls: { ...base.subgraphUrls, ...options.subgraphUrls } };
  // Built before anything is started: JWKS_URL without an issuer and an audience stops the gateway.
  const identify = createIdentityVerifier(settings.jwtSecret, {
    jwksUrl: settings.jwksUrl,
    discoveryIssuer: settings.jwksUrl ? undefined : settings.oidc?.issuer,
    issuer: settings.jwtIssuer,
    audience: settings.jwtAudience,
    maxLifetimeSeconds: settings.jwtMaxLifetimeSeconds,
    // No API keys on a supergraph without the providers subgraph (gateway/product.ts).
    apiKeys: (key) => (apiKeys ? apiKeys.verify(key) : Promise.resolve(undefined)),
  });
  const supergraph = options.supergraphSdl ?? readSupergraph(settings.supergraphFile);
  // Fails start-up loudly: the JavaScript planner cannot plan SupportContact's @requires.
  assertRustQueryPlanner(supergraph);
  const overrides = Object.fromEntries(SUBGRAPH_NAMES.flatMap((name) => (settings.subgraphUrls[name] ? [[name, settings.subgraphUrls[name]]] : []))) as Partial<
    Record<SubgraphName, string>
  >;
  const endpoints = subgraphEndpoints(supergraph, overrides);
  // This product's own parts need its providers subgraph; any other supergraph is served without them.
  const product = servesSupportDirectory(endpoints);
  if (!product) for (const part of PRODUCT_PARTS) console.warn(`${part}: off, the supergraph has no providers subgraph`);
  const metrics = createGatewayMetrics();
  const sign = subgraphRequestSigner(settings.subgraphSecret);
  // Fails fast while Redis is away (shared-redis.ts): every use of it has an in-process fallback.
  const redis = settings.redisUrl ? await connectSharedRedis(settings.redisUrl) : undefined;
  // Alone (not in one process with the providers subgraph), the gateway follows the directory
  // through the providers subgraph's /directory-version and, with REDIS_URL, Redis notices.
  const ownFeed =
    product && settings.responseCache && !settings.directoryChanges
      ? await watchDirectoryFromGateway({
          providersUrl: endpoints.providers,
          redisUrl: settings.redisUrl,
          pollIntervalMs: settings.pollIntervalMs,
          requestHeaders: (url) => sign(url, 'GET', ''),
        })
      : undefined;
  // Another supergraph: one version for ever (answers still expire at UTC midnight).
  const directory = product ? (settings.directoryChanges ?? ownFeed) : NO_DIRECTORY;
  const cache =
    settings.responseCache && directory
      ? createResponseCache({
          directory,
          redis,
          lookups: metrics.cacheLookups,
          partition: `introspection=${settings.introspection} documents=${settings.persistedDocuments.mode}`,
        })
      : undefined;
  const webPage = product
    ? useWebPage(settings.webDir ?? DEFAULT_WEB_DIR, { identityProviderOrigins: identityProviderOrigins({ oidc: settings.oidc }) })
    : undefined;
  // How /partner and /admin sign people in (OIDC_ISSUER), read by the pages themselves.
  const pageSignIn = webPage
    ? usePageSignIn({ oidc: settings.oidc, audience: settings.jwtAudience, pastedCredentials: settings.pastedCredentials })
    : undefined;
  const graphiql = graphiqlOptions(settings.graphiql, { headline: product });
  // Off unless asked for: the plugin hooks every planning, which costs throughput (measured ~30%).
  // A query that panics the Rust planner is found in a probe process, never in this one.
  const plannerGuard = createPlannerGuard(supergraph);
  const apiKeys = product
    ? createApiKeyVerifier({ providersUrl: endpoints.providers, sign, directory, timeoutMs: Math.min(settings.subgraphTimeoutMs, 5_000) })
    : undefined;
  const cors = createCorsPolicy(settings.corsOrigins);
  const persisted = persistedDocuments(settings.persistedDocuments, redis);
  // A deactivated provider's tokens and keys are refused (gateway/identity/provider-standing.ts).
  const standing = product
    ? createProviderStanding({ providersUrl: endpoints.providers, sign, directory, timeoutMs: Math.min(settings.subgraphTimeoutMs, 5_000) })
    : undefined;
  // A holder token ends with the access code it was signed in with (gateway/identity/holder-standing.ts).
  const holders = endpoints.licenses
    ? createHolderStanding({ licensesUrl: endpoints.licenses, sign, directory, timeoutMs: Math.min(settings.subgraphTimeoutMs, 5_000) })
    : undefined;
  const verified = holders ? holders.guard(identify) : identify;

  // Subgraph call timeouts and request deadlines, kept by one interval (deadline-watch.ts).
  const draining = new Draining();
  const deadlines = createDeadlineWatch(
    resolutionFor(settings.requestDeadlineMs > 0 ? Math.min(settings.subgraphTimeoutMs, settings.requestDeadlineMs) : settings.subgraphTimeoutMs),
  );
  const runtime = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    // JSON calls without the built-in executor's upload scan and in-flight copies (subgraph-transport.ts).
    transports: { http: subgraphTransport },
    transportEntries: Object.fromEntries(Object.entries(overrides).map(([name, url]) => [name, { location: url }])),
    // No telemetry, usage reporting or CDN: this runs without internet access.
    reporting: undefined,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    cors: cors.options,
    ...(persisted.runtimeOption ? { persistedDocuments: persisted.runtimeOption } : {}),
    ...graphiql.options,
    logging: settings.debugLogging ? 'debug' : 'warn',
    healthCheckEndpoint: '/healthcheck',
    readinessCheckEndpoint: '/readiness',
    maskedErrors: { isDev: false, maskError: maskUnexpectedError },
    // The subgraphs' own errors (NOT_FOUND, BAD_USER_INPUT, ...) reach the client with their code.
    subgraphErrors: { errorCode: false, subgraphNameProp: 'serviceName' },
    plugins: () =>
      [
        webPage,
        pageSignIn,
        graphiql.plugin,
        cors.plugin,
        useAccessRecord(),
        // With METRICS_PORT, the public port serves no /metrics.
        useHealthAndReadiness({
          endpoints,
          probeTimeoutMs: Math.min(settings.subgraphTimeoutMs, 2_000),
          metrics: settings.metricsPort === undefined ? metrics : undefined,
          sign,
          draining,
        }),
        useRequestGuard({ maxBodyBytes: settings.maxBodyBytes, graphqlPath: GRAPHQL_PATH }),
        useRequestErrorCodes(),
        ...persisted.plugins,
        ...useOperationLimits(settings.limits),
        useIntrospection({ enabled: settings.introspection }),
        plannerGuard.plugin,
        useIdempotencyKeys(),
        holders &&
          useHolderSignIn({
            secret: settings.jwtSecret,
            tokenMinutes: settings.signInTokenMinutes,
            throttle: createSignInThrottle(redis),
            codeInForce: holders.codeInForce,
          }),
        useSubgraphFetchLimits({
          timeoutMs: settings.subgraphTimeoutMs,
          maxAnswerBytes: settings.maxSubgraphAnswerBytes ?? 16 * 1024 * 1024,
          sign,
          metrics,
          deadlines,
        }),
        settings.exposeQueryPlans && useQueryPlan({ expose: (request: Request) => request.headers.get('x-expose-query-plan') === 'true' }),
        cache?.plugin,
      ].filter(Boolean) as GatewayPlugin[],
  });

  leaveShutdownToTheEntryPoint(runtime);
  const http = settings.http;
  const httpServer = createHttpServer(
    accessLogged(
      createFrontDoor(runtime, {
        graphqlPath: GRAPHQL_PATH,
        maxBodyBytes: settings.maxBodyBytes,
        rateLimiter: settings.rateLimit ? createRateLimiter(settings.rateLimit, redis) : undefined,
        cache,
        answerHeaders: cors.headersFor,
        // The assistants' tools are this product's questions: on another supergraph there are none.
        mcp:
          settings.mcp && product
            ? createMcpEndpoint({
                engine: runtime,
                supergraphSdl: supergraph,
                graphqlPath: GRAPHQL_PATH,
                maxBodyBytes: settings.maxBodyBytes,
                persistedDocuments: settings.persistedDocuments,
                answerHeaders: cors.headersFor,
              })
            : undefined,
        requestDeadline: settings.requestDeadlineMs > 0 ? { ms: settings.requestDeadlineMs, watch: deadlines } : undefined,
        identify: standing ? standing.guard(verified) : verified,
      }),
      // A tool call is counted under its operation's name, as the same question on /graphql is.
      (record, { path, status, seconds }) =>
        (path === GRAPHQL_PATH || path === MCP_PATH) && metrics.observeRequest(metricOperation(record), status, record.errorCodes.size, seconds),
      clientAddressFrom(settings.trustedProxies),
    ),
    http,
  );
  // Last, so that nothing is left listening when anything before fails.
  const metricsListener =
    settings.metricsPort === undefined
      ? undefined
      : await listen({ httpServer: createHttpServer(metricsOnly(metrics), http), shutdownTimeoutMs: http.shutdownTimeoutMs }, settings.metricsPort);
  return {
    httpServer,
    shutdownTimeoutMs: http.shutdownTimeoutMs,
    drainDelayMs: http.drainDelayMs,
    draining,
    dispose: async () => {
      await metricsListener?.close();
      cache?.dispose();
      apiKeys?.dispose();
      standing?.dispose();
      holders?.dispose();
      plannerGuard.dispose();
      await ownFeed?.close();
      await runtime.dispose();
      deadlines.dispose();
      redis?.disconnect();
    },
  };
}
