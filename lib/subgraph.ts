/**
 * What every subgraph shares: open its own database (migrated), build its Apollo service without
 * listening (tests mount it in process), and start it on a port (index.ts, containers).
 */
import { DEFAULT_LANGUAGE, forwardedLanguage, type Language } from './i18n/languages';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { MigrationObject } from '@mikro-orm/core';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import express, { type Express } from 'express';
import {
  databaseSettings,
  retentionSettings,
  subgraphPort,
  subgraphUrl,
  webhookSettings,
  type DatabaseSettings,
  type RetentionSettings,
  type SubgraphName,
  type WebhookSettings,
} from './config';
import type { SettingValues } from './settings';
import {
  createGraphQLService,
  httpServerSettings,
  internalError,
  isLoopback,
  listen,
  listenHost,
  type HttpServerSettings,
  type HttpService,
  type RunningServer,
} from './http';
import { logEvent } from './log';
import { subgraphCaller, type Identity } from './identity';
import { directoryPollIntervalMs } from './directory-changes';
import { observeDatabase, type ServiceMetrics } from './metrics';
import { traceDatabase } from './tracing';
import { initORM, migrateToLatest, type SubgraphOrmOptions, type SubgraphORM } from './orm';
import { deployedSubgraphSecret, subgraphSecret, verifySubgraphSignature, type VerifyOptions } from './subgraph-signature';
import { idempotentMutations, settleKeysInTransactions, withIdempotencyCaller } from './idempotent-mutations';
import { MISSING_SECRETS_KEYS, secretKeysOf } from './secret-keys';
import type { SecretKeyRing } from './secret-box';
import { inReaderLanguage } from './errors';
import { message, say } from './i18n/message';

export interface SubgraphDefinition<TContext extends object, TServing extends SubgraphServing = SubgraphServing> {
  name: SubgraphName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- MikroORM's own option type for entity classes is Function[]
  entities: Function[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  buildSchema(): Promise<GraphQLSchema>;
  /**
   * A fresh context per request: its own em.fork() and DataLoaders, or what it reads from `serving`,
   * and the caller the gateway forwarded (lib/identity.ts), against which the subgraph checks access.
   */
  /** `language`: the reader's (lib/i18n), for the texts the subgraph writes for people; English when not given. */
  createContext(orm: SubgraphORM, serving: TServing, caller: Identity, language?: Language): TContext | Promise<TContext>;
  /**
   * Set for a subgraph that runs mutations: their Idempotency-Keys are settled in its database
   * (lib/idempotent-mutations.ts; its entities must include IdempotencyRecord). `rerunSafe`: the
   * mutations that run afresh whatever the key (see IdempotentMutationsOptions).
   */
  idempotency?: { rerunSafe?: readonly string[] };
  /** Reference data the subgraph's database must always hold, written after migrating. */
  ensureReferenceData?(orm: SubgraphORM): Promise<void>;
  /** What the service keeps while it serves (in-memory snapshots, change feeds); built before it listens. */
  serve?(orm: SubgraphORM, options: ServeOptions): Promise<TServing>;
}

/** Held by a running subgraph service beside its database; closed before the database. */
export interface SubgraphServing {
  /** Extra `GET` routes beside /graphql and /health: path -> the JSON body to answer with, given the query string. */
  routes?: Record<string, (query: Record<string, unknown>) => unknown>;
  /**
   * Internal `POST` routes another subgraph calls (signed like /graphql when SUBGRAPH_SECRET is
   * set): path -> the JSON answer, given the parsed JSON body and the caller the request carries.
   */
  postRoutes?: Record<string, (body: unknown, caller: Identity) => unknown>;
  close?(): Promise<void>;
}

export interface ServeOptions {
  /** Redis shared by the replicas (REDIS_URL); unset: nothing shared beyond the database. */
  redisUrl?: string;
  /** DIRECTORY_POLL_INTERVAL_MS: how often the change marker is read (default 250 ms). */
  pollIntervalMs?: number;
  /** The instant each request is answered at; tests fix it (default: the system clock). */
  clock?: () => Date;
  /** Webhook delivery (providers) and event relay (licenses) settings. */
  webhooks?: WebhookSettings;
  /** How long the rows that grow with use are kept (lib/retention.ts). */
  retention?: RetentionSettings;
  /** The providers subgraph's /graphql URL: where the licenses subgraph relays its events (PROVIDERS_URL). */
  providersUrl?: string;
  /** SUBGRAPH_SECRET: signs a subgraph's own calls to another one's internal routes. */
  secret?: string;
  /** SECRETS_KEYS: what values at rest are sealed with (lib/secret-keys.ts). */
  secretKeys?: SecretKeyRing;
}

export type DatabaseOptions = { database: DatabaseSettings } & Pick<SubgraphOrmOptions, 'sqliteFile' | 'pgSchema' | 'onQuery'>;

/** Opens the subgraph's database and brings it to the newest migration. */
export async function openSubgraphDatabase<T extends object, S extends SubgraphServing>(
  subgraph: SubgraphDefinition<T, S>,
  options: DatabaseOptions,
): Promise<SubgraphORM> {
  const orm = await initORM({ name: subgraph.name, entities: subgraph.entities, migrations: subgraph.migrations, ...options });
  try {
    await migrateToLatest(orm);
    await subgraph.ensureReferenceData?.(orm);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return orm;
}

/** How a subgraph's HTTP server guards itself; defaults from the environment (subgraphServiceSettings). */
export interface SubgraphServiceSettings {
  /** SUBGRAPH_SECRET: when set, only requests the gateway signed with it are served; unset, every caller is anonymous. */
  secret?: string;
  /** SUBGRAPH_BODY_LIMIT: largest request body; the gateway's `_entities` batches must fit. */
  bodyLimit: number;
  http: HttpServerSettings;
  /** Signature window and replay cache (tests shorten them). */
  signature?: Omit<VerifyOptions, 'bodyLimit'>;
  /** REDIS_URL: where directory change notices are published and heard. */
  redisUrl?: string;
  pollIntervalMs?: number;
  /** See ServeOptions.clock. */
  clock?: () => Date;
  webhooks: WebhookSettings;
  retention: RetentionSettings;
  providersUrl: string;
  /** NODE_ENV=production: internal routes are refused without a secret. */
  production: boolean;
  /** SECRETS_KEYS, or the development ring; unset in production without it (a subgraph that seals then refuses to start). */
  secretKeys?: SecretKeyRing;
}

/**
 * 10 MB: the support subgraph's `_entities` request for 1,000 licenses' supportContact carries each
 * license's routing facts (holder, vendor, partners with their offers) and passed 1 MB.
 */
export const DEFAULT_SUBGRAPH_BODY_LIMIT = 10 * 1024 * 1024;

/** A subgraph's service settings from the process's parsed settings (the table's defaults for what is unset). */
export function subgraphServiceSettings(settings: SettingValues): SubgraphServiceSettings {
  return {
    secret: subgraphSecret(settings),
    bodyLimit: settings.SUBGRAPH_BODY_LIMIT ?? DEFAULT_SUBGRAPH_BODY_LIMIT,
    http: httpServerSettings(settings),
    redisUrl: settings.REDIS_URL,
    pollIntervalMs: directoryPollIntervalMs(settings),
    webhooks: webhookSettings(settings),
    retention: retentionSettings(settings),
    providersUrl: subgraphUrl('providers', settings),
    production: settings.NODE_ENV === 'production',
    secretKeys: secretKeysOf(settings),
  };
}

const PASSED_THROUGH = (code: unknown) => typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';

/**
 * Codes of a database that is not there (stopped, restarting, unreachable) rather than of a failed
 * statement: Node's socket errors, PostgreSQL's connection exceptions (class 08) and its
 * "shutting down" / "starting up" refusals (57P01-57P03).
 */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03']);
const UNREACHABLE_MESSAGES =
  /Connection terminated|Timeout acquiring a connection|connect ECONNREFUSED|the database system is (starting up|shutting down)|terminating connection due to administrator command/i;

/** The database could not be reached: the error itself, or what it wraps (MikroORM's `previous`, `cause`). */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, previous, cause } = error as { code?: unknown; message?: unknown; previous?: unknown; cause?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08/.test(code))) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  return isDatabaseUnreachable(previous, depth + 1) || isDatabaseUnreachable(cause, depth + 1);
}

/**
 * The language each error of an answer is said in (set where the answer is made: the plugin below,
 * or a context that could not be made), for the generic messages that replace unexpected errors.
 */
const answeredIn = new WeakMap<object, Language>();

/**
 * Errors a client may see are the GraphQLErrors raised on purpose, each with its code (NOT_FOUND,
 * BAD_USER_INPUT, Apollo's parse and validation errors…). Anything else (a database error with its
 * SQL, a refused connection with host and port, a bug) becomes INTERNAL_SERVER_ERROR with a generic
 * message and an errorId; the full error is logged once under that id. A database that cannot be
 * reached (stopped, restarting) is SERVICE_UNAVAILABLE, saying so, so that a client knows to retry.
 */
export function maskUnexpectedErrors(service: string) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = unwrapResolverError(error);
    if (cause instanceof GraphQLError && PASSED_THROUGH(formatted.extensions?.code)) return formatted;
    const language: Language = (error !== null && typeof error === 'object' ? answeredIn.get(error) : undefined) ?? DEFAULT_LANGUAGE;
    if (isDatabaseUnreachable(cause)) {
      const { errorId } = internalError(service, cause, { path: formatted.path, reason: 'database unreachable' });
      return {
        // It says so and that a retry may help; the cause is logged.
        message: say(language, message('error.databaseUnavailable')),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'SERVICE_UNAVAILABLE', errorId },
      };
    }
    const { errorId } = internalError(service, cause, { path: formatted.path });
    return {
      message: say(language, message('error.internal')),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

/** The subgraph's HTTP service over an open database; closing it also closes the database. */
export async function createSubgraphService<T extends object, S extends SubgraphServing = SubgraphServing>(
  subgraph: SubgraphDefinition<T, S>,
  orm: SubgraphORM,
  settings: SubgraphServiceSettings = subgraphServiceSettings({}),
): Promise<HttpService & { app: Express; apollo: ApolloServer<T>; metrics: ServiceMetrics; serving: S }> {
  if (subgraph.idempotency && !settings.secretKeys) throw new Error(MISSING_SECRETS_KEYS);
  const schema = await subgraph.buildSchema();
  const serving = subgraph.serve
    ? await subgraph.serve(orm, {
        redisUrl: settings.redisUrl,
        pollIntervalMs: settings.pollIntervalMs,
        clock: settings.clock,
        webhooks: settings.webhooks,
        retention: settings.retention,
        providersUrl: settings.providersUrl,
        secret: settings.secret,
        secretKeys: settings.secretKeys,
      })
    : ({} as S);
  if (subgraph.idempotency) orm.em.getEventManager().registerSubscriber(settleKeysInTransactions(orm));
  const idempotency = subgraph.idempotency
    ? [
        idempotentMutations({
          orm,
          keys: settings.secretKeys!,
          rerunSafe: subgraph.idempotency.rerunSafe,
        }),
      ]
    : [];
  let service: HttpService & { app: Express; apollo: ApolloServer<T>; metrics: ServiceMetrics };
  try {
    service = await createGraphQLService<T>({
      name: subgraph.name,
      apollo: (plugins) =>
        new ApolloServer<T>({
          schema,
          introspection: true,
          // Stack traces stay in the logs, never in answers to clients.
          includeStacktraceInErrorResponses: false,
          formatError: maskUnexpectedErrors(subgraph.name),
          // Apollo would stop itself at SIGINT/SIGTERM and then signal the process again, which ends it
          // before in-flight requests are answered; the entry point stops the server in order instead
          // (lib/main.ts, lib/http.ts listen: not ready, drain, then Apollo and the database).
          stopOnTerminationSignals: false,
          // No Apollo usage reporting or federated tracing: this must run without internet access. No
          // landing page either: only the gateway talks to a subgraph, and every answer is JSON. No
          // cache-control hints: nothing sets them (the gateway caches whole answers itself), and the
          // plugin wraps every field's resolver, which costs most on answers with many rows.
          plugins: [
            ...plugins,
            ApolloServerPluginUsageReportingDisabled(),
            ApolloServerPluginInlineTraceDisabled(),
            ApolloServerPluginLandingPageDisabled(),
            ApolloServerPluginCacheControlDisabled(),
            ...idempotency,
            errorsInReaderLanguage,
          ],
        }),
      context: async ({ req }) => {
        const caller = subgraphCaller(req, settings.secret);
        const language = forwardedLanguage((req.body as { extensions?: unknown } | undefined)?.extensions);
        try {
          // Whose Idempotency-Key a request's is: the caller its context was built for.
          return withIdempotencyCaller(await subgraph.createContext(orm, serving, caller, language), caller);
        } catch (error) {
          // A context that cannot be made (the directory unreadable) is answered before any plugin runs.
          if (error && typeof error === 'object') answeredIn.set(error, language);
          throw error instanceof GraphQLError ? inReaderLanguage(error, language) : error;
        }
      },
      dispose: async () => {
        await serving.close?.();
        await orm.close(true);
      },
      bodyLimit: settings.bodyLimit,
      guard: settings.secret ? verifySubgraphSignature(settings.secret, { ...settings.signature, bodyLimit: settings.bodyLimit }) : undefined,
      http: settings.http,
      onListening: ({ host }) => {
        if (!settings.secret && !isLoopback(host)) {
          logEvent('warn', 'subgraph_unsigned', {
            service: subgraph.name,
            host,
            message: `the ${subgraph.name} subgraph listens on ${host} and serves unsigned requests: anyone who reaches it reads the public directory past the gateway's limits, and every caller is anonymous to it (it believes identities only with SUBGRAPH_SECRET); set SUBGRAPH_SECRET`,
          });
        }
      },
    });
  } catch (error) {
    await serving.close?.();
    throw error;
  }
  observeDatabase(service.metrics.registry, orm);
  traceDatabase(orm, subgraph.name);
  // Helper routes (the providers' /directory-version, /api-key-identity) sit behind the signature check like /graphql.
  for (const [path, body] of Object.entries(serving.routes ?? {})) {
    service.app.get(
      path,
      (req, res, next) =>
        void Promise.resolve()
          .then(() => body(req.query as Record<string, unknown>))
          .then((answer) => res.json(answer), next),
    );
  }
  // The signature check has read the body raw already when SUBGRAPH_SECRET is set (express.raw then does nothing).
  const rawBody = express.raw({ type: () => true, limit: settings.bodyLimit, inflate: false });
  for (const [path, answer] of Object.entries(serving.postRoutes ?? {})) {
    service.app.post(path, rawBody, (req, res, next) => {
      // Without a secret no caller can be told apart: development only (production answers 401).
      if (!settings.secret && settings.production) {
        res.status(401).json({
          errors: [
            {
              message: 'Internal route: set SUBGRAPH_SECRET so that the subgraphs can sign their calls to each other',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        });
        return;
      }
      void Promise.resolve()
        .then(() => answer(jsonBody(req.body), subgraphCaller(req, settings.secret)))
        .then(
          (body) => res.json(body),
          // A route refuses a malformed body with a GraphQLError or an error of status 400; anything else is a failure of ours.
          (error) =>
            error instanceof GraphQLError
              ? res.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] })
              : (error as { status?: unknown })?.status === 400
                ? res.status(400).json({ errors: [{ message: (error as Error).message, extensions: { code: 'BAD_REQUEST' } }] })
                : next(error),
        );
    });
  }
  return { ...service, serving };
}

/** The JSON body of an internal POST route; a body that is no JSON is a client error, not a server one. */
function jsonBody(body: unknown): unknown {
  try {
    return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : '{}');
  } catch {
    throw new GraphQLError('The request body must be JSON', { extensions: { code: 'BAD_REQUEST' } });
  }
}

/** One subgraph in its own process (containers), on the process's settings: production refuses to start without SUBGRAPH_SECRET. */
export async function startSubgraph<T extends object, S extends SubgraphServing>(
  subgraph: SubgraphDefinition<T, S>,
  settings: SettingValues,
  options: DatabaseOptions = { database: databaseSettings(settings) },
): Promise<RunningServer> {
  const service = { ...subgraphServiceSettings(settings), secret: deployedSubgraphSecret(settings) };
  // Before the database is opened: a subgraph that seals cannot run without its keys.
  if (subgraph.idempotency && !service.secretKeys) throw new Error(MISSING_SECRETS_KEYS);
  const orm = await openSubgraphDatabase(subgraph, options);
  return listen(await createSubgraphService(subgraph, orm, service), subgraphPort(subgraph.name, settings), listenHost(settings));
}

/**
 * The edge where a subgraph's errors are written: each one made from a message (lib/errors.ts) is
 * said in the reader's language before Apollo formats the answer (parse, validation and resolver
 * errors alike; codes and ids untouched).
 */
const errorsInReaderLanguage: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    const language = forwardedLanguage(request.extensions);
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          answeredIn.set(error, language);
          inReaderLanguage(error, language);
        }
      },
    };
  },
};
