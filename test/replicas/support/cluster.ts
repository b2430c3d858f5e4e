/**
 * The deployment users run when they outgrow one machine, started from the built entry points as
 * real processes: two gateways, two replicas each of the providers and licenses subgraphs and one of
 * support, all behind HAProxy (round robin, health checks on GET /ready), on one PostgreSQL and one
 * Redis of the suite's own (test/replicas/support/services.ts). Every backend has one slot more than
 * it has replicas: a rolling restart starts the new process in the spare slot, waits until the
 * balancer sends to it, then stops the old one with SIGTERM (a Kubernetes rollout with maxSurge 1
 * and maxUnavailable 0, as deploy/kubernetes does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProduct, type Build } from '../../support/build';
import { TEST_JWT_SECRET } from '../../support/stack';
import {
  exited,
  freePort,
  startHaproxy,
  startPrivatePostgres,
  startPrivateRedis,
  stopChild,
  until,
  CHECK_FALL,
  CHECK_INTERVAL_MS,
  type Backend,
  type Haproxy,
  type PrivatePostgres,
  type PrivateRedis,
} from './services';

import { REPLICAS, SERVICES, type Service } from './topology';

export { REPLICAS, SERVICES, type Service };

export const SUBGRAPH_SECRET = 'replicas-suite-subgraph-secret-of-32-bytes-or-more';
/** Requests per caller and minute: low enough that the shared-limit test reaches it quickly; the load spreads over many callers. */
export const RATE_LIMIT_PER_MINUTE = 120;
/**
 * At SIGTERM every process keeps serving, not ready, this long: HAProxy's health check
 * (CHECK_FALL failures, CHECK_INTERVAL_MS apart, each check up to a gateway's subgraph probes) takes
 * it out of rotation well within it.
 */
export const DRAIN_DELAY_MS = CHECK_FALL * CHECK_INTERVAL_MS + 1_200;
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface Replica {
  service: Service;
  slot: number;
  port: number;
  /** http://127.0.0.1:port (no /graphql). */
  base: string;
  child: ChildProcess;
  readonly output: string;
  /** Resolves when the process has exited. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Cluster {
  /** The balancer's gateway frontend (base URL, no /graphql). */
  gateway: string;
  /** HAProxy's frontend of each subgraph (base URL). */
  fronts: Record<Service, string>;
  replicas: Record<Service, Replica[]>;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  haproxy: Haproxy;
  build: Build;
  /** The environment of the import command (same database and Redis). */
  importEnv: NodeJS.ProcessEnv;
  /** Starts `service` in its free slot and waits until HAProxy routes to it. */
  startReplica(service: Service): Promise<Replica>;
  /** SIGTERM (or `signal`) to one replica; resolves with its exit once it has left. */
  stopReplica(replica: Replica, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until HAProxy sees exactly the running replicas of every service as UP. */
  settled(): Promise<void>;
  /** Every replica started so far, stopped ones included (their output, for a failing test's report). */
  everStarted: Replica[];
  close(): Promise<void>;
}

const ENTRY: Record<Service, string> = {
  gateway: 'gateway/index.js',
  providers: 'subgraphs/providers/index.js',
  licenses: 'subgraphs/licenses/index.js',
  support: 'subgraphs/support/index.js',
};

/** Environment variables of the machine that would change what the processes do. */
const CLEARED = [
  'DATABASE_URL',
  'DATABASE_SCHEMA_PREFIX',
  'REDIS_URL',
  'PORT',
  'HOST',
  'NODE_ENV',
  'SUBGRAPH_SECRET',
  'JWT_SECRET',
  'LOG_LEVEL',
  'NODE_OPTIONS',
];

export async function startCluster(): Promise<Cluster> {
  const build = await buildProduct();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-replicas-data-'));
  const started: (() => Promise<unknown>)[] = [];
  let everStartedRef: Replica[] = [];
  const cleanUp = async () => {
    for (const undo of started.reverse()) await undo().catch(() => undefined);
    // REPLICAS_LOGS=folder: every process's output is kept there (a failing run's evidence).
    const logs = process.env.REPLICAS_LOGS;
    if (logs) {
      fs.mkdirSync(logs, { recursive: true });
      for (const replica of everStartedRef) fs.writeFileSync(path.join(logs, `${replica.service}-${replica.port}-${replica.child.pid}.log`), replica.output);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    build.remove();
  };
  try {
    const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    started.push(
      () => postgres.remove(),
      () => redis.stop(),
    );

    const backends = {} as Record<Service, Backend>;
    for (const service of SERVICES) backends[service] = { name: service, frontPort: await freePort(), serverPorts: [] };
    for (const service of SERVICES) for (let i = 0; i <= REPLICAS[service]; i++) backends[service].serverPorts.push(await freePort());
    const haproxy = await startHaproxy(Object.values(backends));
    started.push(() => haproxy.stop());
    const front = (service: Service) => `http://127.0.0.1:${backends[service].frontPort}`;

    const base: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    for (const name of CLEARED) delete base[name];
    Object.assign(base, {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      SUBGRAPH_SECRET,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      HTTP_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      HTTP_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      PROVIDERS_URL: `${front('providers')}/graphql`,
      LICENSES_URL: `${front('licenses')}/graphql`,
      SUPPORT_URL: `${front('support')}/graphql`,
    });
    const envOf = (service: Service, port: number): NodeJS.ProcessEnv =>
      service === 'gateway'
        ? { ...base, PORT: String(port), RESPONSE_CACHE: 'on', RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE) }
        : { ...base, [`${service.toUpperCase()}_PORT`]: String(port), WEBHOOK_POLL_INTERVAL_MS: '100', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

    // The demo directory, imported by the real command: it also migrates every schema, so the
    // replicas start on a migrated database and none of them migrates at the same time as another.
    const importEnv = { ...base };
    await runNode(build, 'scripts/import.js', [path.join(build.root, 'seed', 'demo-directory.json')], importEnv);

    const replicas: Record<Service, Replica[]> = { gateway: [], providers: [], licenses: [], support: [] };
    const live = new Set<Replica>();
    const everStarted: Replica[] = [];
    everStartedRef = everStarted;
    started.push(async () => {
      // The gateways first, then the subgraphs (what a shutdown of the whole deployment does).
      for (const service of [...SERVICES].reverse())
        await Promise.all([...live].filter((r) => r.service === service).map((r) => stopChild(r.child, 'SIGTERM', 20_000)));
    });

    const spawnReplica = async (service: Service): Promise<Replica> => {
      const used = new Set(replicas[service].map((r) => r.slot));
      const slot = backends[service].serverPorts.findIndex((_, i) => !used.has(i));
      if (slot < 0) throw new Error(`no free slot for another ${service} replica`);
      const port = backends[service].serverPorts[slot];
      const child = spawn(process.execPath, [build.entry(ENTRY[service])], { cwd: build.root, env: envOf(service, port), stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const replica: Replica = {
        service,
        slot,
        port,
        base: `http://127.0.0.1:${port}`,
        child,
        get output() {
          return output;
        },
        exit: exited(child),
      };
      replicas[service].push(replica);
      live.add(replica);
      everStarted.push(replica);
      void replica.exit.then(() => {
        live.delete(replica);
        replicas[service] = replicas[service].filter((r) => r !== replica);
      });
      const ready = service === 'gateway' ? /gateway ready at/ : /subgraph ready at/;
      const outcome = await until(
        `${service} replica on port ${port} to start`,
        () => (ready.test(output) ? 'ready' : child.exitCode !== null ? 'exited' : false),
        90_000,
        100,
      ).catch(() => 'timed out');
      if (outcome !== 'ready') throw new Error(`${service} replica on port ${port} did not start (${outcome}):\n${output}`);
      return replica;
    };

    const upOf = async (service: Service, replica: Replica) => (await haproxy.states())[`${service}/${service}${replica.slot + 1}`] === 'UP';
    const cluster: Cluster = {
      gateway: front('gateway'),
      fronts: { gateway: front('gateway'), providers: front('providers'), licenses: front('licenses'), support: front('support') },
      replicas,
      everStarted,
      postgres,
      redis,
      haproxy,
      build,
      importEnv,
      async startReplica(service) {
        const replica = await spawnReplica(service);
        await until(`HAProxy to route to the new ${service} replica`, () => upOf(service, replica), 30_000);
        return replica;
      },
      async stopReplica(replica, signal = 'SIGTERM') {
        return stopChild(replica.child, signal, SHUTDOWN_TIMEOUT_MS + DRAIN_DELAY_MS + 10_000);
      },
      async settled() {
        await until(
          'HAProxy to see every running replica UP and every empty slot DOWN',
          async () => {
            const states = await haproxy.states();
            return SERVICES.every((service) =>
              backends[service].serverPorts.every((_, slot) => {
                const running = replicas[service].some((r) => r.slot === slot);
                return states[`${service}/${service}${slot + 1}`] === (running ? 'UP' : 'DOWN');
              }),
            );
          },
          30_000,
        );
      },
      close: cleanUp,
    };
    // Subgraphs first (the gateways' readiness asks them), each service's replicas side by side.
    for (const service of SERVICES) await Promise.all(Array.from({ length: REPLICAS[service] }, () => spawnReplica(service)));
    await cluster.settled();
    return cluster;
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Runs a built script (`dist/<script>`) to its end; fails with its output unless it exits 0. */
export async function runNode(build: Build, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [build.entry(script), ...args], { cwd: build.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const { code } = await exited(child);
  if (code !== 0) throw new Error(`${script} exited ${code}:\n${output}`);
  return output;
}
