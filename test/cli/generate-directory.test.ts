/**
 * The benchmark generator writes a directory file the import accepts as a whole, and the same seed
 * writes the same file; its figures through the gateway match what the file holds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDirectory, parseGenerateOptions } from '../../lib/directory/generate-directory';
import { startTestStack, type TestStack } from '../support/stack';

let scratch: string;
let stack: TestStack | undefined;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'generate-test-'));
});
afterAll(async () => {
  await stack?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('a generated directory imports whole, and the same seed writes the same file', async () => {
  const out = path.join(scratch, 'a.json');
  await generateDirectory(parseGenerateOptions(['--licenses', '600', '--providers', '40', '--out', out, '--seed', '7']));
  await generateDirectory(parseGenerateOptions(['--licenses', '600', '--providers', '40', '--out', path.join(scratch, 'b.json'), '--seed', '7']));
  expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(scratch, 'b.json'), 'utf8'));
  const directory = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect(directory.providers).toHaveLength(40);
  expect(directory.licenses).toHaveLength(600);

  // startTestStack imports it and fails on any invalid record.
  stack = await startTestStack({ directory });
  const { body } = await stack.graphql('{ licenseStats(groupBy: [STATUS]) { status count } }');
  expect(body.errors).toBeUndefined();
  const byStatus = (status: string) => directory.licenses.filter((l: { status: string }) => l.status === status).length;
  expect(body.data.licenseStats).toEqual(
    ['ACTIVE', 'EXPIRED', 'SUSPENDED'].filter((s) => byStatus(s) > 0).map((status) => ({ status, count: byStatus(status) })),
  );
});

test('bad options are refused naming them', () => {
  expect(() => parseGenerateOptions(['--licenses', 'many'])).toThrow('--licenses many');
  expect(() => parseGenerateOptions(['--providers', '1'])).toThrow('--providers must be at least 2');
});
