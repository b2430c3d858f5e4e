/**
 * The real commands as separate processes, for test/cli: `node dist/scripts/import.js` and
 * `node dist/scripts/start.js` from one build per file, each test on its own temp DATA_DIR (or its
 * own PostgreSQL schemas when DATABASE_URL is set), and a small directory file to load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProduct, type Build } from './build';
import { ADMIN, databaseUrl, dropTestSchemas, TEST_JWT_SECRET, tokenFor } from './stack';

export const ROOT = path.resolve(__dirname, '../..');
// The run's shared private build (test/support/build.ts): never the repository's own dist/.
let build: Build;
const IMPORT_SCRIPT = () => build.entry('scripts/import.js');
const START_SCRIPT = () => build.entry('scripts/start.js');
const SUBGRAPHS = ['providers', 'licenses', 'support'];
// Hang guards, not speed checks: on a busy machine (several suites at once, load ~15 on 2 cores) one
// spawned import or start took minutes.
export const READY_TIMEOUT_MS = 120_000;
export const TEST_TIMEOUT_MS = 300_000;

// ---- one sandbox per test: a temp DATA_DIR and, on PostgreSQL, fresh schemas ----------------------

export interface Sandbox {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  schemaPrefix?: string;
}

let sandboxes = 0;
export let sandbox: Sandbox;

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
export function writeFile(name: string, content: unknown): string {
  const file = path.join(sandbox.dataDir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

// ---- the commands ---------------------------------------------------------------------------------

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** An import running in the background (so that a test can kill it at a step). */
export interface RunningImport {
  /** Resolves once `text` has been printed on stdout; rejects if the import ends first. */
  printed(text: string): Promise<void>;
  kill(): void;
  finished: Promise<Finished & { signal: NodeJS.Signals | null }>;
}

const runningImports = new Set<RunningImport>();

export function spawnImport(file: string | undefined, env: NodeJS.ProcessEnv = {}): RunningImport {
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
export async function runImport(file?: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const { code, stdout, stderr } = await spawnImport(file, env).finished;
  return { code, stdout, stderr };
}

export interface Product {
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
export async function startProduct(options: { env?: NodeJS.ProcessEnv; terminal?: boolean } = {}): Promise<Product> {
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
export async function graphql<T = any>(url: string, query: string, token?: string): Promise<{ data?: T; errors?: any[] }> {
  const authorization = `Bearer ${token ?? (await tokenFor(ADMIN))}`;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: T; errors?: any[] };
}

export const supportContactQuery = (licenseKey: string) =>
  `{ supportContact(licenseKey: "${licenseKey}", topic: "server-installation") { contacts { id } escalation { id } billedBy { id } explanation } }`;

export const ids = (providers: { id: string }[]) => providers.map((p) => p.id);

// ---- a small directory file (docs/directory-file.md) --------------------------------------------------

export const MANUFACTURER = 'acme-maker';
export const DISTRIBUTOR = 'acme-dist';
export const LICENSE = 'CLI-0001';

export const provider = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Provider ${id}`,
  roles: ['SUPPORT_PARTNER'],
  active: true,
  country: 'DE',
  serviceCountries: ['DE', 'AT'],
  languages: ['de', 'en'],
  ...overrides,
});

export const license = (key: string, overrides: Record<string, unknown> = {}) => ({
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

export const SMALL_DIRECTORY = {
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

// ---- the hooks ------------------------------------------------------------------------------------

/** Registers the file's hooks: one build for the file, one sandbox per test, and whatever a test left running stopped after it. */
export function useCommandSandbox(): void {
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
}
