/**
 * One build per `npm test` run, shared by every test file that needs it: jest's globalSetup
 * (test/support/global-setup.ts) names an empty folder for the run; the first file that asks for a
 * build makes it there (an atomic mkdir is the lock) and the others wait for it. A run that needs no
 * build (one rules file, say) builds nothing. Outside such a run (a folder not named), each caller
 * builds its own, as before.
 *
 * Hand-written because jest offers nothing between "per file" and "always in globalSetup", and
 * building in globalSetup would add a full tsc run to every single-file run.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SHARED_BUILDS_VARIABLE = 'ONYX_TEST_SHARED_BUILDS';

/** The folder `make` filled once for this run (shared), or a fresh one of the caller's (not shared). */
export async function sharedBuild(name: string, make: (dir: string) => Promise<void>, fresh: () => string): Promise<{ dir: string; shared: boolean }> {
  const base = process.env[SHARED_BUILDS_VARIABLE];
  if (!base || !fs.existsSync(base)) {
    const dir = fresh();
    await make(dir);
    return { dir, shared: false };
  }
  const dir = path.join(base, name);
  const done = path.join(base, `${name}.done`);
  const failed = path.join(base, `${name}.failed`);
  let mine = false;
  try {
    fs.mkdirSync(dir);
    mine = true;
  } catch {
    // another test file is building it, or has built it
  }
  if (mine) {
    try {
      await make(dir);
      fs.writeFileSync(done, '');
    } catch (error) {
      fs.writeFileSync(failed, String(error instanceof Error ? error.message : error));
      throw error;
    }
    return { dir, shared: true };
  }
  for (;;) {
    if (fs.existsSync(done)) return { dir, shared: true };
    if (fs.existsSync(failed)) throw new Error(`the shared ${name} build failed in another test file: ${fs.readFileSync(failed, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
