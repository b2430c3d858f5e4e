/**
 * Entry points: start something, stop cleanly on signals. The command line (--help, the settings)
 * is lib/command-line.ts, which each entry point calls first; nothing below reads the environment.
 * Light like it (tracing and the subgraph server are loaded when they start), so that an entry point
 * may import both before the checks run.
 */
import { databaseSettings } from './config';
import type { SettingValues } from './settings';
import type { SubgraphDefinition } from './subgraph';

/**
 * Runs `start` and keeps what it started until SIGINT/SIGTERM, then closes it and exits 0. A start
 * that fails prints `${label} failed to start: reason` (no stack trace) and exits 1. Traces are sent
 * when the settings name OTEL_EXPORTER_OTLP_ENDPOINT (lib/tracing.ts); the last ones at stop.
 */
export function runUntilSignalled(label: string, settings: SettingValues, start: () => Promise<{ close(): Promise<void> }>): void {
  let running: { close(): Promise<void> } | undefined;
  const tracing = import('./tracing').then(({ startTracing }) => startTracing({ endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }));
  const stop = async (signal: string) => {
    console.log(`${signal} received, stopping`);
    await running?.close().catch(() => undefined);
    await (await tracing.catch(() => undefined))?.().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  tracing.then(start).then(
    (started) => {
      running = started;
    },
    (error) => {
      console.error(`${label} failed to start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}

/**
 * A subgraph's entry point (subgraphs/<name>/index.ts), once its command line is read: loads the
 * subgraph (`load`, an import() of its definition, so that --help never waits for the ORM) and runs it
 * alone on its settings; a definition that fails to load is reported like any failed start.
 */
export function runSubgraph<T extends object>(name: string, settings: SettingValues, load: () => Promise<SubgraphDefinition<T>>): void {
  runUntilSignalled(`${name} subgraph`, settings, async () => {
    const [subgraph, { startSubgraph }] = await Promise.all([load(), import('./subgraph')]);
    const server = await startSubgraph(subgraph, settings, { database: databaseSettings(settings) });
    console.log(`${subgraph.name} subgraph ready at ${server.url}`);
    return server;
  });
}
