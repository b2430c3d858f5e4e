/**
 * examples/client: its types are what graphql-codegen makes of its operation and schema/api.graphql
 * today (`npm run codegen`), and the script asks the headline question of the real product.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { ClientError, main } from '../../examples/client/ask';
import { ROOT } from '../support/build';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

const GENERATED = 'examples/client/generated/graphql.ts';

/** Runs the committed codegen config with graphql-codegen, its schema replaced when given, into a temporary file; returns what it wrote. */
async function generate(schema?: string): Promise<string> {
  const config = parse(fs.readFileSync(path.join(ROOT, 'examples/client/codegen.yml'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onyx-codegen-'));
  try {
    const output = path.join(dir, 'graphql.ts');
    config.generates = { [output]: config.generates[GENERATED] };
    if (schema) config.schema = schema;
    fs.writeFileSync(path.join(dir, 'codegen.yml'), stringify(config));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- reads the package's bin entry from its package.json
    const bin = path.join(ROOT, 'node_modules', '@graphql-codegen', 'cli', require('@graphql-codegen/cli/package.json').bin['graphql-codegen']);
    await promisify(execFile)(process.execPath, [bin, '--config', path.join(dir, 'codegen.yml'), '--silent'], { cwd: ROOT });
    return fs.readFileSync(output, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the committed client types are what graphql-codegen generates now (run `npm run codegen` after changing the API or the operation)', async () => {
  expect(fs.readFileSync(path.join(ROOT, GENERATED), 'utf8')).toBe(await generate());
});

describe('against the product', () => {
  let stack: TestStack;
  beforeAll(async () => {
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    stack = await startTestStack({ directory: demo });
  });
  afterAll(() => stack?.close());

  test('graphql-codegen pointed at the running gateway’s URL (introspection) makes the same client types as from schema/api.graphql', async () => {
    expect(await generate(stack.url)).toBe(fs.readFileSync(path.join(ROOT, GENERATED), 'utf8'));
  });

  test('the script asks the headline question and prints the answer', async () => {
    const text = await main(['OC3-DEMO-0001', 'server-installation'], {
      GATEWAY_URL: stack.url,
      ONYX_TOKEN: await tokenFor({ sub: 'praxis', role: 'holder', licenses: ['OC3-DEMO-0001'] }),
    });
    const { body } = await stack.graphql(
      '{ supportContact(licenseKey: "OC3-DEMO-0001", topic: "server-installation") { contacts { name email } escalation { name } billedBy { name } explanation } }',
    );
    const truth = body.data.supportContact;
    expect(text.split('\n')[0]).toBe('Server installation (Level 0)');
    for (const contact of truth.contacts) expect(text).toContain(`${contact.name} <${contact.email}>`);
    expect(text).toContain(`Escalation: ${truth.escalation.map((p: { name: string }) => p.name).join(' → ')}`);
    expect(text).toContain(`Billed by: ${truth.billedBy.name}`);
    expect(text).toContain(truth.explanation);
  });

  test('an unknown license is the API’s own error, and missing arguments print the usage', async () => {
    await expect(
      main(['NO-SUCH-LICENSE', 'training'], {
        GATEWAY_URL: stack.url,
        ONYX_TOKEN: await tokenFor({ sub: 'praxis', role: 'holder', licenses: ['OC3-DEMO-0001'] }),
      }),
    ).rejects.toThrow(/NO-SUCH-LICENSE/);
    await expect(
      main(['OC3-DEMO-0001'], { GATEWAY_URL: stack.url, ONYX_TOKEN: await tokenFor({ sub: 'praxis', role: 'holder', licenses: ['OC3-DEMO-0001'] }) }),
    ).rejects.toThrow(ClientError);
    expect(await main(['--help'])).toMatch(/^usage: /);
  });
});
