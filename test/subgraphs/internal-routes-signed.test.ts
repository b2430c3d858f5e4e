/**
 * The providers subgraph's internal routes for license changes (lib/license-changes.ts) with
 * SUBGRAPH_SECRET set: the licenses subgraph reaches them signed, so a registration (here with an
 * Idempotency-Key, settled by the licenses subgraph from the gateway's signed request) works end to
 * end, and nobody else can write an audit entry or bump the directory version.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { LICENSE_CHANGES_PATH, PROVIDER_REFERENCES_PATH } from '../../lib/license-changes';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
let stack: TestStack;
let saved: string | undefined;

beforeAll(async () => {
  saved = process.env.SUBGRAPH_SECRET;
  process.env.SUBGRAPH_SECRET = SECRET;
  stack = await startTestStack({ directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')) });
});
afterAll(async () => {
  await stack?.close();
  if (saved === undefined) delete process.env.SUBGRAPH_SECRET;
  else process.env.SUBGRAPH_SECRET = saved;
});

test('a registration with an Idempotency-Key works signed end to end, and its retry is replayed', async () => {
  const body = JSON.stringify({
    query: 'mutation($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key vendor { id } } }',
    variables: {
      input: {
        key: 'SIGNED-1',
        packageName: 'OnyxCeph³ 3D Pro',
        type: 'NETWORK',
        programVersion: '3.2',
        holder: { name: 'Praxis', country: 'AT', language: 'de' },
      },
    },
  });
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${await tokenFor({ sub: 'o', role: 'provider', provider: 'alpendent-demo' })}`,
    'idempotency-key': 'signed-1',
  };
  const first = await fetch(stack.url, { method: 'POST', headers, body });
  expect(await first.json()).toEqual({ data: { registerLicense: { key: 'SIGNED-1', vendor: { id: 'alpendent-demo' } } } });
  const retry = await fetch(stack.url, { method: 'POST', headers, body });
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  const trail = await stack.graphql('{ auditTrail(first: 1, providerId: "alpendent-demo") { edges { node { action subjectId } } } }');
  expect(trail.body.data.auditTrail.edges[0].node).toEqual({ action: 'registerLicense', subjectId: 'SIGNED-1' });
});

test('unsigned calls to the internal routes are refused (401) and change nothing', async () => {
  const base = stack.subgraphs.providers.url;
  const identity = JSON.stringify({ role: 'admin', sub: 'intruder' });
  const changes = await fetch(new URL(LICENSE_CHANGES_PATH, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-directory-identity': identity },
    body: JSON.stringify({ changes: [] }),
  });
  expect(changes.status).toBe(401);
  expect((await fetch(new URL(`${PROVIDER_REFERENCES_PATH}?ids=alpendent-demo`, base))).status).toBe(401);
  const trail = await stack.graphql('{ auditTrail(first: 1) { edges { node { actorSub } } } }');
  expect(trail.body.data.auditTrail.edges[0].node.actorSub).not.toBe('intruder');
});
