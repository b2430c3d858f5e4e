/**
 * The real commands as separate processes (docs/api.md "Commands"): `npm run import -- FILE.json`
 * and `npm start`, run as `node dist/scripts/import.js` / `node dist/scripts/start.js` after one
 * build, each test on its own temp DATA_DIR (or its own PostgreSQL schemas when DATABASE_URL is set).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProduct, type Build } from '../support/build';
import { ADMIN, databaseUrl, dropTestSchemas, TEST_JWT_SECRET, tokenFor } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');
// The run's shared private build (test/support/build.ts): never the repository's own dist/.
let build: Build;
const IMPORT_SCRIPT = () => build.entry('scripts/import.js');
const START_SCRIPT = () => build.entry('scripts/start.js');
const SUBGRAPHS = ['providers', 'licenses', 'support'];
const READY_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

// ---- one sandbox per test: a temp DATA_DIR and, on PostgreSQL, fresh schemas ----------------------

interface Sandbox {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  schemaPrefix?: string;
}

let sandboxes = 0;
let sandbox: Sandbox;

function createSandbox(): Sandbox {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET };
  for (const name of ['DATABASE_URL', 'DATABASE_SCHEMA_PREFIX', 'PORT', 'PROVIDERS_PORT', 'LICENSES_PORT', 'SUPPORT_PORT', 'SUBGRAPH_SECRET']) delete env[name];
  if (!databaseUrl) return { dataDir, env };
  const schemaPrefix = `cli_${process.pid}_${++sandboxes}_`;
  return { dataDir, schemaPrefix, env: { ...env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA_PREFIX: schemaPrefix } };
}

async function removeSandbox({ dataDir, schemaPrefix }: Sandbox): Promise<void> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (schemaPrefix) await dropTestSchemas(SUBGRAPHS.map((name) => `${schemaPrefix}${name}`));
}

/** Writes `content` (JSON-encoded unless a string) into the sandbox and returns its path. */
function writeFile(name: string, content: unknown): string {
  const file = path.join(sandbox.dataDir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

// ---- the commands ---------------------------------------------------------------------------------

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An import running in the background (so that a test can kill it at a step). */
interface RunningImport {
  /** Resolves once `text` has been printed on stdout; rejects if the import ends first. */
  printed(text: string): Promise<void>;
  kill(): void;
  finished: Promise<Finished & { signal: NodeJS.Signals | null }>;
}

const runningImports = new Set<RunningImport>();

function spawnImport(file: string | undefined, env: NodeJS.ProcessEnv = {}): RunningImport {
  const child = spawn(process.execPath, file === undefined ? [IMPORT_SCRIPT()] : [IMPORT_SCRIPT(), file], { cwd: ROOT, env: { ...sandbox.env, ...env } });
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    for (const check of waiting) check();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const finished = new Promise<Finished & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      runningImports.delete(running);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const running: RunningImport = {
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!stdout.includes(text)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
        finished.then(() => reject(new Error(`the import ended before printing "${text}":\n${stdout}${stderr}`)));
      }),
    kill: () => child.kill('SIGKILL'),
    finished,
  };
  runningImports.add(running);
  return running;
}

/** `npm run import -- FILE.json` (no argument when `file` is undefined). */
async function runImport(file?: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const { code, stdout, stderr } = await spawnImport(file, env).finished;
  return { code, stdout, stderr };
}

interface Product {
  /** The gateway's base URL, e.g. http://127.0.0.1:4321 */
  url: string;
  /** Everything printed so far (stdout and stderr). */
  readonly output: string;
  /** SIGTERM, then waits for the exit (SIGKILL if it does not come). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every started process, so afterEach can stop whatever a failing test left running. */
const running = new Set<Product>();

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * `npm start`: resolves once the gateway prints that it is ready. `terminal`: its output goes to a
 * pseudo-terminal (util-linux `script`), as when a person runs it, instead of a pipe.
 */
async function startProduct(options: { env?: NodeJS.ProcessEnv; terminal?: boolean } = {}): Promise<Product> {
  // Port 0 everywhere: the processes bind what the kernel hands out and the gateway prints its URL.
  // Ports picked free beforehand could be taken by a parallel test before start binds them.
  const env = { ...sandbox.env, PORT: '0', PROVIDERS_PORT: '0', LICENSES_PORT: '0', SUPPORT_PORT: '0', ...options.env };
  const child = options.terminal
    ? spawn('script', ['--quiet', '--return', '--flush', '--command', `exec '${process.execPath}' '${START_SCRIPT()}'`, '/dev/null'], { cwd: ROOT, env })
    : spawn(process.execPath, [START_SCRIPT()], { cwd: ROOT, env });
  let output = '';
  let url = '';
  const product: Product = {
    get url() {
      return url;
    },
    get output() {
      return output;
    },
    async stop() {
      running.delete(product);
      const exit = exited(child);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exit;
      } finally {
        clearTimeout(killer);
      }
    },
  };
  running.add(product);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "gateway ready at" within ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
      const collect = (chunk: Buffer) => {
        output += String(chunk).replace(/\r\n/g, '\n'); // a terminal's line ends
        const ready = /gateway ready at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output);
        if (ready) {
          url = ready[1];
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`start exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await product.stop();
    throw error;
  }
  return product;
}

/** POSTs a query as an admin (licenses answer only callers who may see them), or with `token`. */
async function graphql<T = any>(url: string, query: string, token?: string): Promise<{ data?: T; errors?: any[] }> {
  const authorization = `Bearer ${token ?? (await tokenFor(ADMIN))}`;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: T; errors?: any[] };
}

const supportContactQuery = (licenseKey: string) =>
  `{ supportContact(licenseKey: "${licenseKey}", topic: "server-installation") { contacts { id } escalation { id } billedBy { id } explanation } }`;

const ids = (providers: { id: string }[]) => providers.map((p) => p.id);

// ---- a small directory file (docs/directory-file.md) --------------------------------------------------

const MANUFACTURER = 'acme-maker';
const DISTRIBUTOR = 'acme-dist';
const LICENSE = 'CLI-0001';

const provider = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Provider ${id}`,
  roles: ['SUPPORT_PARTNER'],
  active: true,
  country: 'DE',
  serviceCountries: ['DE', 'AT'],
  languages: ['de', 'en'],
  ...overrides,
});

const license = (key: string, overrides: Record<string, unknown> = {}) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'NETWORK',
  programVersion: '3.2',
  status: 'ACTIVE',
  holder: { name: 'Praxis Beispiel', country: 'AT', language: 'de' },
  vendorId: DISTRIBUTOR,
  supportPartnerId: null,
  maintenancePaidThrough: '2026-12-31',
  ...overrides,
});

const SMALL_DIRECTORY = {
  providers: [
    provider(MANUFACTURER, { name: 'Acme Maker GmbH', roles: ['MANUFACTURER'] }),
    provider(DISTRIBUTOR, {
      name: 'Acme Distribution',
      roles: ['DISTRIBUTOR'],
      offers: [{ id: 'acme-level0', service: 'TECHNICAL_SUPPORT', title: 'Level 0 flat rate', price: { amount: '240.00', currency: 'EUR' }, unit: 'ANNUAL' }],
    }),
  ],
  licenses: [license(LICENSE)],
};

// ---- the tests ------------------------------------------------------------------------------------

beforeAll(async () => {
  build = await buildProduct();
}, 300_000);

afterAll(() => build?.remove());

beforeEach(() => {
  sandbox = createSandbox();
});

afterEach(async () => {
  for (const running of runningImports) running.kill();
  await Promise.all([...runningImports].map((running) => running.finished));
  await Promise.all([...running].map((product) => product.stop()));
  await removeSandbox(sandbox);
});

describe('npm start', () => {
  it(
    'loads the demo on an empty DATA_DIR, prints the gateway URL and an example, answers the headline query',
    async () => {
      const product = await startProduct();

      expect(product.output).toContain(`gateway ready at ${product.url}/graphql`);
      expect(product.output).toContain('loaded the demo');
      expect(product.output).toContain(databaseUrl ? 'data: PostgreSQL (DATABASE_URL)' : `data: SQLite files in ${sandbox.dataDir}`);
      expect(product.output).toContain(`curl -s ${product.url}/graphql`);
      expect((await fetch(`${product.url}/health`)).status).toBe(200);
      expect((await fetch(`${product.url}/ready`)).status).toBe(200);

      const { data, errors } = await graphql(product.url, supportContactQuery('OC3-DEMO-0001'));
      expect(errors).toBeUndefined();
      expect(ids(data.supportContact.contacts)).toEqual(['nordkiefer-demo']);
      expect(ids(data.supportContact.escalation)).toEqual(['image-instruments']);
      expect(data.supportContact.billedBy).toEqual({ id: 'nordkiefer-demo' });
      expect(data.supportContact.explanation).toEqual(expect.any(String));

      // Working tokens never go to a pipe (a log collector): the output says where they are, in a
      // file only this user can read. One per role, signed with JWT_SECRET; the holder's reads its own license only.
      const tokensFile = path.join(sandbox.dataDir, 'demo-tokens.txt');
      expect(product.output).toContain(`are not printed: this output is not a terminal. They are in ${tokensFile}`);
      expect(product.output).not.toMatch(/Bearer [\w-]+\.[\w-]+\./);
      expect(product.output).not.toContain(TEST_JWT_SECRET);
      expect(fs.statSync(tokensFile).mode & 0o777).toBe(0o600);
      const tokens = fs.readFileSync(tokensFile, 'utf8');
      expect(tokens.match(/authorization: Bearer /g)).toHaveLength(4);
      const holderToken = /^holder of OC3-DEMO-0001 .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(tokens)?.[1];
      expect(holderToken).toBeDefined();
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0001'), holderToken)).errors).toBeUndefined();
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0002'), holderToken)).errors?.[0].extensions.code).toBe('NOT_FOUND');

      // Every printed example is a working request, sent as printed (with its token, or none).
      const examples = [
        ...`${product.output}\n${tokens}`.matchAll(
          /^curl -s \S+ -H 'content-type: application\/json'(?: -H 'authorization: (Bearer [\w.-]+)')? \\\n {2}-d '(.*)'$/gm,
        ),
      ];
      // The anonymous directory, one per demo role, and a practice's signIn with a demo access code.
      expect(examples).toHaveLength(6);
      const answers = [];
      for (const [, authorization, body] of examples) {
        const response = await fetch(`${product.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body,
        });
        const answer = (await response.json()) as any;
        expect(answer.errors).toBeUndefined();
        answers.push(answer.data);
      }
      expect(answers.find((a) => a.providers)?.providers.length).toBeGreaterThan(0); // anonymous: the public directory
      const holderAnswer = answers.find((a) => a.supportContact?.contacts[0]?.name === 'Nordkiefer Demo Dentalsoftware GmbH');
      expect(holderAnswer).toBeDefined();
      expect(answers.find((a) => a.signIn)?.signIn.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/); // the printed access code signs in

      // SIGTERM stops it cleanly.
      expect(await product.stop()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'without JWT_SECRET, shows the generated secret only shortened; the tokens in the file are signed with it',
    async () => {
      const product = await startProduct({ env: { JWT_SECRET: '' } });
      const tokens = fs.readFileSync(path.join(sandbox.dataDir, 'demo-tokens.txt'), 'utf8');
      for (const text of [product.output, tokens]) expect(text).not.toMatch(/[0-9a-f]{64}/);
      expect(tokens).toMatch(/signed with a JWT_SECRET generated for this run, [0-9a-f]{6}… \(64 characters, not shown in full\)/);
      const adminToken = /^admin .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(tokens)?.[1];
      expect((await graphql(product.url, '{ licenses { totalCount } }', adminToken)).data.licenses.totalCount).toBeGreaterThan(0);
      await product.stop();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'to a terminal, prints the tokens (and writes no file)',
    async () => {
      const product = await startProduct({ terminal: true, env: { JWT_SECRET: '' } });
      expect(product.output.match(/authorization: Bearer /g)).toHaveLength(4);
      expect(product.output).toMatch(/signed with a JWT_SECRET generated for this run, [0-9a-f]{6}… \(64 characters/);
      expect(product.output).not.toMatch(/[0-9a-f]{64}/);
      expect(fs.existsSync(path.join(sandbox.dataDir, 'demo-tokens.txt'))).toBe(false);
      const holderToken = /^holder of OC3-DEMO-0001 .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(product.output)?.[1];
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0001'), holderToken)).errors).toBeUndefined();
      await product.stop();
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm run import -- FILE.json, then npm start', () => {
  it(
    'imports idempotently, and start serves the imported data instead of the demo',
    async () => {
      const file = writeFile('directory.json', SMALL_DIRECTORY);

      const first = await runImport(file);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain('imported 2 providers (1 offers) and 1 licenses');
      const second = await runImport(file);
      expect(second).toEqual(first);

      const product = await startProduct();
      expect(product.output).not.toContain('loaded the demo');

      const { data } = await graphql(
        product.url,
        `
          {
            providers {
              id
              offers {
                id
              }
            }
          }
        `,
      );
      expect(data.providers).toHaveLength(2);
      expect(data.providers).toEqual(
        expect.arrayContaining([
          { id: MANUFACTURER, offers: [] },
          { id: DISTRIBUTOR, offers: [{ id: 'acme-level0' }] },
        ]),
      );

      const imported = await graphql(product.url, supportContactQuery(LICENSE));
      expect(imported.errors).toBeUndefined();
      expect(ids(imported.data.supportContact.contacts)).toEqual([DISTRIBUTOR]);

      const demo = await graphql(product.url, supportContactQuery('OC3-DEMO-0001'));
      expect(demo.errors).toHaveLength(1);
      expect(demo.errors![0].extensions.code).toBe('NOT_FOUND');
      expect(demo.errors![0].message).toContain('OC3-DEMO-0001');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is all-or-nothing: a file with invalid records changes nothing and names each bad record',
    async () => {
      expect((await runImport(writeFile('directory.json', SMALL_DIRECTORY))).code).toBe(0);

      const mixed = writeFile('mixed.json', {
        providers: [
          provider(MANUFACTURER, { name: 'Renamed Maker GmbH', roles: ['MANUFACTURER'] }), // valid on its own
          provider(DISTRIBUTOR, {
            roles: ['DISTRIBUTOR'],
            offers: [{ id: 'acme-level0', service: 'TECHNICAL_SUPPORT', title: 'Level 0', price: { amount: 99, currency: 'EUR' }, unit: 'ANNUAL' }],
          }),
        ],
        licenses: [license('CLI-0002', { vendorId: 'nobody-knows-me' })],
      });
      const result = await runImport(mixed);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(mixed);
      expect(result.stderr).toContain(`providers[1] (${DISTRIBUTOR}).offers[0].price.amount`);
      expect(result.stderr).toContain('decimal string');
      expect(result.stderr).toContain('licenses[0] (CLI-0002).vendorId');
      expect(result.stderr).toContain('nobody-knows-me');

      const product = await startProduct();
      const { data } = await graphql(product.url, `{ provider(id: "${MANUFACTURER}") { name } license(key: "CLI-0002") { key } }`);
      expect(data).toEqual({ provider: { name: 'Acme Maker GmbH' }, license: null });
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm run import: usage errors', () => {
  const noStackTrace = (stderr: string) => expect(stderr).not.toContain('    at ');

  it('without a file argument prints a usage line and fails', async () => {
    const { code, stderr } = await runImport();
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/usage: .*import.*FILE\.json/i);
    noStackTrace(stderr);
  });

  it('with a file that is not JSON fails naming the file', async () => {
    const file = writeFile('not-json.json', 'this is { not JSON');
    const { code, stderr } = await runImport(file);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    noStackTrace(stderr);
  });

  it('with a file that does not exist fails naming the file', async () => {
    const file = path.join(sandbox.dataDir, 'missing.json');
    const { code, stderr } = await runImport(file);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    noStackTrace(stderr);
  });
});

// ---- a killed import, concurrent imports (docs/operations.md "Import guarantees") -----------------------------

const IMPORT_STEPS = ['locked', 'providers-written', 'licenses-written', 'committed'] as const;
const NEWCOMER = 'acme-dist-2';

/** The second version of SMALL_DIRECTORY: a renamed manufacturer, a new distributor with an offer, its licenses. */
const directoryV2 = (licenses: number) => ({
  providers: [
    provider(MANUFACTURER, { name: 'Acme Maker v2', roles: ['MANUFACTURER'] }),
    provider(NEWCOMER, {
      name: 'Acme Distribution 2',
      roles: ['DISTRIBUTOR'],
      offers: [{ id: 'acme2-level0', service: 'TECHNICAL_SUPPORT', title: 'Level 0', price: { amount: '120.00', currency: 'EUR' }, unit: 'ANNUAL' }],
    }),
  ],
  licenses: Array.from({ length: licenses }, (_, i) => license(`CLI-V2-${String(i).padStart(6, '0')}`, { vendorId: NEWCOMER })),
});

/** What a reader sees of both databases in one request: each half of V2 shows in another field. */
const PROBE = `{
  provider(id: "${MANUFACTURER}") { name }
  newcomer: provider(id: "${NEWCOMER}") { id offers { id } }
  license(key: "CLI-V2-000000") { key vendor { id name } }
  licenses(first: 0) { totalCount }
}`;

const V1_SEEN = { provider: { name: 'Acme Maker GmbH' }, newcomer: null, license: null, licenses: { totalCount: 1 } };
const v2Seen = (licenses: number) => ({
  provider: { name: 'Acme Maker v2' },
  newcomer: { id: NEWCOMER, offers: [{ id: 'acme2-level0' }] },
  license: { key: 'CLI-V2-000000', vendor: { id: NEWCOMER, name: 'Acme Distribution 2' } },
  licenses: { totalCount: 1 + licenses },
});

async function probe(url: string) {
  const { data, errors } = await graphql(url, PROBE);
  expect(errors).toBeUndefined();
  return data;
}

describe('npm run import, killed (SIGKILL) at each step', () => {
  it.each(IMPORT_STEPS)(
    'at %s: readers see the old directory or the whole new one, never part; the next start serves the same; the next import goes through',
    async (step) => {
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const v2 = writeFile('v2.json', directoryV2(3));
      const expected = step === 'committed' ? v2Seen(3) : V1_SEEN;
      const product = await startProduct(); // a running reader of both databases

      const importing = spawnImport(v2, { IMPORT_PAUSE_AT: step });
      await importing.printed(`import paused at ${step}`);
      expect(await probe(product.url)).toEqual(expected);
      importing.kill();
      expect(await importing.finished).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(await probe(product.url)).toEqual(expected);

      await product.stop();
      const restarted = await startProduct();
      expect(await probe(restarted.url)).toEqual(expected);
      // The lock died with the import: the next one (here while a reader runs) is not held up.
      expect(await runImport(v2)).toMatchObject({ code: 0, stderr: '' });
      expect(await probe(restarted.url)).toEqual(v2Seen(3));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'while it commits a large import: all of it or none of it, also after the next start',
    async () => {
      const LARGE = 20_000;
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const v2 = writeFile('v2.json', directoryV2(LARGE));
      const importing = spawnImport(v2, { IMPORT_TRACE: '1' });
      await importing.printed('import at licenses-written'); // the commit starts now
      importing.kill();
      await importing.finished;

      const product = await startProduct();
      const seen = await probe(product.url);
      expect([V1_SEEN, v2Seen(LARGE)]).toContainEqual(seen);
      await product.stop();
      const again = await startProduct();
      expect(await probe(again.url)).toEqual(seen);
    },
    4 * TEST_TIMEOUT_MS,
  );
});

describe('concurrent imports', () => {
  // Migrates both databases, so that the imports below race for the import lock, not to migrate.
  const prepare = async () =>
    expect((await runImport(writeFile('licenses-only.json', { licenses: [license('CLI-DIRECT', { vendorId: null })] }))).code).toBe(0);

  it(
    'two at once, each making a different new provider the MANUFACTURER: one wins, the other fails naming the winner',
    async () => {
      await prepare();
      const makers = ['maker-a', 'maker-b'];
      const files = makers.map((id) => writeFile(`${id}.json`, { providers: [provider(id, { roles: ['MANUFACTURER'] })] }));
      const results = await Promise.all(files.map((file) => runImport(file)));
      expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
      const winner = makers[results.findIndex((r) => r.code === 0)];
      const loser = results.find((r) => r.code !== 0)!;
      expect(loser.stderr).toContain(`would be a second MANUFACTURER besides "${winner}"`);
      expect(loser.stderr).not.toContain('    at ');

      const product = await startProduct();
      const { data } = await graphql(
        product.url,
        `
          {
            providers(role: MANUFACTURER) {
              id
            }
          }
        `,
      );
      expect(data.providers).toEqual([{ id: winner }]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a second import waits for the running one at most IMPORT_LOCK_TIMEOUT, then fails clearly and changes nothing',
    async () => {
      expect((await runImport(writeFile('v1.json', SMALL_DIRECTORY))).code).toBe(0);
      const first = spawnImport(writeFile('v2.json', directoryV2(3)), { IMPORT_PAUSE_AT: 'licenses-written' });
      await first.printed('import paused at licenses-written');

      const renamed = writeFile('renamed.json', { providers: [provider(MANUFACTURER, { name: 'Renamed Maker', roles: ['MANUFACTURER'] })] });
      const second = await runImport(renamed, { IMPORT_LOCK_TIMEOUT: '1' });
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      expect(second.stderr).toContain(
        'import failed, nothing changed: another import into the same directory is running; gave up waiting for its lock after 1 s',
      );

      first.kill();
      await first.finished;
      const product = await startProduct();
      expect(await probe(product.url)).toEqual(V1_SEEN);
      expect(await runImport(renamed)).toMatchObject({ code: 0 });
      expect((await probe(product.url)).provider).toEqual({ name: 'Renamed Maker' });
    },
    TEST_TIMEOUT_MS,
  );
});
