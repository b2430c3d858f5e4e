/**
 * `npm run bench:analytics -- FILE.json`: how the figures hold up on a large directory. Imports the
 * file into fresh databases with the real import command in a child process (its time and peak RSS
 * measured by the child itself), then starts the product in this process and times each aggregation
 * and the headline query through the gateway (response cache off, so every run reaches the database).
 * SQLite files in a scratch folder, or PostgreSQL with DATABASE_URL in scratch schemas dropped after.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseSettings, SUBGRAPH_NAMES } from '../lib/config';
import { commandLine } from '../lib/command-line';
import type { SettingValues } from '../lib/settings';

/** Who asks: an admin (every license) unless a query names a reseller, whose figures are filtered to its licenses. */
const ADMIN = { sub: 'bench', role: 'admin' };
const RESELLER = { sub: 'bench-reseller', role: 'provider', provider: 'gen-provider-1' };

const QUERIES: [label: string, query: string, caller?: typeof ADMIN | typeof RESELLER][] = [
  ['licenseStats []', '{ licenseStats(groupBy: []) { count } }'],
  ['licenseStats [VENDOR]', '{ licenseStats(groupBy: [VENDOR]) { vendor { id } count } }'],
  ['licenseStats [COUNTRY]', '{ licenseStats(groupBy: [COUNTRY]) { country count } }'],
  ['licenseStats [STATUS]', '{ licenseStats(groupBy: [STATUS]) { status count } }'],
  ['licenseStats [MAINTENANCE_PAID]', '{ licenseStats(groupBy: [MAINTENANCE_PAID]) { maintenancePaid count } }'],
  ['licenseStats [all four]', '{ licenseStats(groupBy: [VENDOR, COUNTRY, STATUS, MAINTENANCE_PAID]) { vendor { id } country status maintenancePaid count } }'],
  ['priceStats TRAINING []', '{ priceStats(service: TRAINING, groupBy: []) { currency count median { amount } } }'],
  [
    'priceStats TRAINING [COUNTRY, UNIT]',
    '{ priceStats(service: TRAINING, groupBy: [COUNTRY, UNIT]) { country currency unit count min { amount } median { amount } max { amount } } }',
  ],
  ['priceStats USER_SUPPORT [UNIT]', '{ priceStats(service: USER_SUPPORT, groupBy: [UNIT]) { currency unit count median { amount } } }'],
  ['supportContact (headline)', '{ supportContact(licenseKey: "GEN-0000001", topic: "training") { contacts { id } billedBy { id } explanation } }'],
  [
    'maintenanceQuote (10 licenses)',
    `{ maintenanceQuote(licenseKeys: [${Array.from({ length: 10 }, (_, i) => `"GEN-${String(1000 + i).padStart(7, '0')}"`).join(', ')}], year: 2026) { lines { gross { amount } } totals { amount currency } } }`,
  ],
  [
    'resellerStatement (gen-provider-1)',
    '{ resellerStatement(providerId: "gen-provider-1", year: 2026) { lines { gross { amount } } remitToManufacturer { amount } } }',
  ],
  ['routingLoad SOFTWARE_MAINTENANCE', '{ routingLoad(category: SOFTWARE_MAINTENANCE) { buckets { provider { id } licenses } } }'],
  ['routingLoad TECHNICAL_SUPPORT', '{ routingLoad(category: TECHNICAL_SUPPORT) { buckets { provider { id } licenses } } }'],
  ['routingLoad USER_SUPPORT', '{ routingLoad(category: USER_SUPPORT) { buckets { provider { id } licenses } } }'],
  ['routingLoad (all three)', '{ routingLoad { buckets { category provider { id name } licenses } } }'],
  ['licenseStats [COUNTRY] as reseller gen-provider-1', '{ licenseStats(groupBy: [COUNTRY]) { country count } }', RESELLER],
  ['routingLoad (all three) as reseller gen-provider-1', '{ routingLoad { buckets { category provider { id } licenses } } }', RESELLER],
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function main(file: string | undefined, settings: SettingValues): Promise<number> {
  if (!file) {
    console.error('usage: npm run bench:analytics -- FILE.json (--help for more)');
    return 2;
  }
  // The product is loaded only now, so that --help and a usage error answer without it.
  const [{ Client }, { startStack }, { signIdentityToken }] = await Promise.all([import('pg'), import('../app/stack'), import('../gateway/identity/identity')]);
  const repeat = settings.BENCH_REPEAT ?? 5;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-analytics-'));
  const databaseUrl = settings.DATABASE_URL;
  const schemaPrefix = `bench_${process.pid}_`;
  const env = { ...process.env, DATA_DIR: scratch, ...(databaseUrl ? { DATABASE_SCHEMA_PREFIX: schemaPrefix } : {}) };
  try {
    // The child reports its own peak RSS (getrusage) as it exits.
    const rssHook = path.join(scratch, 'peak-rss.js');
    fs.writeFileSync(rssHook, "process.on('exit', () => process.stderr.write(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\\n`));\n");
    const started = process.hrtime.bigint();
    const imported = spawnSync(process.execPath, ['--require', rssHook, path.join(__dirname, 'import.js'), file], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = /peak RSS (\d+) MB/.exec(imported.stderr)?.[1];
    if (imported.status !== 0) {
      console.error(`import failed:\n${imported.stdout}${imported.stderr}`);
      return 1;
    }
    const database = databaseUrl ? 'PostgreSQL' : 'SQLite';
    console.log(`${database}: ${imported.stdout.trim()} in ${seconds.toFixed(1)} s, import peak RSS ${peak} MB`);

    const settings = databaseSettings(env);
    // Licenses are private (the access matrix): the figures are asked with tokens of this run's secret.
    const jwtSecret = crypto.randomBytes(32).toString('hex');
    const authorization = new Map<object, string>();
    for (const caller of [ADMIN, RESELLER]) authorization.set(caller, `Bearer ${await signIdentityToken(jwtSecret, caller, '2h')}`);
    const stack = await startStack({
      ports: { gateway: 0, providers: 0, licenses: 0, support: 0 },
      database: () => ({ database: settings }),
      gateway: { rateLimit: false, responseCache: false, jwtSecret },
    });
    try {
      console.log(`| query (as an admin unless named) | answer rows | median of ${repeat} (ms) |\n|---|---:|---:|`);
      for (const [label, query, caller = ADMIN] of QUERIES) {
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < repeat; i++) {
          const t0 = process.hrtime.bigint();
          const response = await fetch(stack.gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: authorization.get(caller)! },
            body: JSON.stringify({ query }),
          });
          const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
          // Buckets (or lines) in the answer: a large answer costs the gateway, not the database.
          const answer = Object.values(body.data ?? {})[0] as { lines?: unknown[]; contacts?: unknown[]; buckets?: unknown[] } | unknown[] | undefined;
          rows = Array.isArray(answer) ? answer.length : (answer?.lines?.length ?? answer?.contacts?.length ?? answer?.buckets?.length ?? 1);
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (response.status !== 200 || body.errors) throw new Error(`${label}: ${response.status} ${JSON.stringify(body.errors)}`);
        }
        console.log(`| ${label} | ${rows} | ${median(times).toFixed(1)} |`);
      }
    } finally {
      await stack.close();
    }
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (databaseUrl) {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        for (const name of SUBGRAPH_NAMES) await client.query(`drop schema if exists "${schemaPrefix}${name}" cascade`);
      } finally {
        await client.end();
      }
    }
  }
}

const { args, settings } = commandLine('bench:analytics', process.env);
main(args[0], settings).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:analytics failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
