#!/usr/bin/env node
/**
 * Sums a V8 CPU profile (`node --cpu-prof`, `BENCH_CPU_PROF=DIR npm run bench`) by where the time
 * was spent: self time per npm package, per file of ours (dist/...), per Node internal, plus V8's
 * own rows (garbage collector, program, idle). Idle time is left out of the shares: a gateway
 * waiting for the network costs nothing.
 *
 *   node scripts/cpuprofile-summary.js FILE.cpuprofile [OTHER.cpuprofile ...] [--top N] [--functions]
 *
 * With several files, one column per file (share of its busy time), so two gateways on the same
 * load compare side by side. `--functions` adds the hottest functions of each file.
 * `--requests N,M,...` (the requests each profiled process served, in file order) gives
 * microseconds of self time per request instead of shares, which compares gateways of unequal throughput.
 * Plain JavaScript: it reads JSON and needs no build.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
const functions = args.includes('--functions');
const requestsIndex = args.indexOf('--requests');
const requests = requestsIndex >= 0 ? args[requestsIndex + 1].split(',').map(Number) : undefined;
const files = args.filter((a, i) => !a.startsWith('--') && (topIndex < 0 || i !== topIndex + 1) && (requestsIndex < 0 || i !== requestsIndex + 1));
if (files.length === 0) {
  console.error('usage: node scripts/cpuprofile-summary.js FILE.cpuprofile [...] [--top N] [--functions]');
  process.exit(2);
}

/** Where a frame's code lives: an npm package, a file of ours, a Node internal or a V8 row. */
function placeOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `ours: ${url.slice(dist + 6)}`;
  return url.replace(/^file:\/\//, '');
}

function summarize(file) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const places = new Map();
  const fns = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const place = placeOf(callFrame.url, callFrame.functionName);
    if (place === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    places.set(place, (places.get(place) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'} ${place}:${callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  return { name: path.basename(file, '.cpuprofile'), places, fns, busy, idle };
}

const summaries = files.map(summarize);
const totals = new Map();
for (const s of summaries) for (const [place, us] of s.places) totals.set(place, (totals.get(place) ?? 0) + us / s.busy);
const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
const pct = (us, of) => (us ? `${((100 * us) / of).toFixed(1)} %` : '–');
/** A cell: µs per request with --requests, else the share of the file's busy time. */
const cell = (us, i) => (!us ? '–' : requests ? `${(us / requests[i]).toFixed(0)}` : pct(us, summaries[i].busy));

console.log(`| where (self time, ${requests ? 'µs per request' : 'share of busy time'}) | ${summaries.map((s) => s.name).join(' | ')} |`);
console.log(`|---|${summaries.map(() => '---:').join('|')}|`);
console.log(`| busy (not idle), seconds | ${summaries.map((s) => (s.busy / 1e6).toFixed(1)).join(' | ')} |`);
if (requests) console.log(`| **busy, µs per request** | ${summaries.map((s, i) => cell(s.busy, i)).join(' | ')} |`);
for (const [place] of rows) console.log(`| ${place} | ${summaries.map((s, i) => cell(s.places.get(place), i)).join(' | ')} |`);
const ours = (s) => [...s.places].filter(([p]) => p.startsWith('ours: ')).reduce((n, [, us]) => n + us, 0);
console.log(`| **all files of ours** | ${summaries.map((s, i) => cell(ours(s), i)).join(' | ')} |`);

if (functions) {
  for (const s of summaries) {
    console.log(`\nHottest functions, ${s.name} (self time, share of busy time)\n`);
    for (const [fn, us] of [...s.fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us, s.busy).padStart(7)}  ${fn}`);
  }
}
