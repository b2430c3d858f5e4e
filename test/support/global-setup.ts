/** jest globalSetup: names the folder of this run's shared builds (test/support/shared-build.ts); builds nothing itself. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_BUILDS_VARIABLE } from './shared-build';

export default function globalSetup(): void {
  process.env[SHARED_BUILDS_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-test-builds-'));
}
