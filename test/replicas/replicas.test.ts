/**
 * Many replicas, one truth (docs/deploy.md "Scaling out"), proven live: two gateways, two replicas
 * each of the providers and licenses subgraphs and one of support, behind HAProxy (round robin,
 * health checks on GET /ready), on one PostgreSQL and one Redis of the suite's own, every one a
 * real process from the built entry points (test/replicas/support/cluster.ts). `npm run
 * test:replicas`; not part of `npm test` (it needs HAProxy, redis-server and PostgreSQL's binaries).
 *
 * The tests share one cluster and run in order: the quiet ones first, then those that stop, kill
 * and restart processes, Redis and PostgreSQL. The figures (visibility in ms, requests lost in the
 * rolling restart) are printed at the end; the only timed assertion is the pinned "within one second".
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { FREE_SIGN_IN_ATTEMPTS } from '../../gateway/identity/sign-in-throttle';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { admin, dataOf, graphql, rawPost, type Answer, type Caller } from './support/client';
import { RATE_LIMIT_PER_MINUTE, REPLICAS, runNode, SERVICES, startCluster, type Cluster, type Replica, type Service } from './support/cluster';
import { sleep, until } from './support/services';

let cluster: Cluster;
const figures: string[] = [];
const note = (line: string) => {
  figures.push(line);
  console.log(line);
};

beforeAll(async () => {
  cluster = await startCluster();
}, 300_000);

afterAll(async () => {
  if (figures.length) console.log(`Multi-replica figures:\n  ${figures.join('\n  ')}`);
  await cluster?.close();
}, 120_000);

const gatewayA = () => cluster.replicas.gateway[0].base;
const gatewayB = () => cluster.replicas.gateway[1].base;

const ADMIN = admin('replicas-admin');
const PROVIDER = 'nordkiefer-demo';
const LICENSE = 'OC3-DEMO-0001';

const PROVIDER_QUERY = `query ($id: ID!) { provider(id: $id) { id name version phone offers { id title price { amount currency } unit description } } }`;
const LICENSE_QUERY = `query ($key: ID!) { license(key: $key) { key version status maintenancePaidThrough } }`;
const SAVE_OFFER = `mutation ($providerId: ID!, $input: OfferInput!) { saveOffer(providerId: $providerId, input: $input) { id version title price { amount currency } unit description } }`;

/**
 * Asks `base` again and again (as `as`) until an answer shows the change (`seen`); says when, from
 * `since` (the change acknowledged), the first request whose answer showed it was sent and answered.
 * Fails when a request sent `deadlineMs` or more after `since` still does not show it: "a change is in
 * the next answer of every other replica within one second" is about when a request is sent, not how
 * long a busy machine takes to answer it.
 */
async function visibleAfter(
  base: string,
  query: string,
  variables: Record<string, unknown>,
  as: Caller,
  seen: (data: any) => boolean,
  since: number,
  deadlineMs = 1_000,
) {
  for (;;) {
    const sentAfter = Date.now() - since;
    if (seen(dataOf(await graphql(base, query, variables, { as })))) return `sent ${sentAfter} ms after, answered ${Date.now() - since} ms after`;
    if (sentAfter >= deadlineMs) throw new Error(`a request sent ${sentAfter} ms after the change to ${base} did not show it`);
    await sleep(10);
  }
}

// ---- a change through one replica is in the next answer of every other --------------------------

describe('a change through one gateway is in the next answer of the other within one second, cache included', () => {
  test('self-service: a provider updates its phone number through one gateway', async () => {
    const reader = admin('visibility-self-service');
    const before = dataOf(await graphql(gatewayB(), PROVIDER_QUERY, { id: PROVIDER }, { as: reader })).provider;
    // Asked twice: the second answer is the response cache's (kept in Redis, shared by both gateways).
    dataOf(await graphql(gatewayB(), PROVIDER_QUERY, { id: PROVIDER }, { as: reader }));
    const phone = `+49 371 ${Date.now() % 1_000_000}`;
    const changed = await graphql(
      gatewayA(),
      `
        mutation ($id: ID!, $version: Int!, $input: ProviderUpdateInput!) {
          updateProvider(id: $id, version: $version, input: $input) {
            version
            phone
          }
        }
      `,
      { id: PROVIDER, version: before.version, input: { phone } },
      { as: { sub: 'nordkiefer-staff', role: 'provider', provider: PROVIDER } },
    );
    const at = Date.now();
    expect(dataOf(changed).updateProvider.phone).toBe(phone);
    const ms = await visibleAfter(gatewayB(), PROVIDER_QUERY, { id: PROVIDER }, reader, (data) => data.provider.phone === phone, at);
    note(`visibility, self-service (updateProvider on gateway A, read on gateway B): the first answer to show it: ${ms} the change was acknowledged`);
  });

  test('lifecycle: an admin suspends a license through one gateway', async () => {
    const reader = admin('visibility-lifecycle');
    const before = dataOf(await graphql(gatewayB(), LICENSE_QUERY, { key: 'OC3-DEMO-0002' }, { as: reader })).license;
    dataOf(await graphql(gatewayB(), LICENSE_QUERY, { key: 'OC3-DEMO-0002' }, { as: reader }));
    expect(before.status).toBe('ACTIVE');
    const changed = await graphql(
      gatewayA(),
      `
        mutation ($key: ID!, $version: Int!) {
          suspendLicense(key: $key, version: $version) {
            status
          }
        }
      `,
      { key: 'OC3-DEMO-0002', version: before.version },
      { as: ADMIN },
    );
    const at = Date.now();
    expect(dataOf(changed).suspendLicense.status).toBe('SUSPENDED');
    const ms = await visibleAfter(gatewayB(), LICENSE_QUERY, { key: 'OC3-DEMO-0002' }, reader, (data) => data.license.status === 'SUSPENDED', at);
    note(`visibility, lifecycle (suspendLicense on gateway A, read on gateway B): the first answer to show it: ${ms} the change was acknowledged`);
  });

  test('import: the directory import (its own process) is in the next answer of both gateways', async () => {
    const reader = admin('visibility-import');
    for (const base of [gatewayA(), gatewayB()]) dataOf(await graphql(base, PROVIDER_QUERY, { id: 'zahnrad-demo' }, { as: reader }));
    // The directory as it stands (self-service changes included), with one provider renamed.
    const directory = JSON.parse(fs.readFileSync(path.join(cluster.build.root, 'seed', 'demo-directory.json'), 'utf8'));
    const name = `Zahnrad Dental ${randomUUID().slice(0, 8)}`;
    directory.providers = directory.providers.map((p: { id: string }) => (p.id === 'zahnrad-demo' ? { ...p, name } : p));
    const file = path.join(cluster.importEnv.DATA_DIR!, 'renamed.json');
    fs.writeFileSync(file, JSON.stringify(directory));
    await runNode(cluster.build, 'scripts/import.js', [file], cluster.importEnv);
    const at = Date.now();
    for (const [label, base] of [
      ['A', gatewayA()],
      ['B', gatewayB()],
    ] as const) {
      const ms = await visibleAfter(base, PROVIDER_QUERY, { id: 'zahnrad-demo' }, reader, (data) => data.provider.name === name, at);
      note(`visibility, import (the import command, read on gateway ${label}): the first answer to show it: ${ms} the import exited`);
    }
  });
});

// ---- what the gateways share --------------------------------------------------------------------

/** Sends `count` requests as `as`, alternating between the two gateways; the statuses in order. */
async function alternate(count: number, as: Caller): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      graphql(i + j === 0 || (i + j) % 2 === 0 ? gatewayA() : gatewayB(), '{ supportTopics { id } }', {}, { as }),
    );
    statuses.push(...(await Promise.all(batch)).map((answer) => answer.status));
  }
  return statuses;
}

describe('the gateways share', () => {
  test('the rate limit: one caller gets one allowance across both gateways', async () => {
    const statuses = await alternate(RATE_LIMIT_PER_MINUTE + 10, admin(`rate-${randomUUID()}`));
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  test('the sign-in throttle: wrong codes tried through both gateways count once, against one allowance', async () => {
    const issued = dataOf(
      await graphql(
        gatewayA(),
        `
          mutation ($key: ID!) {
            issueLicenseAccessCode(licenseKey: $key) {
              accessCode
            }
          }
        `,
        { key: 'OC3-DEMO-0004' },
        { as: ADMIN },
      ),
    );
    expect(issued.issueLicenseAccessCode.accessCode).toEqual(expect.any(String));
    const outcomes: string[] = [];
    // Each replica counting alone would check 2 × the allowance before refusing. Every attempt comes
    // from one address (the balancer's), so the allowance of one license key at one address applies.
    const allowance = FREE_SIGN_IN_ATTEMPTS.licenseAtAddress;
    for (let attempt = 0; attempt < allowance + 3; attempt++) {
      const answer = await graphql(
        attempt % 2 === 0 ? gatewayA() : gatewayB(),
        `mutation { signIn(licenseKey: "OC3-DEMO-0004", accessCode: "WRONG-CODE-${attempt}") { token } }`,
      );
      const error = answer.body.errors?.[0]?.extensions;
      outcomes.push(error?.code === 'TOO_MANY_SIGN_IN_ATTEMPTS' ? 'refused' : error?.reason === 'SIGN_IN_FAILED' ? 'checked' : JSON.stringify(answer.body));
    }
    const checked = outcomes.indexOf('refused');
    // Counted in Redis and decided in one call: exactly the allowance is checked, whichever gateway each attempt reaches.
    expect(checked).toBe(allowance);
    expect(outcomes.slice(0, allowance)).toEqual(Array(allowance).fill('checked'));
    expect(outcomes.slice(checked)).toEqual(Array(outcomes.length - checked).fill('refused'));
  });

  test('idempotency keys: a retry through the other gateway gets the first answer and changes nothing again', async () => {
    const as = { sub: 'mundwerk-staff', role: 'provider', provider: 'mundwerk-demo' };
    const key = randomUUID();
    const input = { service: 'TRAINING', title: `Idempotent ${key.slice(0, 8)}`, price: { amount: '120.00', currency: 'EUR' }, unit: 'PER_DAY' };
    const first = await graphql(gatewayA(), SAVE_OFFER, { providerId: 'mundwerk-demo', input }, { as, headers: { 'idempotency-key': key } });
    const retry = await graphql(gatewayB(), SAVE_OFFER, { providerId: 'mundwerk-demo', input }, { as, headers: { 'idempotency-key': key } });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await graphql(
      gatewayB(),
      SAVE_OFFER,
      { providerId: 'mundwerk-demo', input: { ...input, title: 'Another' } },
      { as, headers: { 'idempotency-key': key } },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const offers = dataOf(await graphql(gatewayA(), PROVIDER_QUERY, { id: 'mundwerk-demo' }, { as: ADMIN })).provider.offers as { title: string }[];
    expect(offers.filter((offer) => offer.title === input.title)).toHaveLength(1);
  });

  test('automatic persisted queries: a document registered on one gateway is known to the other', async () => {
    const query = `{ supportTopics { id name } apq_${randomUUID().replace(/-/g, '')}: supportCategories { id } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await graphql(gatewayB(), undefined, {}, { as: ADMIN, extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    dataOf(await graphql(gatewayA(), query, {}, { as: ADMIN, extensions }));
    expect(dataOf(await graphql(gatewayB(), undefined, {}, { as: ADMIN, extensions })).supportTopics.length).toBeGreaterThan(0);
  });
});

// ---- webhooks -------------------------------------------------------------------------------------

describe('webhooks', () => {
  let receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
  });

  test('each license event is delivered exactly once per endpoint, with both providers replicas dispatching', async () => {
    receivers = [await startWebhookReceiver(), await startWebhookReceiver()];
    const distributor = { sub: 'alpendent-hooks', role: 'provider', provider: 'alpendent-demo' };
    const secrets: string[] = [];
    for (const receiver of receivers) {
      const registered = await graphql(
        cluster.gateway,
        `
          mutation ($providerId: ID!, $url: String!) {
            registerWebhookEndpoint(providerId: $providerId, url: $url, events: [LICENSE_REGISTERED]) {
              secret
            }
          }
        `,
        { providerId: 'alpendent-demo', url: receiver.url },
        { as: distributor },
      );
      secrets.push(dataOf(registered).registerWebhookEndpoint.secret);
    }
    const keys = Array.from({ length: 10 }, (_, i) => `LC-REPLICAS-HOOK-${i}`);
    await Promise.all(
      keys.map(async (key) =>
        dataOf(
          await graphql(
            cluster.gateway,
            `
              mutation ($input: LicenseRegistrationInput!) {
                registerLicense(input: $input) {
                  key
                }
              }
            `,
            {
              input: {
                key,
                packageName: 'OnyxCeph³ 3D Pro',
                type: 'WORKSTATION',
                programVersion: '3.2',
                holder: { name: `Praxis ${key}`, country: 'AT', language: 'de', vatId: null },
              },
            },
            { as: distributor },
          ),
        ),
      ),
    );
    for (const [i, receiver] of receivers.entries()) {
      await until(`ten deliveries at endpoint ${i + 1}`, () => receiver.received.length >= keys.length, 30_000);
    }
    // Both dispatchers poll every 100 ms: a duplicate would have arrived within a few polls.
    await sleep(1_500);
    for (const [i, receiver] of receivers.entries()) {
      const events = receiver.received.map((hook) => new Webhook(secrets[i]).verify(hook.body, hook.headers) as { type: string; data: { key: string } });
      expect(events.map((event) => event.data.key).sort()).toEqual([...keys].sort());
      expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(keys.length);
    }
    expect(cluster.replicas.providers).toHaveLength(REPLICAS.providers);
  });
});

// ---- SIGTERM drains --------------------------------------------------------------------------------

const ROUTING = `query ($key: ID!) { license(key: $key) { key vendor { name } supportContact(topic: "training") { contacts { id name offers { price { amount } } } explanation } } }`;

describe('SIGTERM drains', () => {
  test('a gateway stopped with SIGTERM reports not ready first, answers every request it accepted, closes kept-alive connections after their answer, and exits 0', async () => {
    const gateway = cluster.replicas.gateway[0];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
    const authorization = `Bearer ${await (await import('./support/client')).tokenOf(admin('drain-test'))}`;
    const body = (i: number) => JSON.stringify({ query: ROUTING, variables: { key: `OC3-DEMO-000${(i % 9) + 1}` } });
    // Connections opened and kept alive before the signal.
    const warm = await Promise.all(Array.from({ length: 10 }, (_, i) => rawPost(gateway.base, body(i), agent, { authorization })));
    expect(warm.map((a) => a.status)).toEqual(Array(10).fill(200));
    const inFlight = Array.from({ length: 30 }, (_, i) => rawPost(gateway.base, body(i), agent, { authorization }));
    await sleep(5);
    gateway.child.kill('SIGTERM');
    void gateway.exit.then((exit) => exit.code !== 0 && console.log(`gateway exited ${JSON.stringify(exit)}:\n${gateway.output.slice(-4_000)}`));
    // Not ready while it still serves: the balancer's check takes it out before it stops accepting.
    await until('GET /ready to answer 503 while the gateway drains', async () => (await fetch(`${gateway.base}/ready`)).status === 503, 5_000, 20);
    const during = await rawPost(gateway.base, body(0), agent, { authorization });
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    for (const answer of answers) expect(JSON.parse(answer.body).errors).toBeUndefined();
    expect({ status: during.status, connection: during.connection }).toEqual({ status: 200, connection: 'close' });
    expect(exitOf(gateway, await gateway.exit)).toEqual({ code: 0, signal: null });
    expect(gateway.output).toContain('SIGTERM received, stopping');
    agent.destroy();
    await cluster.startReplica('gateway');
    await cluster.settled();
  });

  test('a rolling restart of every process, one at a time, under steady load through the balancer loses zero requests', async () => {
    const load = steadyLoad(cluster.gateway, 4);
    const restarted: string[] = [];
    try {
      await sleep(1_000);
      for (const service of SERVICES) {
        for (const old of [...cluster.replicas[service]]) {
          // The new one first (maxSurge 1, maxUnavailable 0), routed to before the old one is stopped.
          await cluster.startReplica(service);
          expect(exitOf(old, await cluster.stopReplica(old))).toEqual({ code: 0, signal: null });
          restarted.push(`${service}:${old.port}`);
          await cluster.settled();
        }
      }
      await sleep(1_000);
    } finally {
      void load.stop();
    }
    const result = await load.stop();
    note(`rolling restart of ${restarted.length} processes under load: ${result.sent} requests sent, ${result.failed.length} lost`);
    expect(restarted).toHaveLength(Object.values(REPLICAS).reduce((a, b) => a + b, 0));
    expect(result.sent).toBeGreaterThan(50);
    expect(result.failed).toEqual([]);
  });
});

/** The exit, with the process's output when it is not the clean one (the failing test shows why). */
const exitOf = (replica: Replica, exit: { code: number | null; signal: NodeJS.Signals | null }) =>
  exit.code === 0 ? exit : { ...exit, output: replica.output.slice(-4_000) };

/** `workers` loops sending reads that cross every subgraph and writes, each as one of many callers (the rate limit is per caller). */
function steadyLoad(base: string, workers: number) {
  let running = true;
  let sent = 0;
  const failed: string[] = [];
  const one = async (i: number) => {
    const write = i % 5 === 0;
    // Prices are the provider's own to set: the writes come from its staff.
    const as: Caller = write ? { sub: `load-${i % 40}`, role: 'provider', provider: 'laguna-demo' } : admin(`load-${i % 40}`);
    const answer: Answer | Error = await (
      write
        ? graphql(
            base,
            SAVE_OFFER,
            {
              providerId: 'laguna-demo',
              input: { service: 'USER_SUPPORT', title: `Load ${i}`, price: { amount: '10.00', currency: 'EUR' }, unit: 'PER_HOUR' },
            },
            { as },
          )
        : graphql(base, ROUTING, { key: `OC3-DEMO-000${(i % 9) + 1}` }, { as })
    ).catch((error: Error) => error);
    sent++;
    if (answer instanceof Error) failed.push(`#${i}: ${answer.message}`);
    else if (answer.status !== 200 || answer.body.errors?.length)
      failed.push(`#${i}: HTTP ${answer.status} ${String(JSON.stringify(answer.body)).slice(0, 300)}`);
  };
  let next = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) await one(next++);
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { sent, failed };
    },
  };
}

// ---- kill -9 --------------------------------------------------------------------------------------

describe('kill -9', () => {
  test('a providers replica killed in the middle of a burst of writes: every acknowledged write is there, none half-written, the other replica takes over', async () => {
    const victim = cluster.replicas.providers[0];
    const as = { sub: 'grenzland-staff', role: 'provider', provider: 'grenzland-demo' };
    const run = randomUUID().slice(0, 8);
    const inputOf = (i: number) => ({
      service: 'TRAINING',
      title: `Burst ${run} ${i}`,
      description: `written by write ${i} of burst ${run}`,
      price: { amount: `${100 + i}.50`, currency: 'EUR' },
      unit: 'PER_PARTICIPANT',
    });
    const acknowledged = new Map<number, string>();
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (next < 60) {
        const i = next++;
        if (i === 15 && !killed) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
        const answer = await graphql(cluster.gateway, SAVE_OFFER, { providerId: 'grenzland-demo', input: inputOf(i) }, { as }).catch(() => undefined);
        if (answer?.status === 200 && !answer.body.errors?.length) acknowledged.set(i, answer.body.data!.saveOffer.id);
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    expect(await victim.exit).toEqual({ code: null, signal: 'SIGKILL' });
    // The balancer has taken the killed replica out: writes through the other one all succeed.
    await cluster.settled();
    const after = await Promise.all(
      [60, 61, 62, 63, 64].map((i) => graphql(cluster.gateway, SAVE_OFFER, { providerId: 'grenzland-demo', input: inputOf(i) }, { as })),
    );
    for (const [j, answer] of after.entries()) acknowledged.set(60 + j, dataOf(answer).saveOffer.id);

    const offers = dataOf(await graphql(cluster.gateway, PROVIDER_QUERY, { id: 'grenzland-demo' }, { as: admin('kill-reader') })).provider.offers as {
      id: string;
      title: string;
      description: string;
      price: { amount: string; currency: string };
      unit: string;
    }[];
    const burst = offers.filter((offer) => offer.title.startsWith(`Burst ${run} `));
    for (const [i, id] of acknowledged) expect({ i, present: burst.some((offer) => offer.id === id) }).toEqual({ i, present: true });
    // Whatever was written, acknowledged or not, was written whole, and once.
    for (const offer of burst) {
      const i = Number(offer.title.split(' ').pop());
      const input = inputOf(i);
      expect(offer).toEqual({ id: offer.id, title: input.title, description: input.description, price: input.price, unit: input.unit });
    }
    expect(new Set(burst.map((offer) => offer.title)).size).toBe(burst.length);
    note(`kill -9 of a providers replica during 65 writes: ${acknowledged.size} acknowledged, all present; ${burst.length} written`);
    await cluster.startReplica('providers');
    await cluster.settled();
  });
});

// ---- Redis outage ------------------------------------------------------------------------------------

describe('Redis outage', () => {
  test('with Redis stopped the gateways keep answering; the degradation is logged once; with Redis back they share again without a restart', async () => {
    const gateways = [...cluster.replicas.gateway];
    const reader = admin('redis-outage-reader');
    await cluster.redis.stop();
    const timings: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      for (const gateway of gateways) dataOf(await graphql(gateway.base, '{ supportTopics { id } }', {}, { as: reader }));
      dataOf(await graphql(gateways[i % 2].base, PROVIDER_QUERY, { id: PROVIDER }, { as: admin(`redis-outage-${i}`) }));
      timings.push(Date.now() - started);
    }
    note(`Redis down: three answers per round from the gateways in ${timings.join(', ')} ms`);
    await until('each gateway to log that Redis is unreachable', () => gateways.every((g) => /"event":"redis_unavailable"/.test(g.output)), 10_000);

    await cluster.redis.start();
    await until('each gateway to log that Redis is back', () => gateways.every((g) => /"event":"redis_available"/.test(g.output)), 15_000);
    for (const gateway of gateways) {
      expect(gateway.output.match(/"event":"redis_unavailable"/g)).toHaveLength(1);
      expect(gateway.output.match(/"event":"redis_available"/g)).toHaveLength(1);
    }
    // Shared again: one allowance across both gateways.
    const statuses = await alternate(RATE_LIMIT_PER_MINUTE + 5, admin(`rate-after-redis-${randomUUID()}`));
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

// ---- PostgreSQL restart ----------------------------------------------------------------------------

describe('PostgreSQL restart', () => {
  test('while PostgreSQL is down answers fail clearly and in time; once it is back every replica recovers by itself', async () => {
    const reader = admin('postgres-restart');
    const ask = (base: string, key: string) => graphql(base, LICENSE_QUERY, { key }, { as: reader, signal: AbortSignal.timeout(45_000) });
    dataOf(await ask(cluster.gateway, LICENSE));
    await cluster.postgres.stop();
    const failures: Answer[] = [];
    for (const [i, gateway] of cluster.replicas.gateway.entries()) {
      for (const key of ['OC3-DEMO-0005', 'OC3-DEMO-0006']) failures.push(await ask(gateway.base, `${key}`).then((a) => ({ ...a, i })));
    }
    for (const failure of failures) {
      expect(failure.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(failure.body.errors?.[0]?.message).toMatch(/database/i);
    }
    await cluster.postgres.start();
    for (const gateway of cluster.replicas.gateway) {
      await until(
        `gateway ${gateway.port} to answer from the database again`,
        async () => dataOf(await ask(gateway.base, 'OC3-DEMO-0007')).license.key,
        30_000,
        200,
      );
    }
    // Every subgraph replica: a write through the balancer reaches each in turn.
    for (let i = 0; i < 4; i++) {
      const before = dataOf(await ask(cluster.gateway, 'OC3-DEMO-0008')).license;
      dataOf(
        await graphql(
          cluster.gateway,
          `mutation ($key: ID!, $version: Int!) { recordMaintenancePayment(key: $key, version: $version, paidThrough: "${2030 + i}-12-31") { version } }`,
          { key: 'OC3-DEMO-0008', version: before.version },
          { as: ADMIN },
        ),
      );
    }
    const all: Service[] = ['providers', 'licenses', 'support'];
    for (const service of all) for (const replica of cluster.replicas[service]) expect((await fetch(`${replica.base}/ready`)).status).toBe(200);
  });
});

export type { Replica };
