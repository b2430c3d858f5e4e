/** HTTP plumbing shared by the subgraphs and the gateway: express + Apollo Server, health, listen/close. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A built (not yet listening) HTTP service: tests mount it in process, index.ts listens. */
export interface HttpService {
  httpServer: http.Server;
  /** Release what the service holds (database pools) after the HTTP server has closed. */
  dispose?: () => Promise<void>;
}

export async function createGraphQLService<TContext extends BaseContext>(options: {
  name: string;
  apollo: (plugins: NonNullable<ConstructorParameters<typeof ApolloServer<TContext>>[0]['plugins']>) => ApolloServer<TContext>;
  context: ContextFunction<[ExpressContextFunctionArgument], TContext>;
  dispose?: () => Promise<void>;
}): Promise<HttpService & { app: Express; apollo: ApolloServer<TContext> }> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = options.apollo([ApolloServerPluginDrainHttpServer({ httpServer })]);
  await apollo.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: options.context }));
  return {
    app,
    httpServer,
    apollo,
    dispose: async () => {
      await apollo.stop();
      await options.dispose?.();
    },
  };
}

export function listen(service: HttpService, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    service.httpServer.once('error', reject);
    service.httpServer.listen(port, host, () => {
      const actual = (service.httpServer.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      const close = async () => {
        // Apollo's drain plugin closes the HTTP server when the Apollo server stops.
        if (service.dispose) await service.dispose();
        if (service.httpServer.listening) await new Promise<void>((r) => service.httpServer.close(() => r()));
      };
      resolve({
        port: actual,
        url: `http://127.0.0.1:${actual}/graphql`,
        // Idempotent: a test may stop one service early and the whole stack later.
        close: () => (closing ??= close()),
      });
    });
  });
}
