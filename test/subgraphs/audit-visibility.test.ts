/**
 * A provider's own audit trail shows roles, not people: who at the operator ran an import (its
 * operating-system user) and which admin changed the provider (the token's subject and the person's
 * name) are hidden from the provider, which sees the role only; its own people (by name, when their
 * token names them) and API keys it sees. Admins see everyone.
 * Through the gateway, on the test database (SQLite, or PostgreSQL with DATABASE_URL).
 */
import os from 'node:os';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const OPS = { sub: 'ops-alice@operator.example', role: 'admin', name: 'Alice Ops' } as const;
const DORA = { sub: 'dora-staff', role: 'provider', provider: 'dora', preferred_username: 'dora.staff' } as const;
const AUDIT = `query ($providerId: ID) { auditTrail(providerId: $providerId, first: 100) { edges { node { actorRole actorSub actorName actorProvider actorKeyId action } } } }`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

async function ok(query: string, variables: Record<string, unknown>, as: Parameters<TestStack['graphql']>[2]) {
  const answer = await stack.graphql(query, variables, as);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data;
}

test("a provider sees the admin's and the import operator's changes by role only, its own people's and keys' in full; an admin sees all", async () => {
  const setActive = 'mutation ($active: Boolean!) { setProviderActive(id: "dora", active: $active) { active } }';
  await ok(setActive, { active: false }, OPS);
  await ok(setActive, { active: true }, OPS);
  const issued = (await ok('mutation { issueApiKey(providerId: "dora", label: "ERP") { id key } }', {}, OPS)).issueApiKey;
  const version = (await ok('{ provider(id: "dora") { version } }', {}, DORA)).provider.version;
  await ok('mutation ($v: Int!) { updateProvider(id: "dora", version: $v, input: { phone: "+43 1 234" }) { version } }', { v: version }, DORA);
  // The same provider through its API key.
  const byKey = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': issued.key },
    body: JSON.stringify({
      query: 'mutation ($v: Int!) { updateProvider(id: "dora", version: $v, input: { phone: "+43 1 235" }) { version } }',
      variables: { v: version + 1 },
    }),
  });
  expect(((await byKey.json()) as any).errors).toBeUndefined();

  const seenBy = async (as: typeof OPS | typeof DORA) => {
    const answer = await stack.graphql(AUDIT, { providerId: 'dora' }, as);
    expect(answer.body.errors).toBeUndefined();
    return { text: JSON.stringify(answer.body), entries: answer.body.data.auditTrail.edges.map((e: any) => e.node) };
  };
  const byRole = (entries: any[], role: string) => entries.filter((e) => e.actorRole === role);

  const provider = await seenBy(DORA);
  expect(
    byRole(provider.entries, 'admin')
      .map((e: any) => e.action)
      .sort(),
  ).toEqual(['issueApiKey', 'setProviderActive', 'setProviderActive']);
  for (const entry of byRole(provider.entries, 'admin')) expect(entry).toMatchObject({ actorSub: null, actorName: null, actorKeyId: null });
  expect(byRole(provider.entries, 'operator').length).toBeGreaterThan(0);
  for (const entry of byRole(provider.entries, 'operator')) expect(entry).toMatchObject({ actorSub: null, actorName: null, actorKeyId: null });
  expect(provider.text).not.toContain('ops-alice');
  expect(provider.text).not.toContain('Alice Ops');
  // Its own changes: its staff member, and its key.
  expect(byRole(provider.entries, 'provider')).toEqual([
    { actorRole: 'provider', actorSub: `api-key:${issued.id}`, actorName: null, actorProvider: 'dora', actorKeyId: issued.id, action: 'updateProvider' },
    { actorRole: 'provider', actorSub: 'dora-staff', actorName: 'dora.staff', actorProvider: 'dora', actorKeyId: null, action: 'updateProvider' },
  ]);

  const admin = await seenBy(OPS);
  for (const entry of byRole(admin.entries, 'admin')) expect(entry).toMatchObject({ actorSub: OPS.sub, actorName: OPS.name });
  for (const entry of byRole(admin.entries, 'operator')) expect(entry.actorSub).toBe(os.userInfo().username);
  expect(byRole(admin.entries, 'provider')).toEqual(byRole(provider.entries, 'provider'));
});
