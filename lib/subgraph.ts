/**
 * What every subgraph shares: open its own database (migrated), build its Apollo service without
 * listening (tests mount it in process), and start it on a port (index.ts, containers).
 */
import { ApolloServer } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { MigrationObject } from '@mikro-orm/core';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { DatabaseSettings, SubgraphName } from './config';
import {
  byteSize,
  createGraphQLService,
  httpServerSettings,
  INTERNAL_ERROR_MESSAGE,
  internalError,
  isLoopback,
  listen,
  type HttpServerSettings,
  type HttpService,
  type RunningServer,
} from './http';
import { logEvent } from './log';
import { initORM, migrateToLatest, type SubgraphOrmOptions, type SubgraphORM } from './orm';
import { subgraphSecret, verifySubgraphSignature, type VerifyOptions } from './subgraph-signature';

export interface SubgraphDefinition<TContext extends object> {
  name: SubgraphName;
  entities: Function[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  buildSchema(): Promise<GraphQLSchema>;
  /** A fresh context per request: its own em.fork() and DataLoaders. */
  createContext(orm: SubgraphORM): TContext;
  /** Reference data the subgraph's database must always hold, written after migrating. */
  ensureReferenceData?(orm: SubgraphORM): Promise<void>;
}

export type DatabaseOptions = { database: DatabaseSettings } & Pick<SubgraphOrmOptions, 'sqliteFile' | 'pgSchema' | 'onQuery'>;

/** Opens the subgraph's database and brings it to the newest migration. */
export async function openSubgraphDatabase<T extends object>(subgraph: SubgraphDefinition<T>, options: DatabaseOptions): Promise<SubgraphORM> {
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
  /** SUBGRAPH_SECRET: when set, only requests the gateway signed with it are served. */
  secret?: string;
  /** SUBGRAPH_BODY_LIMIT: largest request body; the gateway's `_entities` batches must fit. */
  bodyLimit: number;
  http: HttpServerSettings;
  /** Signature window and replay cache (tests shorten them). */
  signature?: Omit<VerifyOptions, 'bodyLimit'>;
}

/**
 * 10 MB: the support subgraph's `_entities` request for 1,000 licenses' supportContact carries each
 * license's routing facts (holder, vendor, partners with their offers) and passed 1 MB.
 */
export const DEFAULT_SUBGRAPH_BODY_LIMIT = 10 * 1024 * 1024;

export function subgraphServiceSettings(env: Record<string, string | undefined> = process.env): SubgraphServiceSettings {
  return {
    secret: subgraphSecret(env),
    bodyLimit: env.SUBGRAPH_BODY_LIMIT ? byteSize(env.SUBGRAPH_BODY_LIMIT, 'SUBGRAPH_BODY_LIMIT') : DEFAULT_SUBGRAPH_BODY_LIMIT,
    http: httpServerSettings(env),
  };
}

const PASSED_THROUGH = (code: unknown) => typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';

/**
 * Errors a client may see are the GraphQLErrors raised on purpose, each with its code (NOT_FOUND,
 * BAD_USER_INPUT, Apollo's parse and validation errors…). Anything else (a database error with its
 * SQL, a refused connection with host and port, a bug) becomes INTERNAL_SERVER_ERROR with a generic
 * message and an errorId; the full error is logged once under that id.
 */
export function maskUnexpectedErrors(service: string) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = unwrapResolverError(error);
    if (cause instanceof GraphQLError && PASSED_THROUGH(formatted.extensions?.code)) return formatted;
    const { errorId } = internalError(service, cause, { path: formatted.path });
    return { message: INTERNAL_ERROR_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
  };
}

/** The subgraph's HTTP service over an open database; closing it also closes the database. */
export async function createSubgraphService<T extends object>(
  subgraph: SubgraphDefinition<T>,
  orm: SubgraphORM,
  settings: SubgraphServiceSettings = subgraphServiceSettings(),
): Promise<HttpService & { apollo: ApolloServer<T> }> {
  const schema = await subgraph.buildSchema();
  return createGraphQLService<T>({
    name: subgraph.name,
    apollo: (plugins) =>
      new ApolloServer<T>({
        schema,
        introspection: true,
        // Stack traces stay in the logs, never in answers to clients.
        includeStacktraceInErrorResponses: false,
        formatError: maskUnexpectedErrors(subgraph.name),
        // No Apollo usage reporting or federated tracing: this must run without internet access. No
        // landing page either: only the gateway talks to a subgraph, and every answer is JSON.
        plugins: [...plugins, ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
      }),
    context: async () => subgraph.createContext(orm),
    dispose: () => orm.close(true),
    bodyLimit: settings.bodyLimit,
    guard: settings.secret ? verifySubgraphSignature(settings.secret, { ...settings.signature, bodyLimit: settings.bodyLimit }) : undefined,
    http: settings.http,
    onListening: ({ host }) => {
      if (!settings.secret && !isLoopback(host)) {
        logEvent('warn', 'subgraph_unsigned', {
          service: subgraph.name,
          host,
          message: `the ${subgraph.name} subgraph listens on ${host} and serves unsigned requests: anyone who reaches it reads past the gateway; set SUBGRAPH_SECRET`,
        });
      }
    },
  });
}

export async function startSubgraph<T extends object>(subgraph: SubgraphDefinition<T>, port: number, options: DatabaseOptions): Promise<RunningServer> {
  const settings = subgraphServiceSettings();
  const orm = await openSubgraphDatabase(subgraph, options);
  return listen(await createSubgraphService(subgraph, orm, settings), port);
}
