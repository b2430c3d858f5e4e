/**
 * The Grafbase rows of `npm run bench` (scripts/bench/grafbase.ts) count only the answers equal to
 * ours, say what the others leave out, and are skipped, saying why, when the engine's optional
 * package is not installed. No Grafbase binary is needed here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GRAFBASE_PACKAGE, grafbaseConfig, grafbaseEngine, judge, missingPaths, sameAnswer } from '../../scripts/bench/grafbase';

const ROOT = path.resolve(__dirname, '../..');
const ours = JSON.stringify({
  data: { supportContact: { topic: { id: 'training', name: 'Training' }, contacts: [{ name: 'A', offers: [] }], explanation: 'Why' } },
});

test('an answer counts when its data and errors equal ours, whatever its key order and whitespace', () => {
  const reordered = `{ "data": { "supportContact": { "explanation": "Why", "contacts": [{ "offers": [], "name": "A" }], "topic": { "name": "Training", "id": "training" } } } }\n`;
  expect(sameAnswer(ours, reordered)).toBe(true);
  expect(sameAnswer(ours, ours.replace('"A"', '"B"'))).toBe(false);
  expect(sameAnswer(ours, JSON.stringify({ ...JSON.parse(ours), errors: [{ message: 'late' }] }))).toBe(false);
  expect(sameAnswer(ours, 'not json')).toBe(false);
});

test('the wrong answers are counted and what they leave out is named, with or without an error', () => {
  const leftOut = JSON.stringify({ data: { supportContact: { topic: { id: 'training', name: 'Training' } } } });
  const failed = JSON.stringify({ data: null, errors: [{ message: 'Invalid response from subgraph' }] });
  const verdict = judge([ours, ours, ours], [ours, leftOut, failed]);
  expect(verdict.correct).toEqual([0]);
  expect(verdict.wrong).toContain('2 wrong; 1 of them leave fields out with no error: supportContact.contacts (1), supportContact.explanation (1)');
  expect(verdict.wrong).toContain('"supportContact":{"topic"');
  expect(judge([ours], [ours]).wrong).toBe('none wrong');
});

test('a field answered null is not left out; a list item is followed into', () => {
  expect(missingPaths({ a: 1, b: { c: 2 } }, { a: null, b: {} })).toEqual(['b.c']);
  expect(missingPaths({ list: [{ x: 1 }, { x: 2, y: 3 }] }, { list: [{ x: 1 }, { x: 2 }] })).toEqual(['list[].y']);
});

test('without its optional package, the engine is missing and the reason names the package', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'grafbase-absent-'));
  try {
    const engine = grafbaseEngine(empty);
    expect('missing' in engine && engine.missing).toContain(GRAFBASE_PACKAGE);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('its configuration serves our subgraph schemas, and caches no providers fetch', () => {
  const urls = { providers: 'http://127.0.0.1:1/graphql', licenses: 'http://127.0.0.1:2/graphql', support: 'http://127.0.0.1:3/graphql' };
  const cold = grafbaseConfig('grafbase', ROOT, urls);
  for (const [name, url] of Object.entries(urls)) {
    const schema = path.join(ROOT, 'schema', `${name}.graphql`);
    expect(fs.existsSync(schema)).toBe(true);
    expect(cold).toContain(`[subgraphs.${name}]\nurl = "${url}"\nschema_path = ${JSON.stringify(schema)}`);
  }
  expect(cold).not.toContain('entity_caching');
  const cached = grafbaseConfig('grafbase-cached', ROOT, urls);
  expect(cached).toContain('[subgraphs.licenses.entity_caching]\nenabled = true');
  expect(cached).toContain('[subgraphs.support.entity_caching]\nenabled = true');
  expect(cached).not.toContain('[subgraphs.providers.entity_caching]');
});
