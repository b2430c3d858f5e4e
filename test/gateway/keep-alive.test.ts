/**
 * A well-formed request is answered, never reset, also at the moment an idle keep-alive connection
 * reaches the idle time the server advertises (`Keep-Alive: timeout=N`), while imports run.
 *
 * The clients are what a partner's integration uses: Node's http.Agent with keep-alive, which keeps
 * an idle connection exactly as long as the server's Keep-Alive header says. Each client asks the
 * headline question, waits about that long (a little less or more, at random), and asks again on
 * the same connection: the moment at which a server that closes idle connections at the advertised
 * time resets a request the client has just sent (ECONNRESET, "socket hang up"). Meanwhile the
 * directory is imported again and again. Loopback only; a bounded number of rounds.
 */
import http from 'node:http';
import { importDirectory } from '../../lib/directory/import-directory';
import { DEFAULT_HTTP_SETTINGS } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

const KEEP_ALIVE_MS = 1_000;
const CLIENTS = 6;
const ROUNDS = 20;
const HEADLINE = JSON.stringify({ query: '{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } billedBy { id } explanation } }' });

let stack: TestStack;
beforeAll(async () => {
  // Short keep-alive, so that the test waits one second per round, not five.
  const settings = { ...DEFAULT_HTTP_SETTINGS, keepAliveTimeoutMs: KEEP_ALIVE_MS };
  stack = await startTestStack({ directory: networkDirectory(), gateway: { http: settings } });
});
afterAll(() => stack?.close());

function ask(agent: http.Agent, authorization: string): Promise<{ status: number; body: string; keepAlive?: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.request(stack.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(HEADLINE), authorization } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body, keepAlive: response.headers['keep-alive'] as string | undefined }));
      response.on('error', (error) => resolve({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
    });
    request.on('error', (error) => resolve({ error: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
    request.end(HEADLINE);
  });
}

test(`${CLIENTS} keep-alive clients, each reusing its connection at the advertised idle time, while imports run: every request is answered`, async () => {
  const authorization = `Bearer ${await tokenFor({ sub: 'holder', role: 'holder', licenses: ['L-VENDOR'] })}`;
  const expected = (await stack.graphql(JSON.parse(HEADLINE).query)).body;
  expect(expected.errors).toBeUndefined();

  let importing = true;
  let imports = 0;
  const importer = (async () => {
    while (importing) {
      const result = await importDirectory(networkDirectory(), stack.orms);
      expect(result.ok).toBe(true);
      imports++;
    }
  })();

  const failures: string[] = [];
  const advertised = new Set<string | undefined>();
  let answered = 0;
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        // One connection per client, kept as long as the server's Keep-Alive header says.
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 60_000 });
        try {
          for (let round = 0; round < ROUNDS; round++) {
            const answer = await ask(agent, authorization);
            if ('error' in answer) failures.push(`round ${round}: ${answer.error}`);
            else if (answer.status !== 200 || JSON.parse(answer.body).errors) failures.push(`round ${round}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
            else {
              answered++;
              advertised.add(answer.keepAlive);
              expect(JSON.parse(answer.body)).toEqual({ data: expected.data });
            }
            // Idle for about the advertised time: from a little before it to a little after.
            await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_MS - 60 + Math.random() * 120));
          }
        } finally {
          agent.destroy();
        }
      }),
    );
  } finally {
    importing = false;
    await importer;
  }
  expect(failures).toEqual([]);
  expect(answered).toBe(CLIENTS * ROUNDS);
  expect(imports).toBeGreaterThan(0);
  // Clients are told the idle time they may count on.
  expect([...advertised]).toEqual([`timeout=${KEEP_ALIVE_MS / 1000}`]);
}, 120_000);
