/**
 * One settings table (lib/settings-table.js): docs/configuration.md's variable table is generated
 * from it, `--help` answers from it without a build, and a bad environment is refused, every problem
 * named, before anything is built, opened or written.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SETTINGS } from '../../lib/settings-table';

const ROOT = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS generator shared with the command line
const { pageWithTable, PAGE } = require('../../scripts/settings-doc.js') as { pageWithTable(page: string): string; PAGE: string };

async function launch(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/launch.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('every variable is declared once', () => {
  const names = SETTINGS.map((s) => s.name);
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
});

/**
 * Variables the code reads that are deliberately not settings: the operating system's user (an
 * import's operator in the audit trail), test hooks of the import, the benchmark's own child
 * process protocol (scripts/bench sets them for processes it starts) and a debugging hook of the
 * stress run (which bad requests), and libuv's thread pool size, which the import gives a default
 * when the operator set none (Node's own variable: scrypt hashes run on that pool).
 */
const NOT_SETTINGS = new Set(['USER', 'IMPORT_PAUSE_AT', 'IMPORT_TRACE', 'BENCH_GATEWAY', 'BAD_REQUESTS_ONLY', 'UV_THREADPOOL_SIZE']);

test('the typed settings (lib/settings.ts SettingValues) are exactly the variables of the table', () => {
  // The code reads a setting as settings.NAME, typed by this interface; TypeScript refuses any other name.
  const source = fs.readFileSync(path.join(ROOT, 'lib/settings.ts'), 'utf8');
  const body = /export interface SettingValues \{([\s\S]*?)\n\}/.exec(source)![1];
  const typed = [...body.matchAll(/^\s+([A-Z][A-Z0-9_]+)\?:/gm)].map((match) => match[1]);
  expect(typed.sort()).toEqual(SETTINGS.map((s) => s.name).sort());
});

/**
 * Raw reads (`process.env.NAME`, `env.NAME`): the entry points' test hooks and child protocols
 * (test/repo/environment.test.ts keeps them at the entry points); anything else must be a setting.
 */
test('every variable the product reads is in the table', () => {
  const declared = new Set(SETTINGS.map((s) => s.name));
  const read = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|js)$/.test(entry.name))
        for (const match of fs.readFileSync(file, 'utf8').matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) read.add(match[1]);
    }
  };
  for (const dir of ['gateway', 'lib', 'subgraphs', 'app', 'scripts', 'examples']) walk(path.join(ROOT, dir));
  expect([...read].filter((name) => !declared.has(name) && !NOT_SETTINGS.has(name)).sort()).toEqual([]);
});

test('docs/configuration.md lists exactly the table (node scripts/settings-doc.js regenerates it)', () => {
  const page = fs.readFileSync(PAGE, 'utf8');
  expect(page).toBe(pageWithTable(page));
});

test('--help lists what the gateway reads, from the table, without a build', async () => {
  const { code, stdout } = await launch(['start', '--help']);
  expect(code).toBe(0);
  for (const variable of ['JWT_SECRET', 'SUBGRAPH_SECRET', 'GRAPHIQL', 'LOG_LEVEL', 'RATE_LIMIT_PER_MINUTE', 'MAX_DEPTH', 'DATA_DIR']) {
    expect(stdout).toMatch(new RegExp(`^  ${variable} `, 'm'));
  }
});

test('a bad environment is refused with every problem named, no stack trace, nothing written', async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settings-')), 'data');
  const { code, stdout, stderr } = await launch(['start'], { MAX_DEPTH: 'x', LOG_LEVEL: 'loud', DATA_DIR: dataDir });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toContain('2 configuration problem(s)');
  expect(stderr).toContain('MAX_DEPTH="x": must be a whole number of 0 or more');
  expect(stderr).toContain('LOG_LEVEL="loud": must be one of debug, info, warn, error');
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(fs.existsSync(dataDir)).toBe(false);
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});
