/**
 * A bounded fuzz run against the real gateway and subgraphs: a few thousand generated bad requests
 * (broken bodies, wrong types and methods, oversized and deep operations, control characters in
 * ids, wrong variables), from a seeded generator so a failure repeats. Every answer must be JSON,
 * never 5xx, never HTML, never a stack, SQL, file path or internal address; afterwards the process
 * still answers the headline question correctly.
 */
import { badRequests, random } from '../../scripts/bench/bad-requests';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const REQUESTS = 3000;
const CONCURRENCY = 16;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const isClosedSocket = (error: unknown) =>
  error instanceof TypeError && /other side closed|ECONNRESET|socket/i.test(String((error as { cause?: unknown }).cause ?? ''));

const LEAK = /<html|<!DOCTYPE|\bat \S+ \(|node_modules|\/work\/|\/tmp\/|SQLITE_|\bselect\b.+\bfrom\b|ECONNREFUSED|127\.0\.0\.1:\d+|\.ts:\d+/i;

test(`${REQUESTS} generated bad requests: no 5xx, no HTML, no leak; the headline is still right afterwards`, async () => {
  const headline = `{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } escalation { id } billedBy { id } explanation } }`;
  const before = await stack.graphql(headline);
  expect(before.body.errors).toBeUndefined();

  const base = stack.url.replace(/\/graphql$/, '');
  const nextCase = badRequests(random(20261125));
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined); // masked errors log their id; expected here
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < REQUESTS) {
          const request = nextCase();
          sent++;
          const send = () => fetch(base + request.path, { method: request.method, headers: request.headers, body: request.body as BodyInit | undefined });
          // Once more on a fresh connection when the socket was closed under us: on a busy machine the
          // client can reuse a kept-alive socket the server has just closed as idle (a transport race,
          // not an answer). A gateway that drops this request twice is a problem below all the same.
          const response = await send().catch((error: unknown) => {
            if (!isClosedSocket(error)) throw error;
            return send();
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const type = response.headers.get('content-type') ?? '';
          const describe = () =>
            `${request.method} ${request.path.slice(0, 60)} ${String(request.body ?? '').slice(0, 80)} -> ${response.status} ${text.slice(0, 200)}`;
          if (response.status >= 500) problems.push(`5xx: ${describe()}`);
          // Our two pages are HTML by design: the support finder at "/" and GraphiQL for a browser at /graphql.
          const page = new URL(base + request.path).pathname;
          if (
            response.ok &&
            request.method === 'GET' &&
            /text\/html/.test(type) &&
            ((page === '/' && text.includes('<title>OnyxCeph³ support finder</title>')) ||
              (page === '/graphql' && text.includes('<title>OnyxCeph³ support directory</title>')))
          )
            continue;
          if (LEAK.test(text)) problems.push(`leak: ${describe()}`);
          if (text !== '' && !/json/.test(type)) problems.push(`not JSON (${type}): ${describe()}`);
          if (response.status >= 400 && text === '') problems.push(`error without a body: ${describe()}`);
          if (text !== '' && /json/.test(type)) {
            try {
              const body = JSON.parse(text);
              if (response.status >= 400 && typeof body?.errors?.[0]?.extensions?.code !== 'string') problems.push(`error without a code: ${describe()}`);
            } catch {
              problems.push(`unparsable JSON: ${describe()}`);
            }
          }
        }
      }),
    );
  } finally {
    silenced.mockRestore();
  }
  console.log(`fuzz: ${sent} requests; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(problems.slice(0, 20)).toEqual([]);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);

  const after = await stack.graphql(headline);
  expect(after.body).toEqual(before.body);
  expect((await fetch(`${base}/health`)).status).toBe(200);
  // A limit for a run on a busy machine (CI runs the suites with two workers), not a speed check.
}, 300_000);
