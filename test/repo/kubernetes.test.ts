/**
 * deploy/kubernetes/ agrees with the code: every manifest is in the kustomization; each service runs
 * an entry point the build produces, listens where its Service and probes point (with the variables
 * lib/config.ts reads), passes the configuration check it runs at start, and finds the subgraphs at
 * their Service names; the probes' routes answer 200 on the real services (started here on
 * loopback); secrets are placeholders. Also docker-compose.yml for Compose v1: no top-level `name:`,
 * and (when Debian's docker-compose is installed) `docker-compose config` accepts it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { COMMANDS } from '../../lib/commands';
import * as config from '../../lib/config';
import { configurationProblems, configurationVariables, SUBGRAPH_NAMES, type SubgraphName } from '../../lib/config';
import { ALL_READERS, type SettingValues } from '../../lib/settings';
import { readSettings } from '../../lib/settings-table';
import { DEFAULT_HTTP_SETTINGS } from '../../lib/http';
import { SHUTDOWN_RELEASE_MS } from '../../lib/main';
import { REPLICAS } from '../replicas/support/topology';
import { startTestStack, type TestStack } from '../support/stack';

// A container's environment as its entry point parses it (the settings table), then what the code makes of it.
type Env = Record<string, string | undefined>;
const parsed = (env: Env) => readSettings(ALL_READERS, env).values as SettingValues;
const gatewayPort = (env: Env) => config.gatewayPort(parsed(env));
const subgraphPort = (name: SubgraphName, env: Env) => config.subgraphPort(name, parsed(env));
const subgraphUrl = (name: SubgraphName, env: Env) => config.subgraphUrl(name, parsed(env));

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'deploy', 'kubernetes');

// ---- the manifests, as kustomize would combine them ------------------------------------------------

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: any;
}

const kustomization = parse(fs.readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[]; images?: { name: string }[] };
const resources: Resource[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS() as Resource;
  }),
);

const find = (kind: string, name: string) => {
  const found = resources.filter((r) => r.kind === kind && r.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

const configMaps = Object.fromEntries(resources.filter((r) => r.kind === 'ConfigMap').map((r) => [r.metadata.name, r.data as Record<string, string>]));
const secrets = Object.fromEntries(resources.filter((r) => r.kind === 'Secret').map((r) => [r.metadata.name, r.stringData as Record<string, string>]));

function container(deployment: Resource) {
  const containers = deployment.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}

/** The container's environment as the process sees it (ConfigMaps and Secrets resolved), and which names come from Secrets. */
function containerEnv(deployment: Resource): { env: Record<string, string>; fromSecrets: string[] } {
  const c = container(deployment);
  const env: Record<string, string> = {};
  const fromSecrets: string[] = [];
  for (const source of c.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMaps[source.configMapRef.name] ?? fail(`no ConfigMap ${source.configMapRef.name}`));
    if (source.secretRef) throw new Error('secrets are passed one key at a time (secretKeyRef), so each service gets only its own');
  }
  for (const entry of c.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = String(entry.value);
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets[ref.name]?.[ref.key];
      if (value === undefined) throw new Error(`${deployment.metadata.name}: ${entry.name} refers to a missing secret key ${ref.name}/${ref.key}`);
      env[entry.name] = value;
      fromSecrets.push(entry.name);
    }
  }
  return { env, fromSecrets };
}

function fail(message: string): never {
  throw new Error(message);
}

/** A container port, by number or by name. */
function containerPort(deployment: Resource, port: number | string): number {
  const ports: { name?: string; containerPort: number }[] = container(deployment).ports ?? [];
  const found = typeof port === 'number' ? ports.find((p) => p.containerPort === port) : ports.find((p) => p.name === port);
  if (!found) throw new Error(`${deployment.metadata.name}: no container port ${port}`);
  return found.containerPort;
}

// ---- what the build compiles (tsconfig.build.json), as in compose.test.ts ---------------------------

const build = ts.getParsedCommandLineOfConfigFile(
  path.join(ROOT, 'tsconfig.build.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  },
)!;
const compiledSources = new Set(build.fileNames.map((f) => path.resolve(f)));
const sourceOf = (compiled: string) =>
  path.join(build.options.rootDir ?? ROOT, path.relative(build.options.outDir!, path.resolve(ROOT, compiled))).replace(/\.js$/, '.ts');

// ---- the environment variable names the code reads -------------------------------------------------

/** Names read through lib/config.ts (some are built from the subgraph name), plus `env.NAME` reads anywhere in the sources. */
function variablesReadByCode(): Set<string> {
  const names = new Set(configurationVariables({ gateway: true, subgraphs: SUBGRAPH_NAMES, database: true }).map(([name]) => name));
  for (const file of compiledSources) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/\benv(?:\.|\[['"`])([A-Z][A-Z0-9_]*)/g)) names.add(match[1]);
  }
  return names;
}

/**
 * Read by code that other branches are adding at the same time (the gateway's token check and the
 * subgraphs' shared secret); once they are merged the names are read and this list can be emptied.
 */
const READ_BY_CODE_IN_FLIGHT = new Set(['JWT_SECRET', 'TRUSTED_PROXIES']);
/** Read by Node itself, not by the code. */
const READ_BY_NODE = new Set(['NODE_OPTIONS']);

// ---- the tests ----------------------------------------------------------------------------------

const SERVICES = ['gateway', ...SUBGRAPH_NAMES] as const;
type ServiceName = (typeof SERVICES)[number];
const isSubgraph = (name: ServiceName): name is SubgraphName => name !== 'gateway';

describe('deploy/kubernetes', () => {
  test('the kustomization lists every manifest of the folder, and kustomize would find no other', () => {
    const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.images?.map((i) => i.name)).toContain('onyx-support-directory');
  });

  test('PostgreSQL and Redis are external: reached through the Secret, not run here; the Secret holds placeholders only', () => {
    expect(resources.filter((r) => r.kind === 'StatefulSet')).toEqual([]);
    const images = resources.filter((r) => r.kind === 'Deployment').map((d) => container(d).image);
    expect(new Set(images)).toEqual(new Set(['onyx-support-directory']));
    const secret = find('Secret', 'onyx-secrets');
    expect(Object.keys(secret.stringData).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'REDIS_URL', 'SECRETS_KEYS', 'SUBGRAPH_SECRET']);
    expect(secret.data).toBeUndefined();
    for (const value of Object.values(secret.stringData) as string[]) expect(value).toMatch(/REPLACE-ME|\.example\.invalid\b/);
  });

  describe.each(SERVICES.map((name) => [name]))('%s', (name: ServiceName) => {
    const deployment = find('Deployment', name);
    const { env, fromSecrets } = containerEnv(deployment);
    const listensOn = isSubgraph(name) ? subgraphPort(name, env) : gatewayPort(env);

    test('runs the compiled entry point of its own source', () => {
      const [program, entry, ...rest] = container(deployment).command;
      expect(program).toBe('node');
      expect(rest).toEqual([]);
      const source = sourceOf(entry);
      expect(path.relative(ROOT, source).split(path.sep).join('/')).toBe(isSubgraph(name) ? `subgraphs/${name}/index.ts` : 'gateway/index.ts');
      expect(compiledSources.has(source)).toBe(true);
    });

    test('listens on all interfaces, on the port its container declares, with a configuration its start check accepts', () => {
      expect(env.HOST).toBe('0.0.0.0');
      expect(containerPort(deployment, 'http')).toBe(listensOn);
      expect(configurationProblems(COMMANDS[name].configuration ?? {}, env)).toEqual([]);
    });

    test('sets only variables the code reads, and gets only the secrets it needs', () => {
      const read = variablesReadByCode();
      for (const variable of Object.keys(env))
        expect({ variable, read: read.has(variable) || READ_BY_CODE_IN_FLIGHT.has(variable) || READ_BY_NODE.has(variable) }).toEqual({ variable, read: true });
      // SECRETS_KEYS: only the subgraphs that seal secrets at rest.
      const sealing = name === 'providers' || name === 'licenses' ? ['SECRETS_KEYS'] : [];
      expect(fromSecrets.sort()).toEqual(isSubgraph(name) ? ['DATABASE_URL', ...sealing, 'SUBGRAPH_SECRET'] : ['JWT_SECRET', 'REDIS_URL', 'SUBGRAPH_SECRET']);
    });

    test('its Service selects its pods and forwards to the port it listens on', () => {
      const service = find('Service', name);
      const podLabels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
      for (const [key, value] of Object.entries(service.spec.selector)) expect(podLabels[key]).toBe(value);
      expect(service.spec.ports).toHaveLength(1);
      expect(containerPort(deployment, service.spec.ports[0].targetPort)).toBe(listensOn);
    });

    test('is ready on /ready (what the multi-replica suite balances on) and alive on /health, on its own port', () => {
      const c = container(deployment);
      expect(c.readinessProbe.httpGet.path).toBe('/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health');
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
        expect(containerPort(deployment, probe.httpGet.port)).toBe(listensOn);
      }
    });

    test('runs the replicas the multi-replica suite proves (test/replicas), rolled one at a time with a surge', () => {
      expect(deployment.spec.replicas).toBe(REPLICAS[name]);
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    });

    test('is given time to drain at SIGTERM: the drain delay, the requests in flight and releasing the rest fit in its grace period', () => {
      const settings = parsed(env);
      const drainMs =
        (settings.HTTP_DRAIN_DELAY_MS ?? DEFAULT_HTTP_SETTINGS.drainDelayMs!) + (settings.HTTP_SHUTDOWN_TIMEOUT_MS ?? DEFAULT_HTTP_SETTINGS.shutdownTimeoutMs);
      // Endpoints and the ingress take a few seconds to stop sending: the replica serves, not ready, meanwhile.
      expect(settings.HTTP_DRAIN_DELAY_MS).toBeGreaterThanOrEqual(3_000);
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(drainMs + SHUTDOWN_RELEASE_MS);
    });

    test('requests CPU and memory and limits memory', () => {
      const { requests, limits } = container(deployment).resources;
      expect(requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(limits.memory).toEqual(expect.any(String));
    });

    test('runs as a non-root user without privilege escalation', () => {
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(container(deployment).securityContext.allowPrivilegeEscalation).toBe(false);
    });
  });

  test.each(SUBGRAPH_NAMES.map((name) => [name]))('the gateway finds %s at its Service name and port', (name: SubgraphName) => {
    const { env } = containerEnv(find('Deployment', 'gateway'));
    const service = find('Service', name);
    expect(subgraphUrl(name, env)).toBe(`http://${service.metadata.name}:${service.spec.ports[0].port}/graphql`);
  });

  test('a HorizontalPodAutoscaler scales the gateway Deployment on CPU (which its container requests)', () => {
    const hpa = find('HorizontalPodAutoscaler', 'gateway');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics).toContainEqual({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } },
    });
    expect(container(find('Deployment', 'gateway')).resources.requests.cpu).toBeDefined();
  });
});

describe('the probes answer on the real services', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(() => stack?.close());

  const base = (url: string) => url.replace(/\/graphql$/, '');
  const probes = (name: ServiceName) => {
    const c = container(find('Deployment', name));
    return [...new Set([c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean).map((p) => p.httpGet.path as string))];
  };

  test('the gateway', async () => {
    for (const probe of probes('gateway')) expect({ probe, status: (await fetch(`${base(stack.url)}${probe}`)).status }).toEqual({ probe, status: 200 });
  });

  test.each(SUBGRAPH_NAMES.map((name) => [name]))('the %s subgraph', async (name: SubgraphName) => {
    for (const probe of probes(name))
      expect({ probe, status: (await fetch(`${base(stack.subgraphs[name].url)}${probe}`)).status }).toEqual({ probe, status: 200 });
  });
});

describe('docker-compose.yml with Compose v1', () => {
  const file = path.join(ROOT, 'docker-compose.yml');

  test("has no top-level key Debian's docker-compose 1.29 rejects, and its gateway is healthy only when ready", () => {
    const compose = parse(fs.readFileSync(file, 'utf8'));
    expect(
      Object.keys(compose).filter((key) => !['services', 'volumes', 'networks', 'secrets', 'configs', 'version'].includes(key) && !key.startsWith('x-')),
    ).toEqual([]);
    expect(compose.services.gateway.healthcheck.test.join(' ')).toContain('/ready');
  });

  const dockerCompose = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => fs.existsSync(p));
  (dockerCompose ? test : test.skip)('`docker-compose config` (v1) accepts it', async () => {
    const { stdout } = await promisify(execFile)(dockerCompose!, ['-f', file, 'config'], {
      env: {
        ...process.env,
        POSTGRES_PASSWORD: 'x',
        SUBGRAPH_SECRET: 'a-placeholder-of-at-least-32-bytes-for-config',
        JWT_SECRET: 'another-placeholder-of-32-bytes-for-config',
        SECRETS_KEYS: 'k1:YS1wbGFjZWhvbGRlci1rZXktb2YtMzItYnl0ZXMhIQ==',
      },
    });
    expect(parse(stdout).services.gateway.depends_on.providers.condition).toBe('service_healthy');
  });
});
