/** jest globalTeardown: removes this run's shared builds. */
import fs from 'node:fs';
import { SHARED_BUILDS_VARIABLE } from './shared-build';

export default function globalTeardown(): void {
  const dir = process.env[SHARED_BUILDS_VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
