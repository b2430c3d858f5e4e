/**
 * A well-formed request is answered, never reset: keep-alive clients (separate processes using
 * Node's http.Agent, which keeps an idle connection as long as the server's `Keep-Alive: timeout=N`
 * says) ask the headline question round after round on one connection each, reusing it just before
 * the advertised idle time runs out, while the directory is imported again and again. The clients
 * are "busy" (their event loop blocked) while an answer arrives and just before each reuse, as
 * processes on a loaded machine are. Loopback only; a bounded number of rounds.
 *
 * Note: this does not reproduce the resets of issue 18 finding 14 (it passed before the fix).
 * With an advertised `timeout=1`, Node's agent does not keep the connection at all (it subtracts
 * 1 s from the hint), so each round opens a new one. The cause (the server closing idle
 * connections a client whose idle clock runs late still holds, docs/operations.md "Connection
 * resets under load") is forced deterministically in test/gateway/idle-connections.test.ts; this
 * stays as the load test the finding asks for.
 */
import { spawn } from 'node:child_process';
import { importDirectory } from '../../app/directory/import-directory';
import { DEFAULT_HTTP_SETTINGS } from '../../lib/http';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

const KEEP_ALIVE_MS = 1_000;
const CLIENTS = 6;
const ROUNDS = 12;
const HEADLINE = JSON.stringify({
  query: '{ supportContact(licenseKey: "L-VENDOR", topic: "server-installation") { contacts { id } billedBy { id } explanation } }',
});

/** One client process: ROUNDS requests on one keep-alive connection; prints one JSON line of what it got. */
const CLIENT = `
const http = require('node:http');
const [url, authorization, body, rounds, keepAliveMs] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end); };
const ask = () => new Promise((resolve) => {
  const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization } }, (response) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (text += chunk));
    response.on('end', () => resolve({ status: response.statusCode, body: text, keepAlive: response.headers['keep-alive'] }));
    response.on('error', (error) => resolve({ error: (error.code || '') + ' ' + error.message }));
  });
  request.on('error', (error) => resolve({ error: (error.code || '') + ' ' + error.message }));
  request.end(body);
  // Busy while the answer arrives: it is read more than a second after the server sent it.
  busy(1200);
});
(async () => {
  const answers = [];
  for (let round = 0; round < Number(rounds); round++) {
    answers.push(await ask());
    const idle = Number(keepAliveMs);
    await new Promise((resolve) => {
      // Busy again just before the reuse, when the server closes the connection it thinks idle:
      // the next request (a due timer) is written before the client reads that close.
      setTimeout(() => busy(290), idle - 300);
      setTimeout(resolve, idle - 40);
    });
  }
  agent.destroy();
  process.stdout.write(JSON.stringify(answers));
})();
`;

function runClient(authorization: string): Promise<Array<{ status: number; body: string; keepAlive?: string } | { error: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, stack.url, authorization, HEADLINE, String(ROUNDS), String(KEEP_ALIVE_MS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exited ${code}: ${out}`))));
  });
}

let stack: TestStack;
beforeAll(async () => {
  // A short keep-alive, so that a round takes one second, not five.
  stack = await startTestStack({ directory: networkDirectory(), gateway: { http: { ...DEFAULT_HTTP_SETTINGS, keepAliveTimeoutMs: KEEP_ALIVE_MS } } });
});
afterAll(() => stack?.close());

test(`${CLIENTS} keep-alive client processes reusing their connections at the advertised idle time, while imports run: every request is answered`, async () => {
  const authorization = `Bearer ${await tokenFor({ sub: 'holder', role: 'holder', licenses: ['L-VENDOR'] })}`;
  const expected = (await stack.graphql(JSON.parse(HEADLINE).query)).body;
  expect(expected.errors).toBeUndefined();

  let importing = true;
  let imports = 0;
  const importer = (async () => {
    while (importing) {
      expect((await importDirectory(networkDirectory(), stack.orms)).ok).toBe(true);
      imports++;
    }
  })();
  let answers;
  try {
    answers = (await Promise.all(Array.from({ length: CLIENTS }, () => runClient(authorization)))).flat();
  } finally {
    importing = false;
    await importer;
  }
  const failures = answers.flatMap((a) => ('error' in a ? [a.error] : a.status !== 200 ? [`HTTP ${a.status} ${a.body.slice(0, 200)}`] : []));
  expect(failures).toEqual([]);
  expect(answers).toHaveLength(CLIENTS * ROUNDS);
  for (const answer of answers) expect('body' in answer && JSON.parse(answer.body)).toEqual({ data: expected.data });
  expect(imports).toBeGreaterThan(0);
  // Clients are told the idle time they may count on: the setting, not the grace the server adds.
  expect(new Set(answers.map((a) => 'keepAlive' in a && a.keepAlive))).toEqual(new Set([`timeout=${KEEP_ALIVE_MS / 1000}`]));
}, 180_000);
