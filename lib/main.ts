/**
 * Entry points: start something, stop cleanly on signals. The command line (--help, the settings)
 * is lib/command-line.ts, which each entry point calls first; nothing below reads the environment.
 * Light like it (tracing and the subgraph server are loaded when they start), so that an entry point
 * may import both before the checks run.
 */
import { databaseSettings } from './config';
import type { SettingValues } from './settings';
import type { SubgraphDefinition } from './subgraph';

/** Beyond the drain delay and the shutdown timeout, how long releasing the rest (pools, Redis, traces) may take before the process exits anyway. */
export const SHUTDOWN_RELEASE_MS = 5_000;

/**
 * Runs `start` and keeps what it started until SIGINT/SIGTERM, then closes it gracefully
 * (lib/http.ts listen: not ready first, in-flight requests finished, connections closed after their
 * answer) and exits 0. The stop never outlasts HTTP_DRAIN_DELAY_MS + HTTP_SHUTDOWN_TIMEOUT_MS by
 * more than SHUTDOWN_RELEASE_MS (then it exits 1), and a second signal exits at once (a person pressing
 * Ctrl-C twice). A signal during start-up stops what has started once it has. A start that fails
 * prints `${label} failed to start: reason` (no stack trace) and exits 1. Traces are sent when the
 * settings name OTEL_EXPORTER_OTLP_ENDPOINT (lib/tracing.ts); the last ones at stop.
 */
export function runUntilSignalled(label: string, settings: SettingValues, start: () => Promise<{ close(): Promise<void> }>): void {
  let started: Promise<{ close(): Promise<void> } | undefined> = Promise.resolve(undefined);
  const tracing = import('./tracing').then(({ startTracing }) => startTracing({ endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log(`${signal} received again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal} received, stopping`);
    const budget = (settings.HTTP_DRAIN_DELAY_MS ?? 0) + (settings.HTTP_SHUTDOWN_TIMEOUT_MS ?? 10_000) + SHUTDOWN_RELEASE_MS;
    setTimeout(() => {
      console.error(`${label} did not stop within ${budget} ms; exiting`);
      process.exit(1);
    }, budget).unref();
    const running = await started.catch(() => undefined);
    await running?.close().catch((error) => console.error(`${label}: ${error instanceof Error ? error.message : error} while stopping`));
    await (await tracing.catch(() => undefined))?.().catch(() => undefined);
    console.log(`${label} stopped`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  started = tracing.then(start);
  started.catch((error) => {
    console.error(`${label} failed to start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
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
