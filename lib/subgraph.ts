/**
 * What every subgraph shares: open its own database (migrated), build its Apollo service without
 * listening (tests mount it in process), and start it on a port (index.ts, containers).
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { MigrationObject } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { Express } from 'express';
import type { DatabaseSettings, SubgraphName } from './config';
import { createGraphQLService, listen, type HttpService, type RunningServer } from './http';
import { initORM, migrateToLatest, type SubgraphOrmOptions, type SubgraphORM } from './orm';

export interface SubgraphDefinition<TContext extends object, TServing extends SubgraphServing = SubgraphServing> {
  name: SubgraphName;
  entities: Function[];
  migrations: { sqlite: MigrationObject[]; postgresql: MigrationObject[] };
  buildSchema(): Promise<GraphQLSchema>;
  /** A fresh context per request: its own em.fork() and DataLoaders, or what it reads from `serving`. */
  createContext(orm: SubgraphORM, serving: TServing): TContext | Promise<TContext>;
  /** Reference data the subgraph's database must always hold, written after migrating. */
  ensureReferenceData?(orm: SubgraphORM): Promise<void>;
  /** What the service keeps while it serves (in-memory snapshots, change feeds); built before it listens. */
  serve?(orm: SubgraphORM, options: ServeOptions): Promise<TServing>;
}

/** Held by a running subgraph service beside its database; closed before the database. */
export interface SubgraphServing {
  /** Extra `GET` routes beside /graphql and /health: path -> the JSON body to answer with. */
  routes?: Record<string, () => unknown>;
  close?(): Promise<void>;
}

export interface ServeOptions {
  /** Redis shared by the replicas (REDIS_URL); unset: nothing shared beyond the database. */
  redisUrl?: string;
}

export type DatabaseOptions = { database: DatabaseSettings } & Pick<SubgraphOrmOptions, 'sqliteFile' | 'pgSchema' | 'onQuery'>;

/** Opens the subgraph's database and brings it to the newest migration. */
export async function openSubgraphDatabase<T extends object, S extends SubgraphServing>(subgraph: SubgraphDefinition<T, S>, options: DatabaseOptions): Promise<SubgraphORM> {
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

/** The subgraph's HTTP service over an open database; closing it also closes the database. */
export async function createSubgraphService<T extends object, S extends SubgraphServing = SubgraphServing>(
  subgraph: SubgraphDefinition<T, S>,
  orm: SubgraphORM,
  options: ServeOptions = { redisUrl: process.env.REDIS_URL || undefined },
): Promise<HttpService & { apollo: ApolloServer<T>; serving: S }> {
  const schema = await subgraph.buildSchema();
  const serving = subgraph.serve ? await subgraph.serve(orm, options) : ({} as S);
  let service: HttpService & { app: Express; apollo: ApolloServer<T> };
  try {
    service = await createGraphQLService<T>({
      name: subgraph.name,
      apollo: (plugins) =>
        new ApolloServer<T>({
          schema,
          introspection: true,
          // Stack traces stay in the logs, never in answers to clients.
          includeStacktraceInErrorResponses: false,
          // No Apollo usage reporting or federated tracing: this must run without internet access.
          plugins: [...plugins, ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginInlineTraceDisabled()],
        }),
      context: async () => subgraph.createContext(orm, serving),
      dispose: async () => {
        await serving.close?.();
        await orm.close(true);
      },
    });
  } catch (error) {
    await serving.close?.();
    throw error;
  }
  for (const [path, body] of Object.entries(serving.routes ?? {})) service.app.get(path, (_req, res) => void res.json(body()));
  return { ...service, serving };
}

export async function startSubgraph<T extends object, S extends SubgraphServing>(subgraph: SubgraphDefinition<T, S>, port: number, options: DatabaseOptions): Promise<RunningServer> {
  const orm = await openSubgraphDatabase(subgraph, options);
  return listen(await createSubgraphService(subgraph, orm), port);
}
