/**
 * The suite runs on a Node that package.json's `engines` allows (Node 20, 22, 24), and, when CI asks
 * for a particular one (EXPECTED_NODE_MAJOR, set by .ci/run for its Node 24 run), on that one: this
 * is how CI knows its second run really ran under Node 24, native sqlite3 module included.
 */
import fs from 'node:fs';
import path from 'node:path';

const engines = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')).engines.node as string;
const major = Number(process.versions.node.split('.')[0]);

test('engines names the LTS lines 20, 22 and 24, and this Node is one of them', () => {
  const allowed = engines.split('||').map((range) => Number(/^\s*\^(\d+)\s*$/.exec(range)?.[1]));
  expect(allowed).toEqual([20, 22, 24]);
  expect(allowed).toContain(major);
});

test('this is the Node CI asked for, and sqlite3 loads on it', async () => {
  const expected = process.env.EXPECTED_NODE_MAJOR;
  if (expected !== undefined) expect(`${process.version} (major ${major})`).toBe(`${process.version} (major ${expected})`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the native module is what is tested
  const sqlite3 = require('sqlite3');
  const db = new sqlite3.Database(':memory:');
  const rows = await new Promise<{ v: number }[]>((resolve, reject) =>
    db.all('select 1 + 1 as v', (error: Error | null, result: { v: number }[]) => (error ? reject(error) : resolve(result))),
  );
  db.close();
  expect(rows).toEqual([{ v: 2 }]);
});
