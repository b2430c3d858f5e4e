/**
 * `npm run stress`: the hardening figures of docs/security.md "Safe to expose", measured on this machine
 * against the gateway as a separate process (`node dist/gateway/index.js`) over real subgraph
 * processes on fresh SQLite files (demo directory). Loopback only, bounded in count:
 * - how long the gateway takes to turn away a request with 1,000 aliases of supportContact;
 * - two equal passes of STRESS_REQUESTS (10,000) generated bad requests mixed with headline
 *   queries: answers by status, 5xx count, and the gateway's RSS after each pass.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_DIRECTORY, PROJECT_ROOT, SUBGRAPH_NAMES } from '../lib/config';
import { commandLine } from '../lib/command-line';
import { badRequests, random } from './bench/bad-requests';
import { freePort } from './bench/free-port';

// The environment, parsed once by the settings table.
const { settings } = commandLine('stress', process.env);

const REQUESTS = settings.STRESS_REQUESTS ?? 10_000;
const CONCURRENCY = 16;
const PASSES = settings.STRESS_PASSES ?? 2;
/** BAD_REQUESTS_ONLY=1,4: only those kinds of bad request (a debugging hook, not a setting). */
const ONLY = process.env.BAD_REQUESTS_ONLY?.split(',').map(Number);
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function start(script: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/ready at/.test(output)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}):\n${output.slice(-1500)}`)));
  });
}

const rssMiB = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-stress-'));
  try {
    const importing = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/import.js'), DEMO_DIRECTORY], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: 'ignore',
    });
    await new Promise((resolve) => importing.on('exit', resolve));
    const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, DATABASE_URL: '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' };
    for (const name of SUBGRAPH_NAMES) {
      const port = await freePort();
      env[`${name.toUpperCase()}_PORT`] = String(port);
      env[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
      await start(path.join(PROJECT_ROOT, 'dist/subgraphs', name, 'index.js'), env);
    }
    const port = await freePort();
    const gateway = await start(path.join(PROJECT_ROOT, 'dist/gateway/index.js'), { ...env, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    const post = (body: string) => fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: supportContact(licenseKey: "OC3-DEMO-0001", topic: "training") { explanation }`).join(' ')} }`;
    const times: number[] = [];
    let code = '';
    for (let i = 0; i < 21; i++) {
      const started = process.hrtime.bigint();
      const response = await post(JSON.stringify({ query: aliases }));
      code = ((await response.json()) as any).errors?.[0]?.extensions?.code;
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`1,000 aliases of supportContact: turned away with ${code} in ${times[10].toFixed(1)} ms (median of 21; max ${times[20].toFixed(1)} ms)`);

    const headline = JSON.stringify({
      query: '{ supportContact(licenseKey: "OC3-DEMO-0001", topic: "server-installation") { contacts { name } explanation } }',
    });
    const expected = await (await post(headline)).text();
    console.log(`gateway RSS before: ${rssMiB(gateway.pid!).toFixed(0)} MiB`);
    for (let pass = 1; pass <= PASSES; pass++) {
      const next = badRequests(random(20261125), ONLY); // the same requests in both passes
      const statuses = new Map<number, number>();
      let sent = 0;
      let wrongHeadlines = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < REQUESTS) {
            sent++;
            if (sent % 10 === 0) {
              if ((await (await post(headline)).text()) !== expected) wrongHeadlines++;
              continue;
            }
            const request = next();
            const response = await fetch(base + request.path, { method: request.method, headers: request.headers, body: request.body as BodyInit | undefined });
            await response.arrayBuffer();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }),
      );
      const fivexx = [...statuses].filter(([status]) => status >= 500).reduce((n, [, count]) => n + count, 0);
      console.log(
        `pass ${pass}: ${REQUESTS} requests (every 10th the headline: ${wrongHeadlines} wrong); by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ` +
          `5xx ${fivexx}; gateway RSS after: ${rssMiB(gateway.pid!).toFixed(0)} MiB`,
      );
    }
  } finally {
    children.forEach((child) => child.kill('SIGTERM'));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
