/**
 * The backing services of the multi-replica suite, each a real process the suite owns so that it can
 * stop and start it: a private PostgreSQL cluster (initdb + pg_ctl in a temp folder, on a free port:
 * restarting it disturbs no other test or engineer on the machine's server), a redis-server on a
 * free port, and HAProxy (Debian's) in front of every service, with health checks on GET /ready.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A port nothing listens on right now (the kernel's choice); the suite runs alone, so it stays free. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (polling every `every` ms); fails naming `what` after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000, every = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Sends `signal`, then waits for the exit; SIGKILL after `ms`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', ms = 30_000) {
  const exit = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await exit;
  } finally {
    clearTimeout(killer);
  }
}

// ---- PostgreSQL: a private cluster ------------------------------------------------------------------

export interface PrivatePostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (Debian: apt-get install postgresql)');
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** root cannot run PostgreSQL: as root the cluster belongs to the `postgres` user and its commands run as it. */
const asOwner = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-replicas-pg-'));
  if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const pgctl = (...args: string[]) => run(...asOwner(path.join(bin, 'pg_ctl'), ['-D', data, ...args]), { timeout: 60_000 });
  await run(...asOwner(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']), { timeout: 120_000 });
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await pgctl('-o', options, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', 'start');
  };
  // "fast": open connections are ended at once (a crash-like stop for the clients, a clean one for the data).
  const stop = async () => {
    await pgctl('-m', 'fast', '-w', '-t', '60', 'stop');
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    remove: async () => {
      await stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Redis: a redis-server of the suite's own ------------------------------------------------------

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(`redis-server on port ${port}`, () => canConnect(port), 15_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: async () => {
      if (child) await stopChild(child, 'SIGKILL');
      child = undefined;
    },
  };
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// ---- HAProxy ------------------------------------------------------------------------------------

export interface Backend {
  name: string;
  /** The port clients (and the gateways) call. */
  frontPort: number;
  /** The servers' ports (slots): a replica listens on one of them, or none does (a spare slot for a rolling restart). */
  serverPorts: number[];
}

/** How often HAProxy checks GET /ready, and after how many failures it takes a server out. */
export const CHECK_INTERVAL_MS = 400;
export const CHECK_FALL = 2;
/** A check's own time limit: a gateway's /ready asks every subgraph, which takes a while on a busy machine (HAProxy's default is `inter`). */
export const CHECK_TIMEOUT_MS = 3_000;

/**
 * Round robin over each backend's servers, checked on GET /ready (expect 200). `retries` with
 * `redispatch`: a connection refused (a stopped replica the check has not caught yet) is retried on
 * another server; nothing else is retried, so a request is never sent twice.
 */
export function haproxyConfig(backends: Backend[], statsSocket: string): string {
  const lines = [
    'global',
    `  stats socket ${statsSocket} mode 600 level admin`,
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 10s',
    `  timeout check ${CHECK_TIMEOUT_MS}ms`,
    '  retries 3',
    '  option redispatch 1',
    `  default-server inter ${CHECK_INTERVAL_MS} fastinter ${CHECK_INTERVAL_MS} downinter ${CHECK_INTERVAL_MS} fall ${CHECK_FALL} rise 1`,
  ];
  for (const backend of backends) {
    lines.push(`frontend ${backend.name}`, `  bind 127.0.0.1:${backend.frontPort}`, `  default_backend ${backend.name}`);
    lines.push(`backend ${backend.name}`, '  balance roundrobin', '  option httpchk GET /ready', '  http-check expect status 200');
    backend.serverPorts.forEach((port, i) => lines.push(`  server ${backend.name}${i + 1} 127.0.0.1:${port} check`));
  }
  return lines.join('\n') + '\n';
}

export interface Haproxy {
  /** Each server's state as HAProxy sees it: `${backend}/${server}` -> UP, DOWN, … */
  states(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startHaproxy(backends: Backend[]): Promise<Haproxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-replicas-haproxy-'));
  const socket = path.join(dir, 'admin.sock');
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(config, haproxyConfig(backends, socket));
  await run('haproxy', ['-c', '-q', '-f', config]);
  let output = '';
  // -db: in the foreground, logs to stderr; the suite stops it.
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await until(
    'HAProxy listening on every frontend',
    async () => (await Promise.all(backends.map((b) => canConnect(b.frontPort)))).every(Boolean),
    15_000,
  ).catch((error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  const command = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const connection = net.connect(socket);
      let answer = '';
      connection.on('data', (chunk) => (answer += chunk));
      connection.on('end', () => resolve(answer));
      connection.on('error', reject);
      connection.write(`${text}\n`);
    });
  return {
    async states() {
      const csv = await command('show stat');
      const [header, ...rows] = csv.trim().split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const at = (name: string) => columns.indexOf(name);
      return Object.fromEntries(
        rows
          .map((row) => row.split(','))
          .filter((cells) => cells[at('svname')] !== 'FRONTEND' && cells[at('svname')] !== 'BACKEND')
          .map((cells) => [`${cells[at('pxname')]}/${cells[at('svname')]}`, cells[at('status')].split(' ')[0]]),
      );
    },
    stop: async () => {
      await stopChild(child, 'SIGTERM', 5_000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
