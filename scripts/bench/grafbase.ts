/**
 * The Grafbase rows of `npm run bench`: a Rust federation engine beside ours, as a reference, on the
 * same replayed subgraph answers and pinned to the same core.
 *
 * How it runs: the engine ships inside Grafbase's CLI package on npm (an optional dependency, pinned;
 * Linux x64 only). Its production gateway binary is not on npm, so the CLI's `grafbase dev` serves:
 * it composes our three subgraph schemas from schema/*.graphql itself (offline: `schema_path`, no
 * introspection, no account) and serves them with `federated_server::serve`, the server the
 * production gateway runs; dev only forces introspection on, adds its local UI's routes and watches
 * the schema files (inotify). `grafbase` runs with the entity cache off; `grafbase-cached` with its
 * in-memory entity cache on (subgraph fetches, root fields included), the nearest it has to our
 * response cache, except where that cache answers wrongly (UNCACHED_SUBGRAPHS).
 *
 * Only what it answers correctly counts: every sample request's answer is compared with ours (data
 * and errors deep-equal) and the rows are loaded with the requests it answered correctly, beside
 * ours loaded with the same ones. Grafbase 0.103.0 answers `supportContact` wrongly for a license
 * without a vendor or without a designated support partner (docs/benchmarks.md, "A Rust engine
 * beside us"): the fields behind our `@requires` are left out, with no error. Its plan fetches the
 * vendor's and the partner's fields from the providers subgraph for the `@requires`; when the license
 * has none, that fetch has nothing to fetch and is skipped, and a skipped fetch never releases the
 * fetches that wait for it (engine/src/execution/operation/coordinator.rs), so the support subgraph
 * is never asked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';

export const GRAFBASE_PACKAGE = '@grafbase/cli-x86_64-unknown-linux-musl';
export const GRAFBASE_KINDS = ['grafbase', 'grafbase-cached'] as const;
export type GrafbaseKind = (typeof GRAFBASE_KINDS)[number];
export const isGrafbase = (kind: string): kind is GrafbaseKind => (GRAFBASE_KINDS as readonly string[]).includes(kind);
/** Each Grafbase row is set beside ours in the same state: entity cache off with ours cache off, on with on. */
export const OURS_BESIDE: Record<GrafbaseKind, string> = { grafbase: 'ours', 'grafbase-cached': 'ours-cached' };
/** The row of ours loaded with the requests a Grafbase row answered correctly. */
export const besideRow = (kind: GrafbaseKind) => `${OURS_BESIDE[kind]}@${kind}`;

export type GrafbaseEngine = { binary: string; version: string } | { missing: string };

/** The CLI binary of the installed package, or why there is none (the bench then skips the rows, saying so). */
export function grafbaseEngine(root: string): GrafbaseEngine {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { missing: `${GRAFBASE_PACKAGE} runs on Linux x64 only, not ${process.platform} ${process.arch}` };
  let manifest: string;
  try {
    manifest = require.resolve(`${GRAFBASE_PACKAGE}/package.json`, { paths: [root] });
  } catch {
    return { missing: `${GRAFBASE_PACKAGE} is not installed (an optional dependency: \`npm install\` on Linux x64 installs it)` };
  }
  const binary = path.join(path.dirname(manifest), 'grafbase');
  if (!fs.existsSync(binary)) return { missing: `${binary} is missing from the installed ${GRAFBASE_PACKAGE}` };
  return { binary, version: JSON.parse(fs.readFileSync(manifest, 'utf8')).version };
}

/**
 * The subgraphs whose fetches Grafbase's entity cache would answer wrongly: its key is the subgraph,
 * the headers and the entity's representation, not the selection, and the headline fetches the same
 * providers twice with different selections (once for the support subgraph's `@requires`, once for
 * the contacts' `offers(service: TRAINING) { title … }`), so the second would be answered from the
 * first's entry (SUBGRAPH_INVALID_RESPONSE_ERROR, or another selection's values). Its cache stays off
 * for them; a subgraph's `enabled = false` under a global `enabled = true` is not honoured (0.103.0),
 * so the cache is turned on subgraph by subgraph instead.
 */
export const UNCACHED_SUBGRAPHS = ['providers'];

/**
 * Grafbase's gateway configuration: our subgraphs at the given URLs, their schemas from
 * schema/*.graphql; for `grafbase-cached`, its in-memory entity cache on for every subgraph but
 * UNCACHED_SUBGRAPHS, for an hour (nothing changes during a run).
 */
export function grafbaseConfig(kind: GrafbaseKind, root: string, subgraphUrls: Record<string, string>): string {
  return Object.entries(subgraphUrls)
    .map(([name, url]) => {
      const lines = [`[subgraphs.${name}]`, `url = ${JSON.stringify(url)}`, `schema_path = ${JSON.stringify(path.join(root, 'schema', `${name}.graphql`))}`];
      if (kind === 'grafbase-cached' && !UNCACHED_SUBGRAPHS.includes(name))
        lines.push('', `[subgraphs.${name}.entity_caching]`, 'enabled = true', 'ttl = "1h"');
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/**
 * Starts `grafbase dev` on `port` (behind `pin`, e.g. taskset, which execs it in place: the child's
 * pid is the engine's own) and resolves once it prints its GraphQL URL. Its output goes to a file in
 * `dir`, which is also its home (the CLI unpacks its UI's assets there).
 */
export async function startGrafbase(options: {
  kind: GrafbaseKind;
  binary: string;
  root: string;
  subgraphUrls: Record<string, string>;
  dir: string;
  port: number;
  pin: string[];
  env: NodeJS.ProcessEnv;
}): Promise<{ child: ChildProcess; url: string }> {
  const { kind, binary, dir, port, pin } = options;
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'grafbase.toml');
  fs.writeFileSync(config, grafbaseConfig(kind, options.root, options.subgraphUrls));
  const logFile = path.join(dir, 'grafbase.log');
  const out = fs.openSync(logFile, 'w');
  const command = [...pin, binary, 'dev', '--config', config, '--listen-address', `127.0.0.1:${port}`];
  const child = spawn(command[0], command.slice(1), { env: { ...options.env, HOME: dir }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const started = Date.now();
  for (;;) {
    const output = fs.readFileSync(logFile, 'utf8').replace(ANSI, '');
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${kind} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.slice(-2000)}`);
    const ready = /GraphQL: (http:\S+)/.exec(output);
    if (ready) return { child, url: ready[1] };
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`${kind} not ready within 60 s:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Answer {
  data?: unknown;
  errors?: unknown;
}
const parse = (text: string): Answer | undefined => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Whether two GraphQL answers say the same: their data and their errors deep-equal (key order and whitespace aside). */
export function sameAnswer(ours: string, theirs: string): boolean {
  const [a, b] = [parse(ours), parse(theirs)];
  return a !== undefined && b !== undefined && isDeepStrictEqual(a.data, b.data) && isDeepStrictEqual(a.errors, b.errors);
}

/** The paths (list indexes as []) that `ours` answers and `theirs` leaves out altogether: neither a value nor null. */
export function missingPaths(ours: unknown, theirs: unknown, at = ''): string[] {
  if (Array.isArray(ours) && Array.isArray(theirs)) return [...new Set(ours.flatMap((item, i) => missingPaths(item, theirs[i], `${at}[]`)))];
  if (!isObject(ours) || !isObject(theirs)) return [];
  return Object.keys(ours).flatMap((key) => {
    const here = at ? `${at}.${key}` : key;
    return key in theirs ? missingPaths(ours[key], theirs[key], here) : [here];
  });
}
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface Verdict {
  /** Indexes of the requests answered as ours answers them. */
  correct: number[];
  /** One line on the others: how many, what they leave out, whether with errors, one example. */
  wrong: string;
}

/** Compares a Grafbase row's answers with ours, request by request. */
export function judge(ours: string[], theirs: string[]): Verdict {
  const correct: number[] = [];
  const wrong: number[] = [];
  theirs.forEach((answer, i) => (sameAnswer(ours[i], answer) ? correct : wrong).push(i));
  if (wrong.length === 0) return { correct, wrong: 'none wrong' };
  const missing = new Map<string, number>();
  let silent = 0;
  for (const i of wrong) {
    const [a, b] = [parse(ours[i]), parse(theirs[i])];
    const paths = missingPaths(a?.data, b?.data);
    if (paths.length > 0 && b?.errors === undefined) silent++;
    for (const p of paths) missing.set(p, (missing.get(p) ?? 0) + 1);
  }
  const leftOut = [...missing].map(([p, n]) => `${p} (${n})`).join(', ');
  return {
    correct,
    wrong: `${wrong.length} wrong; ${silent} of them leave fields out with no error${leftOut ? `: ${leftOut}` : ''}; e.g. ${theirs[wrong[0]].trim().slice(0, 200)}`,
  };
}

/** What the report needs of a row's rounds (scripts/bench.ts summarize). */
export interface RowSummary {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  rss: string;
  cpuPerRequest: Record<string, number>;
}

/**
 * The Grafbase section of the report: how many of its answers equal ours and what the others leave
 * out; each row beside ours on the same requests; ours / Grafbase for throughput and CPU per request.
 */
export function grafbaseReport(options: {
  kinds: GrafbaseKind[];
  verdicts: Partial<Record<GrafbaseKind, Verdict>>;
  samples: number;
  summary: Record<string, RowSummary | undefined>;
  labels: Record<string, string>;
}): string[] {
  const { kinds, verdicts, samples, summary, labels } = options;
  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  const load = os
    .loadavg()
    .map((n) => fmt(n, 2))
    .join(' ');
  const lines = [
    '',
    `Grafbase, a Rust engine beside ours (scripts/bench/grafbase.ts), loaded only with the requests it answers as ours does; load average now ${load}`,
    '',
  ];
  for (const kind of kinds)
    lines.push(`- ${labels[kind]}: ${verdicts[kind]?.correct.length ?? 0}/${samples} answers equal to ours; ${verdicts[kind]?.wrong ?? 'not compared'}`);
  lines.push(
    '',
    '| row | requests cycled | req/s (mean) | p50 ms | p99 ms | errors | RSS MiB per round | CPU ms/request |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
  );
  for (const kind of kinds) {
    const requests = verdicts[kind]?.correct.length ?? 0;
    for (const [row, label] of [
      [kind, labels[kind]],
      [besideRow(kind), `${labels[OURS_BESIDE[kind]]}, the same requests`],
    ]) {
      const s = summary[row];
      lines.push(
        s
          ? `| ${label} | ${requests} | ${fmt(s.reqPerSec)} | ${s.p50} | ${s.p99} | ${s.errors} | ${s.rss} | ${fmt(s.cpuPerRequest.gateway, 3)} |`
          : `| ${label} | ${requests} | – | – | – | – | – | – |`,
      );
    }
  }
  lines.push('');
  for (const kind of kinds) {
    const [theirs, ours] = [summary[kind], summary[besideRow(kind)]];
    const state = kind === 'grafbase' ? 'cold (caches off)' : 'cached (warm)     ';
    lines.push(
      theirs && ours
        ? `ours / Grafbase, ${state}: throughput ${fmt(ours.reqPerSec / theirs.reqPerSec, 2)}×, CPU per request ${fmt(theirs.cpuPerRequest.gateway / ours.cpuPerRequest.gateway, 2)}× (Grafbase's CPU ms/request over ours)`
        : `ours / Grafbase, ${state}: not measured (${theirs ? `${labels[OURS_BESIDE[kind]]} did not run` : 'no answer equal to ours'})`,
    );
  }
  return lines;
}
