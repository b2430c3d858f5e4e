/**
 * An entry point's first step: answer --help, parse the environment once through the settings table
 * and pass the typed settings down. Light on purpose (the command and settings tables and the log
 * level, nothing of the engine, the ORM or tracing): an entry point calls it before it loads the
 * product, so `node dist/gateway/index.js --help` or a bad variable answers in a tenth of a second
 * instead of the two seconds that loading everything takes.
 */
import { scopeReaders } from './config';
import { COMMANDS, helpText, type Command, type CommandName } from './commands';
import { setLogLevel } from './log';
import type { Environment, SettingValues } from './settings';
import { readSettings } from './settings-table';

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
