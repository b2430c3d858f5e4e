/**
 * gateway/upstream/subgraph-transport.ts: how queries reach the subgraphs. Through the gateway: two callers
 * asking the same thing at the same moment each get their own answer, and answers that are not
 * GraphQL are named failures without their body. On the transport itself (from outside, nothing
 * tells when a request has reached the transport, so a second identical one cannot be timed to
 * arrive while the first is under way): the same caller's identical queries share one call,
 * each with its own copy of the answer; mutations and other callers never share.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationTypeNode, parse } from 'graphql';
import type { ExecutionRequest, ExecutionResult } from '@graphql-tools/utils';
import { subgraphTransport } from '../../gateway/upstream/subgraph-transport';
import { rememberIdentity } from '../../gateway/identity/identity';
import { subgraphFailure, SubgraphFailure } from '../../gateway/upstream/subgraph-fetch';
import { IDENTITY_HEADER } from '../../lib/subgraph-signature';
import { type RunningServer } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { ADMIN, gatewayBeside, subgraphUrlsOf, startTestStack, tokenFor, type TestStack } from '../support/stack';
import { message } from '../../lib/i18n/message';

let stack: TestStack;
const started: RunningServer[] = [];
const servers: http.Server[] = [];
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterEach(async () => {
  for (const server of started.splice(0)) await server.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
afterAll(() => stack?.close());

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const readAll = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * In front of a real subgraph: holds every call until `count` have come (then passes them all on),
 * so calls that could be shared are under way at the same moment. Records each call's identity.
 */
async function barrier(target: string, count: number) {
  const identities: string[] = [];
  const held: (() => void)[] = [];
  const url = await serve(async (req, res) => {
    const body = await readAll(req);
    identities.push(String(req.headers[IDENTITY_HEADER]));
    await new Promise<void>((release) => {
      held.push(release);
      if (held.length === count) for (const one of held) one();
    });
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][],
    );
    const answer = await fetch(target, { method: 'POST', headers, body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
  });
  return { url, identities };
}

const ask = (url: string, query: string, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

describe('through the gateway', () => {
  test('two callers asking the same query at the same moment each get their own answer', async () => {
    const licenses = await barrier(stack.subgraphs.licenses.url, 2);
    const server = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses: licenses.url } });
    started.push(server);
    const query = '{ license(key: "L-PARTNER") { key holder { name vatId } } }';
    const [admin, anonymous] = await Promise.all([ask(server.url, query, await tokenFor(ADMIN)), ask(server.url, query)]);
    // Both calls reached the subgraph, each with its own identity (the barrier let them through together).
    expect(licenses.identities).toHaveLength(2);
    expect(new Set(licenses.identities).size).toBe(2);
    expect(admin.body).toEqual(await stack.graphql(query).then((r) => r.body));
    expect(anonymous.body).toEqual(await stack.graphql(query, undefined, null).then((r) => r.body));
    expect(anonymous.body).not.toEqual(admin.body);
  });

  test.each([
    ['a body that is not JSON', '<html>Error at /work/x.js select * from license</html>'],
    ['an empty body', ''],
    ['JSON that is not a GraphQL result', '[1, 2]'],
    ['neither data nor errors', '{"data": null}'],
  ])('an HTTP 200 answer with %s is SUBGRAPH_ERROR_ANSWER naming the subgraph, without the body', async (_, text) => {
    const broken = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(text));
    const server = await gatewayBeside(stack, { subgraphUrls: { ...subgraphUrlsOf(stack), licenses: broken } });
    started.push(server);
    const { status, body } = await ask(server.url, '{ license(key: "L-VENDOR") { key } }');
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Subgraph "licenses" answered HTTP 200 without a GraphQL answer',
        extensions: expect.objectContaining({ code: 'SUBGRAPH_ERROR_ANSWER', serviceName: 'licenses' }),
      }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/work|select|\[1,/);
  });
});

describe('the transport', () => {
  /** A subgraph fetch whose answers the test releases; counts the calls. */
  function heldFetch() {
    const calls: { body: string; release: (text: string) => void; fail: (error: unknown) => void }[] = [];
    const fetch = (_url: string, init: { body: string }) =>
      new Promise<Response>((resolve, reject) => {
        calls.push({ body: init.body, release: (text) => resolve(new Response(text, { status: 200 })), fail: reject });
      });
    return { calls, fetch };
  }
  const executorFor = (fetch: unknown) =>
    subgraphTransport.getSubgraphExecutor({
      subgraphName: 'licenses',
      transportEntry: { kind: 'http', subgraph: 'licenses', location: 'http://127.0.0.1:1/graphql' },
      fetch,
    } as never) as (request: ExecutionRequest) => Promise<ExecutionResult>;
  const callerRequest = (identity: object) => {
    const req = {} as IncomingMessage;
    rememberIdentity(req, identity as never);
    return { req };
  };
  const query = (context: object, key = 'L-1'): ExecutionRequest => ({
    document: parse('query($key: String!) { license(key: $key) { key } }'),
    variables: { key },
    operationType: OperationTypeNode.QUERY,
    context,
  });
  const answer = JSON.stringify({ data: { license: { key: 'L-1' } } });

  test("the same caller's identical queries under way at once share one call, each with its own copy", async () => {
    const { calls, fetch } = heldFetch();
    const execute = executorFor(fetch);
    const caller = callerRequest({ role: 'admin', sub: 'a' });
    const results = [execute(query(caller)), execute(query(caller)), execute(query(caller))];
    const other = execute(query(caller, 'L-2'));
    expect(calls).toHaveLength(2);
    calls[0].release(answer);
    calls[1].release(JSON.stringify({ data: { license: null } }));
    const [first, second, third] = await Promise.all(results);
    expect([first, second, third]).toEqual([JSON.parse(answer), JSON.parse(answer), JSON.parse(answer)]);
    (first.data as any).license.key = 'changed by the planner';
    expect((second.data as any).license.key).toBe('L-1');
    expect(await other).toEqual({ data: { license: null } });
    // Once answered, the same query is sent again.
    const again = execute(query(caller));
    expect(calls).toHaveLength(3);
    calls[2].release(answer);
    await again;
  });

  test('different callers and mutations never share a call', async () => {
    const { calls, fetch } = heldFetch();
    const execute = executorFor(fetch);
    const admin = callerRequest({ role: 'admin', sub: 'a' });
    const results = [execute(query(admin)), execute(query(callerRequest({ role: 'admin', sub: 'b' }))), execute(query({}))];
    expect(calls).toHaveLength(3);
    const mutation = (): ExecutionRequest => ({ document: parse('mutation { touch }'), operationType: OperationTypeNode.MUTATION, context: admin });
    const mutations = [execute(mutation()), execute(mutation())];
    expect(calls).toHaveLength(5);
    for (const call of calls) call.release(answer);
    await Promise.all([...results, ...mutations]);
  });

  test("a shared call aborted by its own request is made again for the others; the subgraph's named failures are shared", async () => {
    const { calls, fetch } = heldFetch();
    const execute = executorFor(fetch);
    const caller = callerRequest({ role: 'admin', sub: 'a' });
    const [aborted, joined] = [execute(query(caller)), execute(query(caller))];
    calls[0].fail(new DOMException('The request deadline passed', 'AbortError'));
    expect((await aborted).errors?.[0].message).toBe('The request deadline passed');
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(2);
    calls[1].release(answer);
    expect(await joined).toEqual(JSON.parse(answer));

    const [timedOut, sharing] = [execute(query(caller)), execute(query(caller))];
    const timeout = subgraphFailure('licenses', SubgraphFailure.TIMEOUT, message('subgraph.timeout', { subgraph: 'licenses', ms: 300 }));
    calls[2].fail(timeout);
    expect(await timedOut).toEqual({ errors: [timeout] });
    expect(await sharing).toEqual({ errors: [timeout] });
    expect(calls).toHaveLength(3);
  });
});
