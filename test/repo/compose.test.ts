/**
 * docker-compose.yml and the Dockerfile agree with the code: entry points that the build really
 * produces, the ports and URLs lib/config.ts reads, the database every subgraph connects to, the
 * start order, and a Docker build that copies every folder tsconfig.build.json compiles.
 * Nothing is started here (no Docker needed): the files are parsed and checked against the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { jwtSecret } from '../../gateway/identity/identity';
import * as config from '../../lib/config';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import * as http from '../../lib/http';
import { isLoopback } from '../../lib/http';
import { ALL_READERS, type SettingValues } from '../../lib/settings';
import { readSettings } from '../../lib/settings-table';
import * as signature from '../../lib/subgraph-signature';
import { SHUTDOWN_RELEASE_MS } from '../../lib/main';
import { REPLICAS } from '../replicas/support/topology';

// A service's environment as its entry point parses it (the settings table), then what the code makes of it.
const parsed = (env: Env) => readSettings(ALL_READERS, env).values as SettingValues;
const gatewayPort = (env: Env) => config.gatewayPort(parsed(env));
const subgraphPort = (name: SubgraphName, env: Env) => config.subgraphPort(name, parsed(env));
const subgraphUrl = (name: SubgraphName, env: Env) => config.subgraphUrl(name, parsed(env));
const databaseSettings = (env: Env) => config.databaseSettings(parsed(env));
const listenHost = (env: Env) => http.listenHost(parsed(env));
const subgraphSecret = (env: Env) => signature.subgraphSecret(parsed(env));

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const posix = (p: string) => p.split(path.sep).join('/');

// ---- docker-compose.yml -------------------------------------------------------------------------

type Env = Record<string, string | undefined>;

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: (string | number | { target: number; published?: string | number })[];
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
const services = compose.services;

/** Compose variable interpolation ($$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR:+alt}). */
function interpolate(value: string, vars: Env): string {
  return value.replace(/\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, dollar, braced, op, arg, bare) => {
    if (dollar) return '$';
    const name = braced ?? bare;
    const current = vars[name];
    const set = current !== undefined;
    const nonEmpty = set && current !== '';
    switch (op) {
      case undefined:
        return current ?? '';
      case ':-':
        return nonEmpty ? current! : arg;
      case '-':
        return set ? current! : arg;
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default: // :? and ?
        if (op === ':?' ? nonEmpty : set) return current!;
        throw new Error(`${name} is required by docker-compose.yml: ${arg}`);
    }
  });
}

/** What the host must set for compose to start at all (the README's command sets it). */
const REQUIRED_HOST_VARS: Env = {
  SUBGRAPH_SECRET: 'a-random-value-from-the-host-0123456789abcdef',
  JWT_SECRET: 'another-random-value-from-the-host-0123456789',
  SECRETS_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
};

/** A service's environment as compose sets it, with the host's variables `vars`. */
function serviceEnv(service: string, hostVars: Env = {}): Env {
  const vars = { ...REQUIRED_HOST_VARS, ...hostVars };
  const raw = services[service]?.environment ?? {};
  const entries: [string, string | undefined][] = Array.isArray(raw)
    ? raw.map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, vars[line]] : [line.slice(0, i), line.slice(i + 1)];
      })
    : Object.entries(raw).map(([key, value]) => [key, value === null ? vars[key] : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, value === undefined ? undefined : interpolate(value, vars)]));
}

function commandArgs(service: string): string[] {
  const command = services[service]?.command;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : command.trim().split(/\s+/);
}

/** [service, condition] for each dependency; the short (list) form means service_started. */
function dependencies(service: string): [string, string][] {
  const deps = services[service]?.depends_on ?? [];
  return Array.isArray(deps) ? deps.map((d) => [d, 'service_started']) : Object.entries(deps).map(([d, v]) => [d, v?.condition ?? 'service_started']);
}

/** The program and the http://localhost URLs of a healthcheck. */
function healthProbe(service: string): { program: string; urls: URL[] } {
  const test = services[service]?.healthcheck?.test;
  if (test === undefined) return { program: '', urls: [] };
  let words: string[];
  if (Array.isArray(test)) {
    if (test[0] === 'CMD') words = test.slice(1);
    else if (test[0] === 'CMD-SHELL') words = test.slice(1).join(' ').trim().split(/\s+/);
    else throw new Error(`${service}: healthcheck test must start with CMD or CMD-SHELL`);
  } else {
    words = test.trim().split(/\s+/);
  }
  const text = words.join(' ');
  const urls = [...text.matchAll(/https?:\/\/[^\s'"`)]+/g)].map((m) => new URL(m[0]));
  return { program: words[0] ?? '', urls };
}

/** The container port a service publishes for each `ports` entry. */
function publishedContainerPorts(service: string): number[] {
  return (services[service]?.ports ?? []).map((entry) => {
    if (typeof entry === 'object') return Number(entry.target);
    const withoutProtocol = String(entry).replace(/\/(tcp|udp)$/, '');
    const parts = withoutProtocol.split(':');
    return Number(parts[parts.length - 1]);
  });
}

/** Where deploy/haproxy/haproxy.cfg sends what arrives on `port`: the backend's server-template host and port, and its health check. */
function balancerRoute(port: number): { host: string; port: number; check: string } {
  const sections = read('deploy/haproxy/haproxy.cfg')
    .split(/^(?=\S)/m)
    .map((text) => ({ head: text.split('\n')[0].trim(), body: text }));
  const frontend = sections.find((s) => s.head.startsWith('frontend ') && new RegExp(`^\\s*bind :${port}$`, 'm').test(s.body));
  if (!frontend) throw new Error(`the balancer has no frontend on port ${port}`);
  const backendName = /^\s*default_backend (\S+)$/m.exec(frontend.body)![1];
  const backend = sections.find((s) => s.head === `backend ${backendName}`)!.body;
  const [, host, to] = /^\s*server-template \S+ \d+ ([\w-]+):(\d+)$/m.exec(backend)!;
  const check = /^\s*option httpchk (.+)$/m.exec(backend)?.[1] ?? '';
  return { host, port: Number(to), check };
}

const postgresService = Object.keys(services).find((name) => /^postgres(:|$)/.test(services[name].image ?? ''));

// ---- tsconfig.build.json: what `npm run build` compiles, and where it writes -----------------------

function buildConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.build.json cannot be read');
  return parsed;
}
const build = buildConfig();
const outDir = build.options.outDir!;
const rootDir = build.options.rootDir ?? ROOT;
const compiledSources = new Set(build.fileNames.map((f) => path.resolve(f)));

/** `dist/X.js` (relative to the image's working directory, the repository root) -> `X.ts`. */
const sourceOf = (compiled: string) => path.join(rootDir, path.relative(outDir, path.resolve(ROOT, compiled))).replace(/\.js$/, '.ts');

/** The source folders (first path segment) the build compiles: lib, gateway, subgraphs, scripts… */
const compiledTopFolders = [...new Set([...compiledSources].map((f) => posix(path.relative(ROOT, f)).split('/')[0]))].sort();

// ---- Dockerfile ---------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

function dockerfileStages(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  if (current.trim()) logical.push(current.trim());
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args = ''] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') {
      const [, image, , name] = /^(?:--\S+\s+)*(\S+)(\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: image, name, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

const stages = dockerfileStages(read('Dockerfile'));

/** Sources and destination of a COPY (flags such as --from= returned apart). */
function copyParts(args: string): { flags: string[]; sources: string[]; dest: string } {
  let words: string[];
  if (args.trimStart().startsWith('[')) {
    words = JSON.parse(args) as string[];
  } else {
    words = args.trim().split(/\s+/);
  }
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  return { flags, sources: rest.slice(0, -1), dest: rest[rest.length - 1] };
}

const normalizeSource = (source: string) => posix(path.posix.normalize(source)).replace(/^\.\//, '').replace(/\/$/, '');

/** The stage that runs `npm run build`, and its COPYs from the build context, in order. */
const buildStageIndex = stages.findIndex((s) => s.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)));
const buildStage = stages[buildStageIndex];
const runtimeStage = stages[stages.length - 1];

function execArgs(instruction: Instruction | undefined): string[] {
  if (!instruction) return [];
  const args = instruction.args.trim();
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

/** The runtime stage's ENV (KEY=value pairs, or the legacy `ENV KEY value`). */
function imageEnv(): Env {
  const env: Env = {};
  for (const { args } of runtimeStage.instructions.filter((i) => i.keyword === 'ENV')) {
    const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)];
    if (pairs.length === 0) {
      const [, key, value] = /^(\S+)\s+(.*)$/.exec(args.trim())!;
      env[key] = value;
    }
    for (const [, key, value] of pairs) env[key] = value.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** A service's environment as its container sees it: the image's ENV, then compose's. */
const containerEnv = (service: string, hostVars: Env = {}): Env => ({ ...imageEnv(), ...serviceEnv(service, hostVars) });

// ---- the tests ----------------------------------------------------------------------------------

describe('docker-compose.yml: subgraphs', () => {
  test('there is one service per subgraph, plus postgres and the gateway', () => {
    expect(postgresService).toBeDefined();
    for (const name of SUBGRAPH_NAMES) expect(Object.keys(services)).toContain(name);
    expect(Object.keys(services)).toContain('gateway');
  });

  describe.each(SUBGRAPH_NAMES.map((name) => [name]))('%s', (name: SubgraphName) => {
    const env = serviceEnv(name);

    test('is built from this repository and runs the compiled entry point of its own source', () => {
      expect(services[name].build).toBeDefined();
      const [program, entry, ...rest] = commandArgs(name);
      expect(program).toBe('node');
      expect(rest).toEqual([]);
      const source = sourceOf(entry);
      expect(posix(path.relative(ROOT, source))).toBe(`subgraphs/${name}/index.ts`);
      expect(fs.existsSync(source)).toBe(true);
      // …and `npm run build` (tsconfig.build.json) compiles it to exactly that path.
      expect(compiledSources.has(source)).toBe(true);
    });

    test('sets its listening port through a variable subgraphPort() reads', () => {
      const portVariables = Object.keys(env).filter((key) => key.endsWith('_PORT'));
      expect(portVariables.length).toBeGreaterThan(0);
      for (const key of portVariables) {
        // The variable is one the code really reads: changing it changes the port.
        expect(subgraphPort(name, { ...env, [key]: '65000' })).toBe(65000);
        expect(subgraphPort(name, env)).toBe(Number(env[key]));
      }
    });

    test('its healthcheck runs node (slim images have no curl) against its own port, GET /health', () => {
      const probe = healthProbe(name);
      expect(probe.program).toBe('node');
      expect(probe.urls).toHaveLength(1);
      const [url] = probe.urls;
      expect(['127.0.0.1', 'localhost']).toContain(url.hostname);
      expect(Number(url.port)).toBe(subgraphPort(name, env));
      expect(url.pathname).toBe('/health');
    });

    test('connects to the compose postgres service and database, with the same password variable', () => {
      for (const vars of [{}, { POSTGRES_PASSWORD: 'from-the-host' }] as Env[]) {
        const pg = serviceEnv(postgresService!, vars);
        const url = databaseSettings(serviceEnv(name, vars)).databaseUrl;
        expect(url).toBeDefined();
        const parsed = new URL(url!);
        expect(['postgres:', 'postgresql:']).toContain(parsed.protocol);
        expect(parsed.hostname).toBe(postgresService);
        expect(parsed.port || '5432').toBe('5432');
        expect(decodeURIComponent(parsed.pathname.slice(1))).toBe(pg.POSTGRES_DB ?? pg.POSTGRES_USER ?? 'postgres');
        expect(decodeURIComponent(parsed.username)).toBe(pg.POSTGRES_USER ?? 'postgres');
        expect(decodeURIComponent(parsed.password)).toBe(pg.POSTGRES_PASSWORD);
      }
      expect(serviceEnv(name, { POSTGRES_PASSWORD: 'from-the-host' }).DATABASE_URL).toContain(':from-the-host@');
    });

    test('starts once postgres is healthy', () => {
      expect(dependencies(name)).toEqual([[postgresService, 'service_healthy']]);
    });

    test('publishes no port on the host', () => {
      expect(services[name].ports ?? []).toEqual([]);
    });
  });
});

describe('docker-compose.yml: gateway', () => {
  const env = serviceEnv('gateway');

  test('runs the compiled gateway entry point', () => {
    const [program, entry, ...rest] = commandArgs('gateway');
    expect(program).toBe('node');
    expect(rest).toEqual([]);
    const source = sourceOf(entry);
    expect(posix(path.relative(ROOT, source))).toBe('gateway/index.ts');
    expect(fs.existsSync(source)).toBe(true);
    expect(compiledSources.has(source)).toBe(true);
  });

  test.each(SUBGRAPH_NAMES.map((name) => [name]))(
    'finds every replica of %s through the balancer, which sends to its service name and listening port',
    (name: SubgraphName) => {
      const url = new URL(subgraphUrl(name, env));
      expect(url.hostname).toBe('balancer');
      expect(url.pathname).toBe('/graphql');
      expect(balancerRoute(Number(url.port))).toEqual({ host: name, port: subgraphPort(name, serviceEnv(name)), check: 'GET /ready' });
      const expected = url.href;
      // The variable that carries it is the one subgraphUrl() reads.
      const keys = Object.keys(env).filter((key) => env[key] === expected);
      expect(keys).toHaveLength(1);
      expect(subgraphUrl(name, { ...env, [keys[0]]: 'http://elsewhere:1/graphql' })).toBe('http://elsewhere:1/graphql');
    },
  );

  test('every *_URL variable it sets is read for some subgraph', () => {
    const urlsRead = new Set(SUBGRAPH_NAMES.map((name) => subgraphUrl(name, env)));
    // REDIS_URL is Redis's, checked below with the topology.
    for (const key of Object.keys(env).filter((k) => k.endsWith('_URL') && k !== 'REDIS_URL')) expect(urlsRead).toContain(env[key]);
  });

  test('is reached through the balancer, the only service that publishes a port, which sends to the port it listens on (PORT)', () => {
    expect(env.PORT).toBeDefined();
    expect(gatewayPort({ ...env, PORT: '65000' })).toBe(65000);
    const publishing = Object.keys(services).filter((name) => (services[name].ports ?? []).length > 0);
    expect(publishing).toEqual(['balancer']);
    const [published] = publishedContainerPorts('balancer');
    expect(balancerRoute(published)).toEqual({ host: 'gateway', port: gatewayPort(env), check: 'GET /ready' });
  });

  test('believes X-Forwarded-For from the balancer alone (TRUSTED_PROXIES: its fixed address)', () => {
    const balancer = (services.balancer as { networks?: Record<string, { ipv4_address?: string }> }).networks?.default?.ipv4_address;
    expect(balancer).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(env.TRUSTED_PROXIES).toBe(balancer);
  });

  test('its healthcheck, if any, runs node against its own port', () => {
    if (!services.gateway.healthcheck) return;
    const probe = healthProbe('gateway');
    expect(probe.program).toBe('node');
    for (const url of probe.urls) expect(Number(url.port)).toBe(gatewayPort(env));
  });

  test('starts once every subgraph is healthy', () => {
    const deps = Object.fromEntries(dependencies('gateway'));
    for (const name of SUBGRAPH_NAMES) expect(deps[name]).toBe('service_healthy');
  });
});

describe('docker-compose.yml: the proven topology (test/replicas)', () => {
  const replicasOf = (name: string) => (services[name] as { deploy?: { replicas?: number } }).deploy?.replicas ?? 1;

  test.each(Object.entries(REPLICAS))('%s runs %i replica(s), as the multi-replica suite does', (name, count) => {
    expect(replicasOf(name)).toBe(count);
  });

  test.each(Object.keys(REPLICAS).map((name) => [name]))('%s shares Redis and drains at SIGTERM within its stop grace period', (name) => {
    const env = serviceEnv(name);
    expect(env.REDIS_URL).toBe(`redis://redis:6379`);
    const settings = parsed(env);
    // Two failed checks of the balancer (inter 1s, fall 2) take a stopping replica out before it stops accepting.
    expect(settings.HTTP_DRAIN_DELAY_MS).toBeGreaterThan(2 * 1_000);
    const drainMs = settings.HTTP_DRAIN_DELAY_MS! + (settings.HTTP_SHUTDOWN_TIMEOUT_MS ?? http.DEFAULT_HTTP_SETTINGS.shutdownTimeoutMs) + SHUTDOWN_RELEASE_MS;
    const grace = /^(\d+)s$/.exec(String((services[name] as { stop_grace_period?: string }).stop_grace_period ?? '10s'))!;
    expect(Number(grace[1]) * 1000).toBeGreaterThanOrEqual(drainMs);
  });

  test('every backend of the balancer is checked on GET /ready, with retries only for connections refused', () => {
    const config = read('deploy/haproxy/haproxy.cfg');
    expect(config).toMatch(/^\s*retries \d+$/m);
    expect(config).toMatch(/^\s*option redispatch/m);
    expect(config).not.toMatch(/retry-on/);
    for (const port of [gatewayPort(serviceEnv('gateway')), ...SUBGRAPH_NAMES.map((name) => subgraphPort(name, serviceEnv(name)))])
      expect(balancerRoute(port).check).toBe('GET /ready');
  });
});

describe('docker-compose.yml: health conditions and secrets', () => {
  test('every service waited on with service_healthy has a healthcheck', () => {
    for (const service of Object.keys(services)) {
      for (const [dependency, condition] of dependencies(service)) {
        expect(Object.keys(services)).toContain(dependency);
        if (condition === 'service_healthy') {
          expect(services[dependency].healthcheck?.test).toBeDefined();
          expect(services[dependency].healthcheck?.disable).not.toBe(true);
        }
      }
    }
  });

  test('the postgres password comes from the environment (the default is for local use only)', () => {
    const raw = services[postgresService!].environment as Record<string, string>;
    expect(raw.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD(:?-[^}]*)?\}$/);
    expect(serviceEnv(postgresService!, { POSTGRES_PASSWORD: 'from-the-host' }).POSTGRES_PASSWORD).toBe('from-the-host');
  });

  test('the default subgraph ports in the code are the ones compose uses', () => {
    // Not required for correctness (compose sets them), but a drift here usually means a mistake.
    for (const name of SUBGRAPH_NAMES) expect(subgraphPort(name, serviceEnv(name))).toBe(DEFAULT_SUBGRAPH_PORTS[name]);
  });
});

describe('docker-compose.yml: private subgraphs', () => {
  const served = [...SUBGRAPH_NAMES, 'gateway'];

  test.each(served.map((name) => [name]))('%s listens on all its interfaces in its container (HOST; the code defaults to loopback)', (name) => {
    expect(listenHost({})).toBe('127.0.0.1');
    const host = listenHost(containerEnv(name));
    expect(isLoopback(host)).toBe(false);
    expect(host).toBe('0.0.0.0');
  });

  test.each(served.map((name) => [name]))('%s gets SUBGRAPH_SECRET from the host, never a committed value', (name) => {
    const fromHost = 'x'.repeat(64);
    const env = serviceEnv(name, { SUBGRAPH_SECRET: fromHost });
    expect(env.SUBGRAPH_SECRET).toBe(fromHost);
    expect(subgraphSecret(env)).toBe(fromHost);
    // The file holds only the reference to the host's variable (through a YAML alias).
    const raw = (services[name].environment as Record<string, string>).SUBGRAPH_SECRET;
    expect(raw).toMatch(/^\$\{SUBGRAPH_SECRET(:\?[^}]*)?\}$/);
    // Without it compose refuses to start rather than run subgraphs anyone on the network can read.
    expect(() => serviceEnv(name, { SUBGRAPH_SECRET: undefined })).toThrow(/SUBGRAPH_SECRET is required/);
    expect(() => serviceEnv(name, { SUBGRAPH_SECRET: '' })).toThrow(/SUBGRAPH_SECRET is required/);
  });

  test('the gateway gets JWT_SECRET from the host, and only the gateway', () => {
    const fromHost = 'y'.repeat(64);
    expect(serviceEnv('gateway', { JWT_SECRET: fromHost }).JWT_SECRET).toBe(fromHost);
    expect(jwtSecret({ ...serviceEnv('gateway', { JWT_SECRET: fromHost }), NODE_ENV: 'production' })).toBe(fromHost);
    expect(() => serviceEnv('gateway', { JWT_SECRET: undefined })).toThrow(/JWT_SECRET is required/);
    for (const name of Object.keys(services).filter((n) => n !== 'gateway')) expect(serviceEnv(name).JWT_SECRET).toBeUndefined();
  });

  test('no other service is given the secret', () => {
    const others = Object.keys(services).filter((name) => !served.includes(name));
    for (const name of others) expect(serviceEnv(name).SUBGRAPH_SECRET).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  test('builds in two stages on the maintained LTS line that CI tests (Node 20 is end-of-life)', () => {
    const ciNode = /^NODE24_PACKAGE="node@(\d+)\./m.exec(read('.ci/run'))?.[1];
    expect(ciNode).toBe('24');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toBe(`node:${ciNode}-bookworm-slim`);
    expect(buildStage).toBeDefined();
    expect(buildStage).not.toBe(runtimeStage);
  });

  test('`npm run build` is the tsconfig.build.json compilation', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts?: Record<string, string> };
    expect(pkg.scripts?.build).toMatch(/\btsc\b.*-p\s+tsconfig\.build\.json\b/);
    expect(posix(path.relative(ROOT, outDir))).toBe('dist');
  });

  test('the build stage copies every source folder tsconfig.build.json compiles, before `npm run build`', () => {
    expect(compiledTopFolders.length).toBeGreaterThan(0);
    const instructions = buildStage.instructions;
    const buildAt = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args));
    const copiedBeforeBuild = instructions
      .slice(0, buildAt)
      .filter((i) => i.keyword === 'COPY')
      .map((i) => copyParts(i.args))
      .filter((c) => !c.flags.some((f) => f.startsWith('--from')))
      .flatMap((c) => c.sources.map(normalizeSource));
    for (const folder of compiledTopFolders) expect(copiedBeforeBuild).toContain(folder);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) expect(copiedBeforeBuild).toContain(file);
    // npm ci runs (with its native build) before the sources arrive, so source edits keep that layer cached.
    const ciAt = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(ciAt).toBeGreaterThanOrEqual(0);
    expect(ciAt).toBeLessThan(buildAt);
  });

  test('.dockerignore keeps out what the build makes, and none of the copied sources', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map(normalizeSource);
    for (const entry of ['node_modules', 'dist']) expect(ignored).toContain(entry);
    const copied = buildStage.instructions.filter((i) => i.keyword === 'COPY').flatMap((i) => copyParts(i.args).sources.map(normalizeSource));
    for (const source of copied) expect(ignored).not.toContain(source);
  });

  test('the runtime stage has what the services read at run time, and runs the gateway as node', () => {
    const fromBuild = runtimeStage.instructions
      .filter((i) => i.keyword === 'COPY')
      .map((i) => copyParts(i.args))
      .filter((c) => c.flags.some((f) => f.startsWith('--from')))
      .flatMap((c) => c.sources.map((s) => path.posix.basename(normalizeSource(s))));
    // The gateway reads schema/supergraph.graphql beside dist/ (app/schema-files.ts).
    for (const needed of ['node_modules', 'dist', 'schema', 'package.json']) expect(fromBuild).toContain(needed);
    expect(fs.existsSync(path.join(ROOT, 'schema', 'supergraph.graphql'))).toBe(true);
    const users = runtimeStage.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args.trim());
    expect(users[users.length - 1]).toBe('node');
    const env = runtimeStage.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env.some((e) => /\bNODE_ENV[= ]production\b/.test(e))).toBe(true);
    const cmd = execArgs(runtimeStage.instructions.filter((i) => i.keyword === 'CMD').pop());
    expect(cmd).toEqual(commandArgs('gateway'));
  });
});
