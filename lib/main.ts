/**
 * Entry points: answer --help, parse the environment once through the settings table, start
 * something, stop cleanly on signals. Each entry point hands its `process.env` to commandLine and
 * passes the typed settings it gets back down; nothing below reads the environment.
 */
import { databaseSettings, scopeReaders } from './config';
import { COMMANDS, helpText, type Command, type CommandName } from './commands';
import { setLogLevel } from './log';
import type { Environment, SettingValues } from './settings';
import { readSettings } from './settings-table';
import { startSubgraph, type SubgraphDefinition } from './subgraph';
import { startTracing } from './tracing';

/**
 * The first thing every entry point does: `-h`/`--help` prints the command's help and exits 0 before
 * anything starts; then the environment it reads is parsed by the settings table, and every problem
 * is printed (each naming the variable and its value) before exiting 1, no stack trace. Returns the
 * arguments and the typed settings of the command; the log level is set from them.
 */
export function commandLine(name: CommandName, env: Environment, argv = process.argv.slice(2)): { args: string[]; settings: SettingValues } {
  const command: Command = COMMANDS[name];
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  const { values, problems } = readSettings(scopeReaders(command.configuration ?? {}), env);
  if (problems.length > 0) {
    console.error(`${name}: not started; ${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  const settings = values as SettingValues;
  if (settings.LOG_LEVEL) setLogLevel(settings.LOG_LEVEL);
  return { args: argv, settings };
}

/**
 * Runs `start` and keeps what it started until SIGINT/SIGTERM, then closes it and exits 0. A start
 * that fails prints `${label} failed to start: reason` (no stack trace) and exits 1. Traces are sent
 * when the settings name OTEL_EXPORTER_OTLP_ENDPOINT (lib/tracing.ts); the last ones at stop.
 */
export function runUntilSignalled(label: string, settings: SettingValues, start: () => Promise<{ close(): Promise<void> }>): void {
  let running: { close(): Promise<void> } | undefined;
  const tracing = startTracing({ endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT });
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

/** A subgraph's entry point (subgraphs/<name>/index.ts): its environment parsed, then the subgraph alone on its settings. */
export function runSubgraphMain<T extends object>(subgraph: SubgraphDefinition<T>, env: Environment): void {
  const { settings } = commandLine(subgraph.name, env);
  runUntilSignalled(`${subgraph.name} subgraph`, settings, async () => {
    const server = await startSubgraph(subgraph, settings, { database: databaseSettings(settings) });
    console.log(`${subgraph.name} subgraph ready at ${server.url}`);
    return server;
  });
}
