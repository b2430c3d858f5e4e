/**
 * The environment is read at the entry points only: each parses `process.env` once through the
 * settings table (lib/command-line.ts commandLine) and passes the typed settings down. A module that read
 * `process.env` itself would bypass the table's checks (a bad value found late, after a database
 * was opened) and hide a setting from --help and docs/configuration.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../lib/commands';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['gateway', 'lib', 'subgraphs', 'app', 'scripts', 'examples'];

/** The entry points of the commands (lib/commands.ts: `node dist/X.js` runs X.ts). */
const COMMAND_ENTRIES = Object.values(COMMANDS).flatMap((command) =>
  command.usage.flatMap((line) => {
    const match = /^node dist\/(\S+)\.js\b/.exec(line);
    return match ? [`${match[1]}.ts`] : [];
  }),
);

/** Further processes of their own, and the few modules that touch the environment without reading a setting, each with why. */
const ALLOWED: Record<string, string> = {
  'scripts/launch.js': 'what npm run X runs: checks the environment through the table before building',
  'scripts/bench/gateway-under-test.ts': "a process the benchmark starts: parses its environment through the table; BENCH_GATEWAY is the benchmark's protocol",
  'scripts/bench/subgraph-replay.ts': 'a process the benchmark starts; SUBGRAPH_SECRET is the one the benchmark made for its children',
  'gateway/upstream/planner-guard.ts': 'passes the environment on to its probe child process (NODE_OPTIONS cleared); reads no setting',
  'subgraphs/providers/audit/audit-trail.ts': "USER: the operating system's user name when os.userInfo() has none (containers); not a setting",
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'migrations' ? [] : sources(file);
    return /\.(ts|js)$/.test(entry.name) ? [file] : [];
  });
}

/** `process.env` in code, not in comments (a comment may say where the environment is read). */
const readsEnvironment = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .some((line) => /\bprocess\.env\b/.test(line.replace(/\/\/.*$/, '')));

test('every command has an entry point file', () => {
  expect(COMMAND_ENTRIES).toHaveLength(Object.keys(COMMANDS).length);
  for (const file of COMMAND_ENTRIES) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
});

test('process.env is read at the entry points only (and the allowed files, each with its reason)', () => {
  const entryPoints = new Set([...COMMAND_ENTRIES, ...Object.keys(ALLOWED)]);
  const readers = FOLDERS.flatMap((folder) => sources(path.join(ROOT, folder)))
    .filter((file) => readsEnvironment(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
  expect(readers.filter((file) => !entryPoints.has(file)).sort()).toEqual([]);
  // An allowance nobody needs any more is removed, not kept.
  expect(Object.keys(ALLOWED).filter((file) => !readers.includes(file))).toEqual([]);
});
