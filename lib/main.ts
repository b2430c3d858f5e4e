/** Entry points for running one service alone: read the environment, listen, stop cleanly on signals. */
import { databaseSettings, subgraphPort } from './config';
import type { RunningServer } from './http';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

export function stopOnSignals(servers: () => RunningServer[]): void {
  const stop = async (signal: string) => {
    console.log(`${signal} received, stopping`);
    await Promise.allSettled(servers().map((s) => s.close()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export function runSubgraphMain<T extends object>(subgraph: SubgraphDefinition<T>): void {
  let running: RunningServer | undefined;
  stopOnSignals(() => (running ? [running] : []));
  startSubgraph(subgraph, subgraphPort(subgraph.name), { database: databaseSettings() })
    .then((server) => {
      running = server;
      console.log(`${subgraph.name} subgraph ready at ${server.url}`);
    })
    .catch((error) => {
      console.error(`${subgraph.name} subgraph failed to start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    });
}
