/**
 * The floors hold (.dependency-cruiser.cjs): lib/ imports nothing above it, gateway/ and subgraphs/
 * never import each other, and no module cycle exists except between ORM entities. The second test
 * shows the check is not blind: a small tree with one climbing import and one cycle fails it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

async function depcruise(cwd: string, folders: string[]) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [DEPCRUISE, '-c', CONFIG, '--output-type', 'err', ...folders], { cwd });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

test('no import climbs a floor and no module cycle exists outside ORM entities', async () => {
  const { code, output } = await depcruise(ROOT, ['lib', 'app', 'gateway', 'subgraphs', 'scripts', 'examples']);
  expect(output).toContain('no dependency violations found');
  expect(code).toBe(0);
});

test('the check fails on an upward import, on a cycle and on one subgraph importing another, and lets entity relations be', async () => {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['lib', 'gateway', 'subgraphs'] }),
    'lib/plumbing.ts': "import { plugin } from '../gateway/plugin';\nexport const plumbing = plugin;\n",
    'gateway/plugin.ts': "import { helper } from './helper';\nexport const plugin = helper;\n",
    'gateway/helper.ts': "import { plugin } from './plugin';\nexport const helper = () => plugin;\n",
    'subgraphs/licenses/license.entity.ts': "import { Holder } from './holder.entity';\nexport class License { holder?: Holder; }\n",
    'subgraphs/licenses/holder.entity.ts': "import { License } from './license.entity';\nexport class Holder { licenses?: License[]; }\n",
    'subgraphs/support/routing.ts': "import { License } from '../licenses/license.entity';\nexport const route = (l: License) => l;\n",
  };
  try {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), text);
    }
    const { code, output } = await depcruise(tree, ['lib', 'gateway', 'subgraphs']);
    expect(code).not.toBe(0);
    expect(output).toMatch(/lib-imports-nothing-above: lib\/plumbing\.ts → gateway\/plugin\.ts/);
    expect(output).toMatch(/no-cycles: gateway\/(plugin|helper)\.ts/);
    expect(output).toMatch(/subgraphs-do-not-import-each-other: subgraphs\/support\/routing\.ts → subgraphs\/licenses\/license\.entity\.ts/);
    expect(output).not.toMatch(/no-cycles: subgraphs\/licenses/);
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
});
