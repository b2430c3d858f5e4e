/**
 * `npm run bench`: the headline query under load, on this machine, loopback only, bounded in time.
 *
 * 1. Gateway alone: the subgraphs' answers are recorded once and replayed from memory, so only the
 *    gateway works. Our gateway runs as a deployment runs it: `node dist/gateway/index.js` with
 *    NODE_ENV=production, the access log at info (one line per request, to a file), the rate limit
 *    on with a limit the benchmark does not reach, the request deadline on, and an admin's token on
 *    every request; once with the response cache off, once on (warm). Against it: stock Hive Gateway
 *    runtime + Rust query planner, and stock Apollo Gateway 2.14 — each a separate process, pinned
 *    to one core, in interleaved rounds at BENCH_CONNECTIONS, then ours and stock Hive at one
 *    connection (what a single practice waits: p50/p99). Every request is distinct: one per
 *    generated license (BENCH_SAMPLES, default all of them), topics in turn.
 * 2. End to end: the real subgraphs as separate processes on SQLite, our gateway with the cache off;
 *    the subgraphs' CPU time per request is read from /proc.
 * Data: the demo directory plus BENCH_LICENSES (1,000) generated licenses. Options (environment):
 * BENCH_CONNECTIONS (50), BENCH_SECONDS per round (5), BENCH_ROUNDS (5), BENCH_SAMPLES,
 * BENCH_BASELINE=DIR[,DIR...]: other built checkouts (e.g. an older main, or a build with a plugin
 * left out), each measured in part 1 beside ours as it is deployed, and in part 2.
 * BENCH_END_TO_END=off skips part 2; BENCH_CPU_PROF=DIR writes a V8 CPU profile of each gateway of
 * part 1 into DIR (`node scripts/cpuprofile-summary.js DIR/*.cpuprofile` sums it by package).
 * Grafbase's Rust engine (scripts/bench/grafbase.ts, BENCH_GATEWAYS grafbase and grafbase-cached)
 * runs beside them when its optional package is installed, loaded only with the requests it answers
 * as ours does, beside ours loaded with the same ones.
 * BENCH_GATEWAY_CPU: the core the gateways are pinned to (default the last; off: none).
 * BENCH_NODE_FLAGS: Node or V8 flags for every gateway under test (`--trace-gc`, with BENCH_KEEP_LOGS).
 */
import 'reflect-metadata';
import crypto from 'node:crypto';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { DEMO_DIRECTORY, PROJECT_ROOT, SUBGRAPH_NAMES, type SubgraphName } from '../lib/config';
import { commandLine } from '../lib/command-line';
import { signIdentityToken } from '../gateway/identity/identity';
import { freePort } from './bench/free-port';
import {
  GRAFBASE_KINDS,
  OURS_BESIDE,
  besideRow,
  grafbaseEngine,
  grafbaseReport,
  isGrafbase,
  judge,
  startGrafbase,
  UNCACHED_SUBGRAPHS,
  type Verdict,
} from './bench/grafbase';

// The environment, parsed once by the settings table.
const { settings } = commandLine('bench', process.env);

const CONNECTIONS = settings.BENCH_CONNECTIONS ?? 50;
const SECONDS = settings.BENCH_SECONDS ?? 5;
const ROUNDS = settings.BENCH_ROUNDS ?? 5;
const EXTRA_LICENSES = settings.BENCH_LICENSES ?? 1000;
const SAMPLES = settings.BENCH_SAMPLES || EXTRA_LICENSES;
const BASELINES = (settings.BENCH_BASELINE ?? '')
  .split(',')
  .filter(Boolean)
  .map((dir) => path.resolve(dir));
/** Targets of this work: ours at least stock Hive's throughput, the cache at least 15× ours without it. */
const TARGET_VS_HIVE = 1.0;
const TARGET_CACHE = 15;
const END_TO_END = settings.BENCH_END_TO_END ?? true;
const CPU_PROFILES = settings.BENCH_CPU_PROF ? path.resolve(settings.BENCH_CPU_PROF) : undefined;
const NODE_FLAGS = (settings.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ
/**
 * The core every gateway under test is pinned to (taskset), the load generator and the subgraph
 * replay being kept off it: on a small machine they would otherwise take turns on the same cores
 * and the figures would measure the scheduler. Default: the last core when there are two or more
 * and taskset exists; `off` pins nothing.
 */
const GATEWAY_CPU = gatewayCpu(settings.BENCH_GATEWAY_CPU);

function gatewayCpu(setting: string | undefined): number | undefined {
  if (setting === 'off' || os.cpus().length < 2) return undefined;
  const cpu = setting === undefined || setting === '' ? os.cpus().length - 1 : Number(setting);
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= os.cpus().length) throw new Error(`BENCH_GATEWAY_CPU must be off or a core number below ${os.cpus().length}`);
  return spawnSync('taskset', ['-V']).status === 0 ? cpu : undefined;
}
const otherCpus = () =>
  os
    .cpus()
    .map((_, i) => i)
    .filter((i) => i !== GATEWAY_CPU)
    .join(',');

const HEADLINE = `query Headline($key: ID!, $topic: ID!) { supportContact(licenseKey: $key, topic: $topic) {
  topic { id name } contacts { name email phone offers(service: TRAINING) { title price { amount currency } unit } }
  escalation { name } billedBy { name } explanation } }`;
const TOPICS = ['server-installation', 'troubleshooting', 'updates', 'training', 'user-support'];
const ALL_GATEWAYS = ['ours', 'ours-cached', 'hive', 'apollo', ...GRAFBASE_KINDS] as const;
/** One of ALL_GATEWAYS, or `baseline:N` (the Nth BENCH_BASELINE directory). */
type GatewayKind = string;
/** Grafbase's engine (scripts/bench/grafbase.ts): its rows are skipped, saying why, when its optional package is absent. */
const GRAFBASE = grafbaseEngine(PROJECT_ROOT);
/** BENCH_GATEWAYS=ours,hive: only these (ours always, the answers are compared with its own). */
const GATEWAYS: GatewayKind[] = [
  ...(settings.BENCH_GATEWAYS ? ALL_GATEWAYS.filter((kind) => kind === 'ours' || settings.BENCH_GATEWAYS!.split(',').includes(kind)) : [...ALL_GATEWAYS]),
  ...BASELINES.map((_, i) => `baseline:${i}`),
].filter((kind) => !isGrafbase(kind) || 'binary' in GRAFBASE);
const GRAFBASE_LABEL = 'version' in GRAFBASE ? `Grafbase ${GRAFBASE.version} (Rust, \`grafbase dev\`)` : 'Grafbase';
const LABELS: Record<GatewayKind, string> = {
  ours: 'ours, response cache off',
  'ours-cached': 'ours, response cache on (warm)',
  hive: 'stock Hive Gateway runtime + Rust planner',
  apollo: 'stock Apollo Gateway 2.14',
  grafbase: `${GRAFBASE_LABEL}, entity cache off`,
  'grafbase-cached': `${GRAFBASE_LABEL}, entity cache on but for ${UNCACHED_SUBGRAPHS.join(', ')} (warm)`,
  ...Object.fromEntries(BASELINES.map((dir, i) => [`baseline:${i}`, `${path.basename(dir)} (BENCH_BASELINE), cache off`])),
};
/** What runs at one connection: ours, stock Hive and the first baseline. */
const LATENCY_GATEWAYS = GATEWAYS.filter((kind) => kind === 'ours' || kind === 'hive' || kind === 'baseline:0');
const isDeployed = (kind: GatewayKind) => kind === 'ours' || kind === 'ours-cached' || kind.startsWith('baseline:');
const rootOf = (kind: GatewayKind) => (kind.startsWith('baseline:') ? BASELINES[Number(kind.slice('baseline:'.length))] : PROJECT_ROOT);

/** The subgraphs believe only identities signed with a secret they share with the gateway (lib/identity.ts). */
const SUBGRAPH_SECRET = crypto.randomBytes(32).toString('hex');
const children = new Set<ChildProcess>();
const stopAll = () => children.forEach((child) => child.kill('SIGKILL'));
process.on('exit', stopAll);

/** Starts `node script` and resolves once its output matches `ready`. */
function startProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  nodeOptions: string[] = [],
  pinned = false,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    // taskset execs node in place: the child's pid is the gateway's own (its /proc CPU time and RSS).
    const command = GATEWAY_CPU === undefined ? [process.execPath] : ['taskset', '-c', pinned ? String(GATEWAY_CPU) : otherCpus(), process.execPath];
    const child = spawn(command[0], [...command.slice(1), ...nodeOptions, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    let started = false;
    const onData = (chunk: Buffer) => {
      if (started) return; // after start-up, output is not kept
      output += chunk;
      const match = output.match(ready);
      if (match) {
        started = true;
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${path.relative(PROJECT_ROOT, script)} exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

const cpuMs = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND; // utime + stime
};
const rssMiB = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;

/** The directory file: the demo plus generated licenses cycling through the demo's own (vendors, countries, partners). */
function writeBenchDirectory(dir: string): { file: string; keys: string[] } {
  const demo = JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8'));
  const licenses = Array.from({ length: EXTRA_LICENSES }, (_, i) => ({
    ...demo.licenses[i % demo.licenses.length],
    key: `BENCH-${String(i).padStart(4, '0')}`,
  }));
  const file = path.join(dir, 'bench-directory.json');
  fs.writeFileSync(file, JSON.stringify({ ...demo, licenses: [...demo.licenses, ...licenses] }));
  return { file, keys: licenses.map((l) => l.key) };
}

async function startSubgraphs(root: string, dataDir: string): Promise<{ urls: Record<SubgraphName, string>; processes: Record<SubgraphName, ChildProcess> }> {
  const urls = {} as Record<SubgraphName, string>;
  const processes = {} as Record<SubgraphName, ChildProcess>;
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    const { child } = await startProcess(
      path.join(root, 'dist', 'subgraphs', name, 'index.js'),
      { DATA_DIR: dataDir, HOST: '127.0.0.1', [`${name.toUpperCase()}_PORT`]: String(port), LOG_LEVEL: 'warn', SUBGRAPH_SECRET },
      /ready at/,
    );
    urls[name] = `http://127.0.0.1:${port}/graphql`;
    processes[name] = child;
  }
  return { urls, processes };
}

const subgraphEnv = (urls: Record<string, string>) => Object.fromEntries(Object.entries(urls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]));

interface Round {
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  rss: number;
  cpuMs: Record<string, number>;
}

async function load(url: string, bodies: string[], pids: Record<string, number>, rssPid: number): Promise<Round> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: bodies.map((body) => ({ method: 'POST', headers: requestHeaders(), body })),
  });
  const total = result.requests.total;
  return {
    requests: total,
    reqPerSec: total / SECONDS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    rss: rssMiB(rssPid),
    cpuMs: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid) - before[name]])),
  };
}

function summarize(rounds: Round[]) {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const cpu: Record<string, number> = {};
  for (const round of rounds) for (const [name, ms] of Object.entries(round.cpuMs)) cpu[name] = (cpu[name] ?? 0) + ms;
  return {
    reqPerSec: rounds.reduce((n, r) => n + r.reqPerSec, 0) / rounds.length,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    rss: rounds.map((r) => r.rss.toFixed(0)).join(' → '),
    cpuPerRequest: Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, ms / Math.max(1, requests)])),
  };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: requestHeaders(), body });
  return response.text();
}

/**
 * Our gateway as deployed: the compiled entry point, production settings, the access log at info
 * written to a file (as to a log shipper's pipe, without this process reading it).
 */
async function startDeployedGateway(root: string, kind: GatewayKind, env: NodeJS.ProcessEnv, logDir: string, nodeOptions: string[]) {
  const port = await freePort();
  const logFile = path.join(logDir, `${kind.replace(':', '-')}.log`);
  const out = fs.openSync(logFile, 'w');
  const command = GATEWAY_CPU === undefined ? [process.execPath] : ['taskset', '-c', String(GATEWAY_CPU), process.execPath];
  const child = spawn(command[0], [...command.slice(1), ...nodeOptions, path.join(root, 'dist', 'gateway', 'index.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      // On, with a limit no benchmark round reaches (one caller, all requests).
      RATE_LIMIT_PER_MINUTE: '100000000',
      SUBGRAPH_SECRET,
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  children.add(child);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${kind} gateway exited (${child.exitCode}) before it was ready:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (/gateway ready at/.test(fs.readFileSync(logFile, 'utf8').slice(0, 20_000))) break;
    if (Date.now() - started > 60_000) throw new Error(`${kind} gateway not ready within 60 s:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url: `http://127.0.0.1:${port}/graphql`, logFile };
}

/** One connection, one request after the other, for SECONDS: every latency in ms (hrtime). */
async function oneConnection(url: string, bodies: string[]): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  for (let i = 0; Date.now() < until; i++) {
    const body = bodies[i % bodies.length];
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...requestHeaders(), 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`one connection: HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  return latencies;
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Sends every body once, a few at a time: records the subgraph answers; warms the cache. */
async function sendAll(url: string, bodies: string[]): Promise<string[]> {
  const answers: string[] = new Array(bodies.length);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      answers[i] = await post(url, bodies[i]);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return answers;
}

async function gatewayAlone(subgraphUrls: Record<SubgraphName, string>, bodies: string[], logDir: string) {
  const wantsGrafbase = !settings.BENCH_GATEWAYS || GRAFBASE_KINDS.some((kind) => settings.BENCH_GATEWAYS!.split(',').includes(kind));
  if ('missing' in GRAFBASE && wantsGrafbase) console.log(`Grafbase rows skipped: ${GRAFBASE.missing}.`);
  const replay = fork(path.join(__dirname, 'bench', 'subgraph-replay.js'), { stdio: 'inherit', env: { ...process.env, SUBGRAPH_SECRET } });
  children.add(replay);
  const replayUrls = await new Promise<Record<string, string>>((resolve) => {
    replay.once('message', (message: any) => resolve(message.ready));
    replay.send({ upstream: subgraphUrls });
  });
  const gateways = {} as Record<GatewayKind, { child: ChildProcess; url: string }>;
  const answers = {} as Record<GatewayKind, string[]>;
  for (const kind of GATEWAYS) {
    const profile = [
      ...(CPU_PROFILES ? [`--cpu-prof`, `--cpu-prof-dir=${CPU_PROFILES}`, `--cpu-prof-name=${kind.replace(':', '-')}.cpuprofile`] : []),
      ...NODE_FLAGS,
    ];
    if (isDeployed(kind)) {
      const { child, url } = await startDeployedGateway(
        rootOf(kind),
        kind,
        { RESPONSE_CACHE: kind === 'ours-cached' ? 'on' : 'off', ...subgraphEnv(replayUrls) },
        logDir,
        profile,
      );
      gateways[kind] = { child, url };
    } else if (isGrafbase(kind) && 'binary' in GRAFBASE) {
      const pin = GATEWAY_CPU === undefined ? [] : ['taskset', '-c', String(GATEWAY_CPU)];
      const dir = path.join(logDir, kind);
      gateways[kind] = await startGrafbase({
        kind,
        binary: GRAFBASE.binary,
        root: PROJECT_ROOT,
        subgraphUrls: replayUrls,
        dir,
        port: await freePort(),
        pin,
        env: process.env,
      });
      children.add(gateways[kind].child);
    } else {
      const { child, match } = await startProcess(
        path.join(__dirname, 'bench', 'gateway-under-test.js'),
        { BENCH_GATEWAY: kind, PORT: '0', RESPONSE_CACHE: 'off', LOG_LEVEL: 'warn', ...subgraphEnv(replayUrls) },
        /ready (\S+)/,
        profile,
        true,
      );
      gateways[kind] = { child, url: match[1] };
    }
    const warming = Date.now();
    answers[kind] = await sendAll(gateways[kind].url, bodies);
    // Its entity cache warm: the answers compared with ours are the ones it gives from it.
    if (kind === 'grafbase-cached') answers[kind] = await sendAll(gateways[kind].url, bodies);
    console.error(`${kind}: up, ${bodies.length} requests sent once in ${fmt((Date.now() - warming) / 1000, 1)} s`);
  }
  const recorded = await new Promise<number>((resolve) => {
    replay.once('message', (message: any) => resolve(message.replaying));
    replay.send('replay');
  });
  // Same JSON text once whitespace around it is ignored (Apollo Server ends its answers with a newline).
  const identical = Object.fromEntries(GATEWAYS.map((kind) => [kind, answers[kind].filter((answer, i) => answer.trim() === answers.ours[i].trim()).length]));
  const withErrors = Object.fromEntries(GATEWAYS.map((kind) => [kind, answers[kind].filter((answer) => answer.includes('"errors"')).length]));

  // What each row is loaded with: every request, but Grafbase only the ones it answers as ours does
  // (data and errors deep-equal), and ours beside it with the same ones.
  const loads: { row: string; gateway: GatewayKind; bodies: string[] }[] = [];
  const verdicts: Partial<Record<GatewayKind, Verdict>> = {};
  for (const kind of GATEWAYS) {
    if (!isGrafbase(kind)) {
      loads.push({ row: kind, gateway: kind, bodies });
      continue;
    }
    const verdict = (verdicts[kind] = judge(answers.ours, answers[kind]));
    identical[kind] = verdict.correct.length;
    const correct = verdict.correct.map((i) => bodies[i]);
    if (correct.length === 0) continue;
    loads.push({ row: kind, gateway: kind, bodies: correct });
    if (gateways[OURS_BESIDE[kind]]) loads.push({ row: besideRow(kind), gateway: OURS_BESIDE[kind], bodies: correct });
  }

  const rounds = Object.fromEntries([...GATEWAYS, ...loads.map(({ row }) => row)].map((row) => [row, [] as Round[]])) as Record<string, Round[]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const { row, gateway, bodies: sent } of loads) {
      const pid = gateways[gateway].child.pid!;
      rounds[row].push(await load(gateways[gateway].url, sent, { gateway: pid }, pid));
    }
  }
  const latencies = Object.fromEntries(LATENCY_GATEWAYS.map((kind) => [kind, [] as number[][]])) as Record<GatewayKind, number[][]>;
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of LATENCY_GATEWAYS) latencies[kind].push(await oneConnection(gateways[kind].url, bodies));
  }
  for (const { child } of Object.values(gateways)) await stop(child);
  await stop(replay);
  const grafbaseKinds = GATEWAYS.filter(isGrafbase);
  const grafbase =
    grafbaseKinds.length === 0
      ? []
      : grafbaseReport({
          kinds: grafbaseKinds,
          verdicts,
          samples: bodies.length,
          summary: Object.fromEntries(Object.entries(rounds).map(([row, of]) => [row, of.length > 0 ? summarize(of) : undefined])),
          labels: LABELS,
        });
  return { rounds, latencies, identical, withErrors, recorded, grafbase };
}

async function endToEnd(root: string, dataDir: string, bodies: string[]) {
  const subgraphs = await startSubgraphs(root, dataDir);
  const port = await freePort();
  const { child: gateway } = await startProcess(
    path.join(root, 'dist', 'gateway', 'index.js'),
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      RESPONSE_CACHE: 'off',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      SUBGRAPH_SECRET,
      ...subgraphEnv(subgraphs.urls),
    },
    /ready at/,
    [],
    true,
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  for (const body of bodies) {
    const answer = await post(url, body);
    if (answer.includes('"errors"')) throw new Error(`end to end: an answer with errors: ${answer.slice(0, 500)}`);
  }
  const pids = { gateway: gateway.pid!, ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphs.processes[n].pid!])) };
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await load(url, bodies, pids, gateway.pid!));
  await stop(gateway);
  for (const child of Object.values(subgraphs.processes)) await stop(child);
  return summarize(rounds);
}

async function importInto(root: string, dataDir: string, file: string) {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'scripts', 'import.js'), file], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: 'inherit',
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`import into ${dataDir} failed (${code})`))));
  });
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/**
 * Licenses answer only callers who may see them: every request is an admin's. The gateways under
 * test (children) inherit this run's JWT_SECRET; the stock gateways ignore the header, and the
 * subgraph replay asks the real subgraphs as an admin for all of them (scripts/bench/subgraph-replay.ts).
 */
let authorization = '';
/**
 * The same headers on every request of every client here: the response cache's key includes what the
 * client accepts, so warming it with fetch's default `accept: *\/*` would not warm autocannon's requests.
 */
const requestHeaders = () => ({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization });

async function main() {
  // This process (the load generator) and what it forks (the subgraph replay) stay off the gateway's core.
  if (GATEWAY_CPU !== undefined) spawnSync('taskset', ['-a', '-p', '-c', otherCpus(), String(process.pid)], { stdio: 'ignore' });
  // Set in this process's environment so that every child started below inherits it.
  const jwtSecret = crypto.randomBytes(32).toString('hex');
  process.env.JWT_SECRET = jwtSecret;
  authorization = `Bearer ${await signIdentityToken(jwtSecret, { sub: 'bench', role: 'admin' }, '2h')}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-bench-'));
  try {
    const { file, keys } = writeBenchDirectory(work);
    const bodies = Array.from({ length: SAMPLES }, (_, i) =>
      JSON.stringify({ query: HEADLINE, operationName: 'Headline', variables: { key: keys[(i * 37) % keys.length], topic: TOPICS[i % TOPICS.length] } }),
    );
    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir);
    await importInto(PROJECT_ROOT, dataDir, file);
    console.log(
      `${os.cpus().length} cores, Node ${process.version}; ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s, ${SAMPLES} headline requests cycling, ${keys.length} generated licenses + the demo\n`,
    );

    const subgraphs = await startSubgraphs(PROJECT_ROOT, dataDir);
    const logDir = path.join(work, 'logs');
    fs.mkdirSync(logDir);
    const alone = await gatewayAlone(subgraphs.urls, bodies, logDir);
    for (const child of Object.values(subgraphs.processes)) await stop(child);
    const summary = Object.fromEntries(GATEWAYS.map((kind) => [kind, summarize(alone.rounds[kind])])) as Record<GatewayKind, ReturnType<typeof summarize>>;
    const count = (kind: string, text: string) => {
      const file = path.join(logDir, `${kind}.log`);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(text).length - 1 : 0;
    };
    console.log(
      `Gateway alone (subgraph answers replayed from memory; ${alone.recorded} recorded; access lines: ours, cache off ${count('ours', '"event":"request"')}; cache on ${count('ours-cached', '"event":"request"')}, ${count('ours-cached', '"cache":"hit"')} of them hits)\n`,
    );
    if (settings.BENCH_KEEP_LOGS) fs.cpSync(logDir, settings.BENCH_KEEP_LOGS, { recursive: true });
    console.log(
      '| gateway | req/s (mean) | req/s per round (min–max) | p50 ms | p99 ms | errors | RSS MiB per round | CPU ms/request | vs Apollo | vs stock Hive | answers identical to ours |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|');
    const ratio = (s: { reqPerSec: number }, to: GatewayKind) => (summary[to] ? `${fmt(s.reqPerSec / summary[to].reqPerSec, 2)}×` : '–');
    for (const kind of GATEWAYS.filter((kind) => !isGrafbase(kind))) {
      const s = summary[kind];
      const perRound = alone.rounds[kind].map((r) => r.reqPerSec);
      console.log(
        `| ${LABELS[kind]} | ${fmt(s.reqPerSec)} | ${fmt(Math.min(...perRound))}–${fmt(Math.max(...perRound))} | ${s.p50} | ${s.p99} | ${s.errors} | ${s.rss} | ${fmt(s.cpuPerRequest.gateway, 3)} | ${ratio(s, 'apollo')} | ${ratio(s, 'hive')} | ${alone.identical[kind]}/${SAMPLES}${alone.withErrors[kind] ? ` (${alone.withErrors[kind]} with errors)` : ''} |`,
      );
    }
    console.log(`\nOne connection (${ROUNDS} interleaved rounds of ${SECONDS} s, requests one after the other)\n`);
    console.log('| gateway | requests | p50 ms | p99 ms | p50 per round (min–max) |');
    console.log('|---|---:|---:|---:|---:|');
    const oneConnection: Record<GatewayKind, { p50: number; p99: number }> = {};
    for (const kind of LATENCY_GATEWAYS) {
      const all = alone.latencies[kind].flat().sort((a, b) => a - b);
      const perRound = alone.latencies[kind].map((round) =>
        percentile(
          [...round].sort((a, b) => a - b),
          50,
        ),
      );
      oneConnection[kind] = { p50: percentile(all, 50), p99: percentile(all, 99) };
      console.log(
        `| ${LABELS[kind]} | ${all.length} | ${fmt(oneConnection[kind].p50, 2)} | ${fmt(oneConnection[kind].p99, 2)} | ${fmt(Math.min(...perRound), 2)}–${fmt(Math.max(...perRound), 2)} |`,
      );
    }
    const verdict = (value: number, target: number) => `${fmt(value, 2)}× (target ≥ ${target}×: ${value >= target ? 'met' : 'NOT met'})`;
    console.log('');
    if (summary.hive) {
      console.log(`ours / stock Hive, throughput:        ${verdict(summary.ours.reqPerSec / summary.hive.reqPerSec, TARGET_VS_HIVE)}`);
      console.log(
        `ours / stock Hive, CPU per request:   ${verdict(summary.hive.cpuPerRequest.gateway / summary.ours.cpuPerRequest.gateway, TARGET_VS_HIVE)} (Hive's CPU ms/request over ours)`,
      );
      if (oneConnection.hive)
        console.log(
          `ours / stock Hive, one connection:    p50 ${fmt(oneConnection.hive.p50 / oneConnection.ours.p50, 2)}×, p99 ${fmt(oneConnection.hive.p99 / oneConnection.ours.p99, 2)}× (Hive's latency over ours)`,
        );
    }
    if (summary['ours-cached'])
      console.log(`cache on / cache off, throughput:     ${verdict(summary['ours-cached'].reqPerSec / summary.ours.reqPerSec, TARGET_CACHE)}`);
    if (summary['ours-cached'])
      console.log(`cache on / cache off, CPU per request: ${fmt(summary.ours.cpuPerRequest.gateway / summary['ours-cached'].cpuPerRequest.gateway, 1)}×`);

    if (alone.grafbase.length > 0) console.log(alone.grafbase.join('\n'));
    if (CPU_PROFILES) console.log(`\nCPU profiles of the gateways: ${CPU_PROFILES}`);
    if (!END_TO_END) return;
    const runs: [string, string][] = [['this build', PROJECT_ROOT]];
    for (const dir of BASELINES) runs.push([`baseline (${path.basename(dir)})`, dir]);
    const e2e: Record<string, ReturnType<typeof summarize>> = {};
    for (const [label, root] of runs) {
      const dir = path.join(work, `e2e-${Object.keys(e2e).length}`);
      fs.mkdirSync(dir);
      await importInto(root, dir, file);
      e2e[label] = await endToEnd(root, dir, bodies);
    }
    console.log('\nEnd to end (real subgraphs as separate processes on SQLite, gateway cache off)\n');
    console.log(
      '| build | req/s | p50 ms | p99 ms | errors | gateway RSS MiB per round | subgraph CPU ms/request (providers + licenses + support) | gateway CPU ms/request |',
    );
    console.log('|---|---:|---:|---:|---:|---|---:|---:|');
    for (const [label, s] of Object.entries(e2e)) {
      const sub = SUBGRAPH_NAMES.map((n) => s.cpuPerRequest[n]);
      console.log(
        `| ${label} | ${fmt(s.reqPerSec)} | ${s.p50} | ${s.p99} | ${s.errors} | ${s.rss} | ${fmt(
          sub.reduce((a, b) => a + b, 0),
          2,
        )} (${sub.map((v) => fmt(v, 2)).join(' + ')}) | ${fmt(s.cpuPerRequest.gateway, 3)} |`,
      );
    }
  } finally {
    stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  stopAll();
  process.exit(1);
});
