/**
 * A private build of the support-finder page (web/) for tests: `vite build` into a temporary
 * folder, so that a test never serves a stale or half-written web/dist.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './build';

export async function buildWebPage(): Promise<{ dir: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-web-'));
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
