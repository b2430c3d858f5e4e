/**
 * `npm run bench`: latency and throughput of the headline query through the gateway, with the
 * whole product in this process on fresh SQLite files (demo directory plus N generated licenses).
 * Loopback only; bounded request count. Figures go in README.md ("Performance").
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDirectory } from '../lib/directory/import-directory';
import { startStack } from '../lib/stack';
import { DEMO_DIRECTORY } from '../lib/config';
import { commandLine } from '../lib/main';

commandLine('bench');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const EXTRA_LICENSES = Number(process.env.BENCH_LICENSES ?? 1000);

const HEADLINE = `query ($key: ID!, $topic: ID!) { supportContact(licenseKey: $key, topic: $topic) {
  contacts { name email offers(service: TRAINING) { price { amount currency } } } escalation { name } billedBy { name } explanation } }`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-bench-'));
  const demo = JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8'));
  const template = demo.licenses[0];
  const licenses = Array.from({ length: EXTRA_LICENSES }, (_, i) => ({ ...template, key: `BENCH-${i}` }));
  const stack = await startStack({
    ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
    database: () => ({ database: { dataDir } }),
    beforeServe: async (orms) => {
      const result = await importDirectory({ ...demo, licenses: [...demo.licenses, ...licenses] }, orms);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
    },
  });
  const topics = ['server-installation', 'troubleshooting', 'updates', 'training', 'user-support'];
  const call = async (i: number) => {
    const started = process.hrtime.bigint();
    const response = await fetch(stack.gateway.url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: HEADLINE, variables: { key: `BENCH-${i % EXTRA_LICENSES}`, topic: topics[i % topics.length] } }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  try {
    for (let i = 0; i < 50; i++) await call(i); // warm-up
    const latencies: number[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) latencies.push(await call(next++));
    }));
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`headline query, ${REQUESTS} requests, concurrency ${CONCURRENCY}, ${demo.licenses.length + EXTRA_LICENSES} licenses, SQLite files`);
    console.log(`throughput ${(REQUESTS / seconds).toFixed(0)} req/s; latency ms p50 ${percentile(latencies, 50).toFixed(1)}, p95 ${percentile(latencies, 95).toFixed(1)}, p99 ${percentile(latencies, 99).toFixed(1)}, max ${latencies[latencies.length - 1].toFixed(1)}`);
  } finally {
    await stack.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
