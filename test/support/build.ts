/**
 * A private build of the product for tests that run its commands as processes: `tsc -p
 * tsconfig.build.json` into a temporary folder laid out like the repository (dist/ beside links to
 * schema/, seed/, examples/, node_modules and package.json), so that no other test file's build can
 * rewrite a script while it runs. Built once per `npm test` run and shared (test/support/shared-build.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sharedBuild } from './shared-build';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Build {
  /** The folder that plays the repository root; the commands run with it as their working directory. */
  root: string;
  /** `dist/<relative>` inside the build, e.g. entry('scripts/import.js'). */
  entry(relative: string): string;
  remove(): void;
}

export async function buildProduct(): Promise<Build> {
  const { dir: root, shared } = await sharedBuild(
    'product',
    async (root) => {
      for (const linked of ['schema', 'seed', 'examples', 'node_modules', 'package.json']) {
        fs.symlinkSync(path.join(ROOT, linked), path.join(root, linked));
      }
      await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(root, 'dist')], {
        cwd: ROOT,
        timeout: 300_000,
      });
    },
    () => fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-build-')),
  );
  return {
    root,
    entry: (relative) => path.join(root, 'dist', relative),
    // A shared build stays for the other files of the run; global-teardown removes it.
    remove: () => (shared ? undefined : fs.rmSync(root, { recursive: true, force: true })),
  };
}
