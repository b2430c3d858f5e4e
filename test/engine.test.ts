/**
 * The gateway's engine: Hive Gateway's runtime planning with Hive Router's Rust query planner,
 * and refusing to start without it (its JavaScript planner cannot plan SupportContact's @requires).
 */
import { createGatewayService } from '../gateway/gateway';
import { networkDirectory } from './fixtures/network';
import { ADMIN, startTestStack, tokenFor, type TestStack } from './support/stack';

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
    const { createGatewayService: createFresh } = require('../gateway/gateway') as { createGatewayService: typeof createGatewayService };
    await expect(createFresh({ rateLimit: false })).rejects.toThrow(/Rust query planner .* cannot be loaded.*does not fall back to the JavaScript planner/s);
  } finally {
    if (previous === undefined) delete process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
    else process.env.NAPI_RS_NATIVE_LIBRARY_PATH = previous;
  }
});
