/**
 * The gateway's engine: Hive Gateway's runtime planning with Hive Router's Rust query planner,
 * and refusing to start without it (its JavaScript planner cannot plan SupportContact's @requires).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGatewayService, readSupergraph } from '../../gateway/gateway';
import { listen, type RunningServer } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { ADMIN, startTestStack, TEST_JWT_SECRET, tokenFor, type TestStack } from '../support/stack';
import { supergraphFile } from '../../lib/config';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory(), gateway: { exposeQueryPlans: true } });
});
afterAll(() => stack?.close());

const HEADLINE = `{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { name } billedBy { name } explanation } }`;

test('the headline query is planned by the Rust query planner (batched entity fetches are its own plan node)', async () => {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-expose-query-plan': 'true', authorization: `Bearer ${await tokenFor(ADMIN)}` },
    body: JSON.stringify({ query: HEADLINE }),
  });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  const plan = JSON.stringify(body.extensions.queryPlan);
  expect(body.extensions.queryPlan.kind).toBe('QueryPlan');
  // "BatchFetch" with an entityBatch exists only in Hive Router's planner, not in the JavaScript ones.
  expect(plan).toContain('"kind":"BatchFetch"');
  expect(plan).toContain('"entityBatch"');
  // Without the header the plan stays out of the answer.
  const plain = await stack.graphql(HEADLINE);
  expect(plain.body.extensions?.queryPlan).toBeUndefined();
  expect(plain.body.data).toEqual(body.data);
});

test('without the native planner the gateway does not start, and says why', async () => {
  const previous = process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  // The planner's loader tries only this path when it is set: a module that cannot load.
  process.env.NAPI_RS_NATIVE_LIBRARY_PATH = '/nonexistent/hive_router_query_planner.node';
  try {
    jest.resetModules();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module graph after jest.resetModules (the planner loader reads its path at load)
    const { createGatewayService: createFresh } = require('../../gateway/gateway') as { createGatewayService: typeof createGatewayService };
    await expect(createFresh({ rateLimit: false })).rejects.toThrow(/Rust query planner .* cannot be loaded.*does not fall back to the JavaScript planner/s);
  } finally {
    if (previous === undefined) delete process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
    else process.env.NAPI_RS_NATIVE_LIBRARY_PATH = previous;
  }
});

describe('SUPERGRAPH_FILE: another supergraph, its subgraph URLs unless *_URL says otherwise', () => {
  const VARIABLES = ['SUPERGRAPH_FILE', 'PROVIDERS_URL', 'LICENSES_URL', 'SUPPORT_URL', 'PROVIDERS_PORT', 'LICENSES_PORT', 'SUPPORT_PORT'];
  let saved: Record<string, string | undefined>;
  let dir: string;
  // The gateway's settings as its entry point would parse them: SUPERGRAPH_FILE names this file.
  let file: string;
  const servers: RunningServer[] = [];
  beforeAll(() => {
    saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of VARIABLES) delete process.env[name];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-supergraph-'));
    // The committed supergraph, its join__graph URLs pointing at this test's running subgraphs.
    const sdl = readSupergraph(supergraphFile({})).replace(
      /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
      (_all, name: 'providers' | 'licenses' | 'support') => `@join__graph(name: "${name}", url: "${stack.subgraphs[name].url}")`,
    );
    fs.writeFileSync(path.join(dir, 'supergraph.graphql'), sdl);
    file = path.join(dir, 'supergraph.graphql');
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const ask = async (url: string, query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(ADMIN)}` },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as any;
  };

  test('the gateway serves the file and finds each subgraph at the URL the file records', async () => {
    const server = await listen(
      await createGatewayService({
        environment: { SUPERGRAPH_FILE: file },
        subgraphSecret: stack.subgraphSecret,
        rateLimit: false,
        jwtSecret: TEST_JWT_SECRET,
        directoryChanges: stack.directoryChanges,
      }),
      0,
    );
    servers.push(server);
    const body = await ask(server.url, HEADLINE);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual((await stack.graphql(HEADLINE)).body.data);
  });

  test('LICENSES_URL replaces the URL the file records for that subgraph', async () => {
    const server = await listen(
      await createGatewayService({
        environment: { SUPERGRAPH_FILE: file, LICENSES_URL: 'http://127.0.0.1:9/graphql' }, // the discard port: nothing answers
        subgraphSecret: stack.subgraphSecret,
        rateLimit: false,
        jwtSecret: TEST_JWT_SECRET,
        directoryChanges: stack.directoryChanges,
      }),
      0,
    );
    servers.push(server);
    const body = await ask(server.url, HEADLINE);
    expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licenses' });
    expect((await ask(server.url, '{ supportTopics { id } }')).errors).toBeUndefined(); // the others still come from the file
  });
});
