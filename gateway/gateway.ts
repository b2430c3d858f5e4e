/**
 * The gateway: Hive Gateway's runtime with the Rust query planner (@graphql-hive/router-runtime),
 * serving the committed supergraph (SUPERGRAPH_FILE), with /health (the process is up), /ready
 * (every subgraph answers) and /metrics. Everything it does is set in one typed object,
 * GatewayOptions; the pieces are small plugins in this folder.
 */
import fs from 'node:fs';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler, useQueryPlan } from '@graphql-hive/router-runtime';
import * as httpTransport from '@graphql-mesh/transport-http';
import { Redis } from 'ioredis';
import { useRequestDeadline } from '@whatwg-node/server';
import { subgraphUrlOverride, supergraphFile, SUBGRAPH_NAMES, type SubgraphName } from '../lib/config';
import { createHttpServer, httpServerSettings, type HttpServerSettings, type HttpService } from '../lib/http';
import { directoryPollIntervalMs, watchDirectoryFromGateway } from '../lib/directory-changes';
import { createGatewayMetrics } from './metrics';
import { maskUnexpectedError } from './masked-errors';
import { createResponseCache, type DirectoryVersionSource } from './response-cache';
import { createFrontDoor } from './front-door';
import { graphiqlOptions } from './graphiql';
import { DEFAULT_WEB_DIR, useWebPage } from './web-page';
import { accessLogged, useAccessRecord } from './access-log';
import { assertRustQueryPlanner } from './rust-planner';
import { createPlannerGuard } from './planner-guard';
import { createIdentityVerifier } from './identity';
import { createApiKeyVerifier } from './api-keys';
import { createProviderStanding } from './provider-standing';
import { subgraphRequestSigner, useSubgraphFetchLimits } from './subgraph-fetch';
import { useOperationLimits } from './operation-limits';
import { createRateLimiter } from './rate-limit';
import { refusal, useRequestGuard } from './request-guard';
import { gatewaySettings, type GatewaySettings } from './settings';
import { subgraphEndpoints, useHealthAndReadiness } from './readiness';

/** Everything the gateway does, in one object; unset settings come from the environment (gatewaySettings). */
export interface GatewayOptions extends Partial<GatewaySettings> {
  /** The supergraph SDL; defaults to the file named by SUPERGRAPH_FILE (schema/supergraph.graphql). */
  supergraphSdl?: string;
  /** Where each subgraph answers; defaults from PROVIDERS_URL / LICENSES_URL / SUPPORT_URL, else the supergraph's own URLs. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Largest subgraph answer accepted, in bytes. */
  maxSubgraphAnswerBytes?: number;
  /** Directory change notices; the response cache is emptied by them (and is off without them). */
  directoryChanges?: DirectoryVersionSource;
  /** Put the query plan in `extensions.queryPlan` when a request sends `x-expose-query-plan: true`. */
  exposeQueryPlans?: boolean;
  /** The built support-finder page served at GET / (web/dist). */
  webDir?: string;
  /** HTTP server timeouts (HTTP_* variables). */
  http?: HttpServerSettings;
}

const GRAPHQL_PATH = '/graphql';

export const readSupergraph = (file = supergraphFile()) => fs.readFileSync(file, 'utf8');

export async function createGatewayService(options: GatewayOptions = {}): Promise<HttpService> {
  // A JWT_SECRET given here is not generated (nor reported as generated) from the environment; a
  // SUBGRAPH_SECRET given here (npm start's own) is not required from it.
  const env = { ...process.env, ...(options.jwtSecret ? { JWT_SECRET: options.jwtSecret } : {}), ...(options.subgraphSecret ? { SUBGRAPH_SECRET: options.subgraphSecret } : {}) };
  const settings: GatewaySettings & GatewayOptions = { ...gatewaySettings(env), ...options };
  const supergraph = options.supergraphSdl ?? readSupergraph();
  // Fails start-up loudly: the JavaScript planner cannot plan SupportContact's @requires.
  assertRustQueryPlanner(supergraph);
  const overrides = Object.fromEntries(
    SUBGRAPH_NAMES.flatMap((name) => {
      const url = options.subgraphUrls?.[name] ?? subgraphUrlOverride(name);
      return url ? [[name, url]] : [];
    }),
  ) as Partial<Record<SubgraphName, string>>;
  const endpoints = subgraphEndpoints(supergraph, overrides);
  const metrics = createGatewayMetrics();
  const sign = subgraphRequestSigner(settings.subgraphSecret);
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  // Alone (not in one process with the providers subgraph), the gateway follows the directory
  // through the providers subgraph's /directory-version and, with REDIS_URL, Redis notices.
  const ownFeed =
    settings.responseCache && !settings.directoryChanges
      ? await watchDirectoryFromGateway({ providersUrl: endpoints.providers, redisUrl: settings.redisUrl, pollIntervalMs: directoryPollIntervalMs(), requestHeaders: (url) => sign(url, 'GET', '') })
      : undefined;
  const directory = settings.directoryChanges ?? ownFeed;
  const cache = settings.responseCache && directory ? createResponseCache({ directory, redis, lookups: metrics.cacheLookups }) : undefined;
  const webPage = useWebPage(settings.webDir ?? DEFAULT_WEB_DIR);
  // Off unless asked for: the plugin hooks every planning, which costs throughput (measured ~30%).
  // A query that panics the Rust planner is found in a probe process, never in this one.
  const plannerGuard = createPlannerGuard(supergraph);
  const apiKeys = createApiKeyVerifier({ providersUrl: endpoints.providers, sign, directory, timeoutMs: Math.min(settings.subgraphTimeoutMs, 5_000) });
  const standing = createProviderStanding({ providersUrl: endpoints.providers, sign, directory, timeoutMs: Math.min(settings.subgraphTimeoutMs, 5_000) });
  const exposeQueryPlans = settings.exposeQueryPlans ?? process.env.EXPOSE_QUERY_PLANS === 'on';

  const runtime = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    transports: { http: httpTransport },
    transportEntries: Object.fromEntries(Object.entries(overrides).map(([name, url]) => [name, { location: url }])),
    // No telemetry, usage reporting or CDN: this runs without internet access.
    reporting: undefined,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    ...graphiqlOptions(settings.graphiql),
    logging: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
    healthCheckEndpoint: '/healthcheck',
    readinessCheckEndpoint: '/readiness',
    maskedErrors: { isDev: false, maskError: maskUnexpectedError },
    // The subgraphs' own errors (NOT_FOUND, BAD_USER_INPUT, ...) reach the client with their code.
    subgraphErrors: { errorCode: false, subgraphNameProp: 'serviceName' },
    plugins: () =>
      [
        webPage,
        useAccessRecord(),
        useHealthAndReadiness({ endpoints, probeTimeoutMs: Math.min(settings.subgraphTimeoutMs, 2_000), metrics, sign }),
        settings.requestDeadlineMs > 0 &&
          useRequestDeadline({
            timeout: settings.requestDeadlineMs,
            response: () => refusal(504, 'REQUEST_DEADLINE_EXCEEDED', `The request took longer than ${settings.requestDeadlineMs} ms.`, { connection: 'close' }),
          }),
        useRequestGuard({ maxBodyBytes: settings.maxBodyBytes, graphqlPath: GRAPHQL_PATH }),
        ...useOperationLimits(settings.limits),
        plannerGuard.plugin,
        useSubgraphFetchLimits({ timeoutMs: settings.subgraphTimeoutMs, maxAnswerBytes: settings.maxSubgraphAnswerBytes ?? 16 * 1024 * 1024, sign, metrics }),
        exposeQueryPlans && useQueryPlan({ expose: (request: Request) => request.headers.get('x-expose-query-plan') === 'true' }),
        cache?.plugin,
      ].filter(Boolean) as GatewayPlugin[],
  });

  const http = settings.http ?? httpServerSettings();
  const httpServer = createHttpServer(
    accessLogged(
      createFrontDoor(runtime, {
        graphqlPath: GRAPHQL_PATH,
        maxBodyBytes: settings.maxBodyBytes,
        rateLimiter: settings.rateLimit ? createRateLimiter(settings.rateLimit, redis) : undefined,
        cache,
        // A deactivated provider's tokens and keys are refused (gateway/provider-standing.ts).
        identify: standing.guard(createIdentityVerifier(settings.jwtSecret, { jwksUrl: settings.jwksUrl, apiKeys: apiKeys.verify })),
      }),
      (record, { path, status, seconds }) => path === GRAPHQL_PATH && metrics.observeRequest(record.operationName, status, record.errorCodes.size, seconds),
    ),
    http,
  );
  return {
    httpServer,
    shutdownTimeoutMs: http.shutdownTimeoutMs,
    dispose: async () => {
      cache?.dispose();
      apiKeys.dispose();
      standing.dispose();
      plannerGuard.dispose();
      await ownFeed?.close();
      await runtime.dispose();
      redis?.disconnect();
    },
  };
}
