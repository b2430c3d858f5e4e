/**
 * What every subgraph shares: open its own database (migrated), build its Apollo service without
 * listening (tests mount it in process), and start it on a port (index.ts, containers).
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { MigrationObject } from '@mikro-orm/core';
import type { GraphQLSchema } from 'graphql';
import type { DatabaseSettings, SubgraphName } from './config';
import { createGraphQLService, listen, type HttpService, type RunningServer } from './http';
import { initORM, migrateToLatest, type SubgraphOrmOptions, type SubgraphORM } from './orm';

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

/** The subgraph's HTTP service over an open database; closing it also closes the database. */
export async function createSubgraphService<T extends object>(subgraph: SubgraphDefinition<T>, orm: SubgraphORM): Promise<HttpService & { apollo: ApolloServer<T> }> {
  const schema = await subgraph.buildSchema();
  return createGraphQLService<T>({
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
    context: async () => subgraph.createContext(orm),
    dispose: () => orm.close(true),
  });
}

export async function startSubgraph<T extends object>(subgraph: SubgraphDefinition<T>, port: number, options: DatabaseOptions): Promise<RunningServer> {
  const orm = await openSubgraphDatabase(subgraph, options);
  return listen(await createSubgraphService(subgraph, orm), port);
}
