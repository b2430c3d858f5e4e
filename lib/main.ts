/** Entry points: answer --help, check the configuration, start something, stop cleanly on signals. */
import { configurationProblems, databaseSettings, subgraphPort } from './config';
import { COMMANDS, helpText, type Command, type CommandName } from './commands';
import { startSubgraph, type SubgraphDefinition } from './subgraph';
import { startTracing } from './tracing';

/**
 * The first thing every entry point does: `-h`/`--help` prints the command's help and exits 0 before
 * anything starts; then the environment it reads is checked, and every problem is printed (each
 * naming the variable and its value) before exiting 1. Returns the arguments for the command.
 */
export function commandLine(name: CommandName, argv = process.argv.slice(2)): string[] {
  const command: Command = COMMANDS[name];
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  const problems = configurationProblems(command.configuration ?? {});
  if (problems.length > 0) {
    console.error(`${name}: not started; ${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  return argv;
}

/**
 * Runs `start` and keeps what it started until SIGINT/SIGTERM, then closes it and exits 0. A start
 * that fails prints `${label} failed to start: reason` (no stack trace) and exits 1.
 */
export function runUntilSignalled(label: string, start: () => Promise<{ close(): Promise<void> }>): void {
  let running: { close(): Promise<void> } | undefined;
  // Traces are sent only with OTEL_EXPORTER_OTLP_ENDPOINT (lib/tracing.ts); the last ones at stop.
  const tracing = startTracing();
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

export function runSubgraphMain<T extends object>(subgraph: SubgraphDefinition<T>): void {
  commandLine(subgraph.name);
  runUntilSignalled(`${subgraph.name} subgraph`, async () => {
    const server = await startSubgraph(subgraph, subgraphPort(subgraph.name), { database: databaseSettings() });
    console.log(`${subgraph.name} subgraph ready at ${server.url}`);
    return server;
  });
}
