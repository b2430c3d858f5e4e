/** Entry points: start something that listens, report failure plainly, stop cleanly on signals. */
import { databaseSettings, subgraphPort } from './config';
import { startSubgraph, type SubgraphDefinition } from './subgraph';

/**
 * Runs `start` and keeps what it started until SIGINT/SIGTERM, then closes it and exits 0. A start
 * that fails prints `${label} failed to start: reason` (no stack trace) and exits 1.
 */
export function runUntilSignalled(label: string, start: () => Promise<{ close(): Promise<void> }>): void {
  let running: { close(): Promise<void> } | undefined;
  const stop = async (signal: string) => {
    console.log(`${signal} received, stopping`);
    await running?.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  start().then(
    (started) => {
      running = started;
    },
    (error) => {
      console.error(`${label} failed to start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}

export function runSubgraphMain<T extends object>(subgraph: SubgraphDefinition<T>): void {
  runUntilSignalled(`${subgraph.name} subgraph`, async () => {
    const server = await startSubgraph(subgraph, subgraphPort(subgraph.name), { database: databaseSettings() });
    console.log(`${subgraph.name} subgraph ready at ${server.url}`);
    return server;
  });
}
