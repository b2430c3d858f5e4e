/**
 * A private build of the support-finder page (web/) for tests: `vite build` into a temporary
 * folder, so that a test never serves a stale or half-written web/dist. Built once per `npm test`
 * run and shared (test/support/shared-build.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './build';
import { sharedBuild } from './shared-build';

export async function buildWebPage(): Promise<{ dir: string; remove(): void }> {
  const { dir, shared } = await sharedBuild(
    'web',
    async (dir) => {
      await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'],
        { cwd: ROOT },
      );
    },
    () => fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-web-')),
  );
  return { dir, remove: () => (shared ? undefined : fs.rmSync(dir, { recursive: true, force: true })) };
}
