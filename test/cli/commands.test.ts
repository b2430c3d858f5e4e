/**
 * Every command as a real process (a private build, test/support/build.ts): `--help`/`-h` prints its
 * usage and starts nothing; a bad configuration is refused before anything starts, every problem
 * named with its variable and value, without a stack trace; a long import prints its progress; the
 * bad-file example of docs/operations.md prints what that page shows.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMANDS, type CommandName } from '../../lib/commands';
import { configurationProblems } from '../../lib/config';
import { buildProduct, ROOT, type Build } from '../support/build';
import { databaseUrl, dropTestSchemas } from '../support/stack';

/** Where each command's compiled entry point is. */
const ENTRY: Record<CommandName, string> = {
  stress: 'scripts/stress.js',
  start: 'scripts/start.js',
  import: 'scripts/import.js',
  schema: 'scripts/schema.js',
  bench: 'scripts/bench.js',
  'migration:create': 'scripts/create-migration.js',
  generate: 'scripts/generate.js',
  'bench:analytics': 'scripts/bench-analytics.js',
  client: 'examples/client/ask.js',
  mcp: 'scripts/mcp.js',
  gateway: 'gateway/index.js',
  providers: 'subgraphs/providers/index.js',
  licenses: 'subgraphs/licenses/index.js',
  support: 'subgraphs/support/index.js',
};
const NAMES = Object.keys(ENTRY) as CommandName[];

let build: Build;
let scratch: string;

beforeAll(async () => {
  build = await buildProduct();
}, 180_000);

afterAll(() => build?.remove());

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commands-test-'));
});

afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with exactly the variables given (plus PATH); kills it if it keeps running. */
function run(name: CommandName, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [build.entry(ENTRY[name]), ...args], { cwd: build.root, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A command that should have exited but serves instead is stopped here; the test then fails on its output.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

const noStackTrace = (output: string) => expect(output).not.toMatch(/^\s+at /m);

describe('--help', () => {
  test.each(
    NAMES.flatMap((name) => [
      [name, '--help'],
      [name, '-h'],
    ]),
  )(
    '%s %s prints the usage and what it does, and starts nothing',
    async (name, flag) => {
      const dataDir = path.join(scratch, 'data'); // a command that started would create it
      const { code, stdout, stderr } = await run(name as CommandName, [flag], { DATA_DIR: dataDir, PORT: '1', BENCH_REQUESTS: '1' });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const command = COMMANDS[name as CommandName];
      expect(stdout.split('\n')[0]).toBe(`usage: ${command.usage[0]}`);
      expect(stdout).toContain(command.description.split(' ').slice(0, 6).join(' '));
      expect(stdout).toMatch(/-h, --help/);
      expect(fs.existsSync(dataDir)).toBe(false);
    },
    90_000,
  );

  test('npm run client -- --help prints from the tables without a build (no npm on PATH, so a build could not even start)', async () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.client).toBe('node scripts/launch.js client');
    const { code, stdout, stderr } = await new Promise<Finished>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/launch.js'), 'client', '--help'], { cwd: ROOT, env: { PATH: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toBe(`usage: ${COMMANDS.client.usage[0]}`);
    for (const variable of ['GATEWAY_URL', 'ONYX_TOKEN']) expect(stdout).toMatch(new RegExp(`^  ${variable} `, 'm'));
  }, 90_000);

  test('the help names every variable a command checks', async () => {
    const { stdout } = await run('start', ['--help']);
    for (const variable of ['PORT', 'HOST', 'PROVIDERS_PORT', 'SUPPORT_URL', 'REDIS_URL', 'DATABASE_URL', 'DATA_DIR'])
      expect(stdout).toMatch(new RegExp(`^  ${variable} `, 'm'));
  }, 90_000);
});

describe('configuration checked at start', () => {
  test('the gateway reports every problem at once, each with its variable and value', async () => {
    const { code, stdout, stderr } = await run('gateway', [], {
      PORT: '4000x',
      HOST: 'not a host',
      PROVIDERS_URL: 'ftp://providers/graphql',
      LICENSES_URL: 'licenses:4002',
      REDIS_URL: 'http://redis:6379',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('5 configuration problem(s)');
    expect(stderr).toContain('PORT="4000x": must be a port number (0-65535)');
    expect(stderr).toContain('HOST="not a host": must be an IP address');
    expect(stderr).toContain('PROVIDERS_URL="ftp://providers/graphql": must be an http:// or https:// URL');
    expect(stderr).toContain('LICENSES_URL="licenses:4002": must be an http:// or https:// URL');
    expect(stderr).toContain('REDIS_URL="http://redis:6379": must be a redis:// or rediss:// URL');
    noStackTrace(stderr);
  }, 90_000);

  test.each([['providers'], ['licenses'], ['support']] as [CommandName][])(
    'the %s subgraph refuses a database that is not PostgreSQL, and a bad port',
    async (name) => {
      const { code, stderr } = await run(name, [], { DATABASE_URL: 'mysql://root@127.0.0.1:3306/onyx', [`${name.toUpperCase()}_PORT`]: '70000' });
      expect(code).toBe(1);
      expect(stderr).toContain('DATABASE_URL="mysql://root@127.0.0.1:3306/onyx": must be a PostgreSQL URL (postgres:// or postgresql://)');
      expect(stderr).toContain(`${name.toUpperCase()}_PORT="70000": must be a port number`);
      noStackTrace(stderr);
    },
    90_000,
  );

  test('npm start names a DATA_DIR that is a file, with its path', async () => {
    const file = path.join(scratch, 'not-a-directory');
    fs.writeFileSync(file, '');
    const { code, stdout, stderr } = await run('start', [], { DATA_DIR: file, SUPPORT_PORT: '-1' });
    expect(code).toBe(1);
    expect(stdout).not.toContain('ready');
    expect(stderr).toContain(`DATA_DIR=${JSON.stringify(file)}: ${file} is not a directory`);
    expect(stderr).toContain('SUPPORT_PORT="-1"');
    noStackTrace(stderr);
  }, 90_000);

  test('the import names a DATA_DIR that cannot be created, with its path, and touches no database', async () => {
    fs.writeFileSync(path.join(scratch, 'file'), '');
    const dataDir = path.join(scratch, 'file', 'data');
    const { code, stdout, stderr } = await run('import', [path.join(ROOT, 'seed', 'demo-directory.json')], { DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`DATA_DIR=${JSON.stringify(dataDir)}: ${dataDir} is not a writable directory (a parent is not a directory)`);
    noStackTrace(stderr);
  }, 90_000);

  const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0;
  (notRoot ? test : test.skip)(
    'the import names a DATA_DIR without write permission (not testable as root)',
    async () => {
      const dataDir = path.join(scratch, 'read-only');
      fs.mkdirSync(dataDir, { mode: 0o555 });
      const { code, stderr } = await run('import', [path.join(ROOT, 'seed', 'demo-directory.json')], { DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(stderr).toContain(`${dataDir} is not a writable directory (permission denied)`);
    },
    90_000,
  );

  test('the import refuses a DATABASE_URL that is not PostgreSQL instead of writing somewhere else', async () => {
    const { code, stderr } = await run('import', [path.join(ROOT, 'seed', 'demo-directory.json')], { DATABASE_URL: 'mysql://root@127.0.0.1/onyx' });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL="mysql://root@127.0.0.1/onyx": must be a PostgreSQL URL');
    noStackTrace(stderr);
  }, 90_000);

  test('migration:create refuses a DATABASE_URL that is not PostgreSQL', async () => {
    const { code, stderr } = await run('migration:create', ['providers'], { DATABASE_URL: 'sqlite:///tmp/x.db' });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL="sqlite:///tmp/x.db": must be a PostgreSQL URL');
  }, 90_000);
});

describe('configurationProblems', () => {
  const all = { gateway: true, subgraphs: ['providers', 'licenses', 'support'] as const, database: true };

  test('accepts what the product and its deployments use', () => {
    const dataDir = path.join(scratch, 'new', 'data'); // missing: the databases create it; the check writes nothing
    expect(configurationProblems(all, { DATA_DIR: dataDir })).toEqual([]);
    expect(fs.existsSync(dataDir)).toBe(false);
    for (const env of [
      { PORT: '0', PROVIDERS_PORT: '65535', HOST: '0.0.0.0', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      { HOST: '::', DATABASE_URL: 'postgresql:///onyx?host=/var/run/postgresql', DATABASE_SCHEMA_PREFIX: 'staging_' },
      {
        HOST: 'localhost',
        PROVIDERS_URL: 'http://providers:4001/graphql',
        SUPPORT_URL: 'https://support.example.org/graphql',
        REDIS_URL: 'rediss://:secret@redis:6380/0',
        DATABASE_URL: 'postgres://u:p@db/onyx',
      },
      { HOST: 'gateway.onyx.svc.cluster.local', PORT: '', DATABASE_URL: 'postgres://db/onyx' },
    ]) {
      expect(configurationProblems(all, env)).toEqual([]);
    }
  });

  test('checks only what a command reads', () => {
    const bad = { PORT: 'x', PROVIDERS_URL: 'x', DATABASE_URL: 'mysql://x/y', HOST: '?' };
    expect(configurationProblems({ database: true }, bad)).toEqual([
      'DATABASE_URL="mysql://x/y": must be a PostgreSQL URL (postgres:// or postgresql://); other databases are not supported',
    ]);
    expect(configurationProblems({ subgraphs: ['licenses'] }, { ...bad, LICENSES_PORT: '1.5' }).map((p) => p.split('=')[0])).toEqual([
      'LICENSES_PORT',
      'PROVIDERS_URL',
      'HOST',
    ]);
    expect(configurationProblems({}, bad)).toEqual([]);
  });

  test('a bad schema prefix is named only when PostgreSQL is used', () => {
    expect(configurationProblems({ database: true }, { DATABASE_URL: 'postgres://db/onyx', DATABASE_SCHEMA_PREFIX: 'drop table;' })).toEqual([
      'DATABASE_SCHEMA_PREFIX="drop table;": must be a plain identifier (letters, digits, _; not starting with a digit; at most 54 characters)',
    ]);
  });
});

describe('npm run import on files', () => {
  const schemaPrefix = databaseUrl ? `cmd_${process.pid}_` : undefined;
  const databaseEnv = () => (databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA_PREFIX: schemaPrefix } : { DATA_DIR: path.join(scratch, 'data') });

  afterEach(async () => {
    if (schemaPrefix) await dropTestSchemas(['providers', 'licenses', 'support'].map((name) => `${schemaPrefix}${name}`));
  });

  test('a long file prints the records validated and written to stderr; stdout keeps the result line', async () => {
    const licenses = Array.from({ length: 5_001 }, (_, i) => ({
      key: `LONG-${i}`,
      packageName: 'OnyxCeph³ 3D Pro',
      type: 'WORKSTATION',
      programVersion: '3.2',
      status: 'ACTIVE',
      holder: { name: `Praxis ${i}`, country: 'DE', language: 'de' },
    }));
    const file = path.join(scratch, 'long.json');
    const maker = { id: 'maker', name: 'Maker GmbH', roles: ['MANUFACTURER'], active: true, country: 'DE', serviceCountries: ['DE'], languages: ['de'] };
    fs.writeFileSync(file, JSON.stringify({ providers: [maker], licenses }));
    const { code, stdout, stderr } = await run('import', [file], databaseEnv());
    expect(code).toBe(0);
    expect(stdout).toBe(`${file}: imported 1 providers (0 offers) and 5001 licenses\n`);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`${file}: validated 5002 records, no problems; writing`);
    expect(lines).toContain(`${file}: written 5000 of 5002 records (99%)`);
    expect(lines[lines.length - 1]).toBe(`${file}: written 5002 of 5002 records (100%)`);
    const written = lines.slice(1).map((line) => Number(/written (\d+) of/.exec(line)![1]));
    expect(written).toEqual([...written].sort((a, b) => a - b));
  }, 180_000);

  test('the documented example: the demo, then examples/bad-directory.json, prints what docs/operations.md shows', async () => {
    const env = databaseEnv();
    expect((await run('import', ['seed/demo-directory.json'], env)).stdout).toBe(
      'seed/demo-directory.json: imported 15 providers (22 offers) and 11 licenses\n',
    );
    const bad = await run('import', ['examples/bad-directory.json'], env);
    expect(bad.code).toBe(1);
    const readme = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
    const shown = /\$ DATA_DIR=\$T npm run import -- examples\/bad-directory\.json; echo "exit \$\?"\n([\s\S]*?)\nexit 1\n/.exec(readme);
    expect(shown).not.toBeNull();
    expect(bad.stderr.trimEnd()).toBe(shown![1]);
  }, 180_000);
});
