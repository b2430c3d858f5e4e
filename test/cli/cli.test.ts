/**
 * The real commands as separate processes (docs/api.md "Commands"): `npm start`, `npm run import --
 * FILE.json` followed by `npm start`, and the import's usage errors. What an import guarantees when
 * it is killed or runs beside another (its lock) is in import-lock.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { databaseUrl, TEST_JWT_SECRET } from '../support/stack';
import {
  DISTRIBUTOR,
  graphql,
  ids,
  LICENSE,
  license,
  MANUFACTURER,
  provider,
  runImport,
  sandbox,
  SMALL_DIRECTORY,
  startProduct,
  supportContactQuery,
  TEST_TIMEOUT_MS,
  useCommandSandbox,
  writeFile,
} from '../support/commands';

useCommandSandbox();

describe('npm start', () => {
  it(
    'loads the demo on an empty DATA_DIR, prints the gateway URL and an example, answers the headline query',
    async () => {
      const product = await startProduct();

      expect(product.output).toContain(`gateway ready at ${product.url}/graphql`);
      expect(product.output).toContain('loaded the demo');
      expect(product.output).toContain(databaseUrl ? 'data: PostgreSQL (DATABASE_URL)' : `data: SQLite files in ${sandbox.dataDir}`);
      expect(product.output).toContain(`curl -s ${product.url}/graphql`);
      expect((await fetch(`${product.url}/health`)).status).toBe(200);
      expect((await fetch(`${product.url}/ready`)).status).toBe(200);

      const { data, errors } = await graphql(product.url, supportContactQuery('OC3-DEMO-0001'));
      expect(errors).toBeUndefined();
      expect(ids(data.supportContact.contacts)).toEqual(['nordkiefer-demo']);
      expect(ids(data.supportContact.escalation)).toEqual(['image-instruments']);
      expect(data.supportContact.billedBy).toEqual({ id: 'nordkiefer-demo' });
      expect(data.supportContact.explanation).toEqual(expect.any(String));

      // Working tokens never go to a pipe (a log collector): the output says where they are, in a
      // file only this user can read. One per role, signed with JWT_SECRET; the holder's reads its own license only.
      const tokensFile = path.join(sandbox.dataDir, 'demo-tokens.txt');
      expect(product.output).toContain(`are not printed: this output is not a terminal. They are in ${tokensFile}`);
      expect(product.output).not.toMatch(/Bearer [\w-]+\.[\w-]+\./);
      expect(product.output).not.toContain(TEST_JWT_SECRET);
      expect(fs.statSync(tokensFile).mode & 0o777).toBe(0o600);
      const tokens = fs.readFileSync(tokensFile, 'utf8');
      expect(tokens.match(/authorization: Bearer /g)).toHaveLength(4);
      const holderToken = /^holder of OC3-DEMO-0001 .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(tokens)?.[1];
      expect(holderToken).toBeDefined();
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0001'), holderToken)).errors).toBeUndefined();
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0002'), holderToken)).errors?.[0].extensions.code).toBe('NOT_FOUND');

      // Every printed example is a working request, sent as printed (with its token, or none).
      const examples = [
        ...`${product.output}\n${tokens}`.matchAll(
          /^curl -s \S+ -H 'content-type: application\/json'(?: -H 'authorization: (Bearer [\w.-]+)')? \\\n {2}-d '(.*)'$/gm,
        ),
      ];
      // The anonymous directory, one per demo role, and a practice's signIn with a demo access code.
      expect(examples).toHaveLength(6);
      const answers = [];
      for (const [, authorization, body] of examples) {
        const response = await fetch(`${product.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body,
        });
        const answer = (await response.json()) as any;
        expect(answer.errors).toBeUndefined();
        answers.push(answer.data);
      }
      expect(answers.find((a) => a.providers)?.providers.length).toBeGreaterThan(0); // anonymous: the public directory
      const holderAnswer = answers.find((a) => a.supportContact?.contacts[0]?.name === 'Nordkiefer Demo Dentalsoftware GmbH');
      expect(holderAnswer).toBeDefined();
      expect(answers.find((a) => a.signIn)?.signIn.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/); // the printed access code signs in

      // SIGTERM stops it cleanly.
      expect(await product.stop()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'without JWT_SECRET, shows the generated secret only shortened; the tokens in the file are signed with it',
    async () => {
      const product = await startProduct({ env: { JWT_SECRET: '' } });
      const tokens = fs.readFileSync(path.join(sandbox.dataDir, 'demo-tokens.txt'), 'utf8');
      for (const text of [product.output, tokens]) expect(text).not.toMatch(/[0-9a-f]{64}/);
      expect(tokens).toMatch(/signed with a JWT_SECRET generated for this run, [0-9a-f]{6}… \(64 characters, not shown in full\)/);
      const adminToken = /^admin .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(tokens)?.[1];
      expect((await graphql(product.url, '{ licenses { totalCount } }', adminToken)).data.licenses.totalCount).toBeGreaterThan(0);
      await product.stop();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'to a terminal, prints the tokens (and writes no file)',
    async () => {
      const product = await startProduct({ terminal: true, env: { JWT_SECRET: '' } });
      expect(product.output.match(/authorization: Bearer /g)).toHaveLength(4);
      expect(product.output).toMatch(/signed with a JWT_SECRET generated for this run, [0-9a-f]{6}… \(64 characters/);
      expect(product.output).not.toMatch(/[0-9a-f]{64}/);
      expect(fs.existsSync(path.join(sandbox.dataDir, 'demo-tokens.txt'))).toBe(false);
      const holderToken = /^holder of OC3-DEMO-0001 .*\ncurl .*authorization: Bearer ([\w.-]+)'/m.exec(product.output)?.[1];
      expect((await graphql(product.url, supportContactQuery('OC3-DEMO-0001'), holderToken)).errors).toBeUndefined();
      await product.stop();
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm run import -- FILE.json, then npm start', () => {
  it(
    'imports idempotently, and start serves the imported data instead of the demo',
    async () => {
      const file = writeFile('directory.json', SMALL_DIRECTORY);

      const first = await runImport(file);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain('imported 2 providers (1 offers) and 1 licenses');
      const second = await runImport(file);
      expect(second).toEqual(first);

      const product = await startProduct();
      expect(product.output).not.toContain('loaded the demo');

      const { data } = await graphql(
        product.url,
        `
          {
            providers {
              id
              offers {
                id
              }
            }
          }
        `,
      );
      expect(data.providers).toHaveLength(2);
      expect(data.providers).toEqual(
        expect.arrayContaining([
          { id: MANUFACTURER, offers: [] },
          { id: DISTRIBUTOR, offers: [{ id: 'acme-level0' }] },
        ]),
      );

      const imported = await graphql(product.url, supportContactQuery(LICENSE));
      expect(imported.errors).toBeUndefined();
      expect(ids(imported.data.supportContact.contacts)).toEqual([DISTRIBUTOR]);

      const demo = await graphql(product.url, supportContactQuery('OC3-DEMO-0001'));
      expect(demo.errors).toHaveLength(1);
      expect(demo.errors![0].extensions.code).toBe('NOT_FOUND');
      expect(demo.errors![0].message).toContain('OC3-DEMO-0001');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is all-or-nothing: a file with invalid records changes nothing and names each bad record',
    async () => {
      expect((await runImport(writeFile('directory.json', SMALL_DIRECTORY))).code).toBe(0);

      const mixed = writeFile('mixed.json', {
        providers: [
          provider(MANUFACTURER, { name: 'Renamed Maker GmbH', roles: ['MANUFACTURER'] }), // valid on its own
          provider(DISTRIBUTOR, {
            roles: ['DISTRIBUTOR'],
            offers: [{ id: 'acme-level0', service: 'TECHNICAL_SUPPORT', title: 'Level 0', price: { amount: 99, currency: 'EUR' }, unit: 'ANNUAL' }],
          }),
        ],
        licenses: [license('CLI-0002', { vendorId: 'nobody-knows-me' })],
      });
      const result = await runImport(mixed);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(mixed);
      expect(result.stderr).toContain(`providers[1] (${DISTRIBUTOR}).offers[0].price.amount`);
      expect(result.stderr).toContain('decimal string');
      expect(result.stderr).toContain('licenses[0] (CLI-0002).vendorId');
      expect(result.stderr).toContain('nobody-knows-me');

      const product = await startProduct();
      const { data } = await graphql(product.url, `{ provider(id: "${MANUFACTURER}") { name } license(key: "CLI-0002") { key } }`);
      expect(data).toEqual({ provider: { name: 'Acme Maker GmbH' }, license: null });
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm run import: usage errors', () => {
  const noStackTrace = (stderr: string) => expect(stderr).not.toContain('    at ');

  it('without a file argument prints a usage line and fails', async () => {
    const { code, stderr } = await runImport();
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/usage: .*import.*FILE\.json/i);
    noStackTrace(stderr);
  });

  it('with a file that is not JSON fails naming the file', async () => {
    const file = writeFile('not-json.json', 'this is { not JSON');
    const { code, stderr } = await runImport(file);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    noStackTrace(stderr);
  });

  it('with a file that does not exist fails naming the file', async () => {
    const file = path.join(sandbox.dataDir, 'missing.json');
    const { code, stderr } = await runImport(file);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    noStackTrace(stderr);
  });
});

// ---- a killed import, concurrent imports (docs/operations.md "Import guarantees") -----------------------------
