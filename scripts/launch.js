#!/usr/bin/env node
/**
 * What `npm start`, `npm run import` and the other npm scripts run: `node scripts/launch.js NAME [args]`.
 *
 * `--help` is printed from the command table (lib/commands.ts) and the settings table
 * (lib/settings-table.js) without building, and a bad environment variable is reported, all
 * problems at once, before anything is built, opened or written. Only then is the product built
 * (`npm run build`) and the compiled entry point run in this process (it checks again: the same
 * code, for `node dist/...` in containers).
 *
 * Hand-written because the two tables are TypeScript code the build compiles: this file loads them
 * with the TypeScript compiler's transpileModule (a dev dependency; types are not checked here,
 * `npm run build` does that), which takes about a second instead of the 30–50 s of a full build.
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const [name, ...args] = process.argv.slice(2);

/** Loads lib/*.ts from source: each file transpiled alone to CommonJS (no type check, no output written). */
function loadFromSource(file) {
  const ts = require('typescript');
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
  try {
    return require(path.join(ROOT, file));
  } finally {
    require.extensions['.ts'] = previous;
  }
}

const { COMMANDS, helpText } = loadFromSource('lib/commands.ts');
const { configurationProblems } = loadFromSource('lib/config.ts');
const command = COMMANDS[name];
if (!command) {
  console.error(`launch: unknown command "${name}"; one of ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(helpText(command));
  process.exit(0);
}
const problems = configurationProblems(command.configuration ?? {}, process.env);
if (problems.length > 0) {
  console.error(`${name}: not started; ${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
// A command whose stdout is a protocol (npm run mcp) gets the build's output on stderr, and keeps its stdin.
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: command.stdoutIsProtocol ? ['ignore', 2, 'inherit'] : 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The compiled entry point, as `node dist/...` would run it: its own argv, in this process.
const script = path.join(ROOT, command.usage.find((line) => line.startsWith('node '))?.split(' ')[1] ?? '');
process.argv = [process.argv[0], script, ...args];
require(script);
