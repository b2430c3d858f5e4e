/**
 * A lone UTF-16 surrogate ("\ud800" in JSON: no character, UTF-8 cannot encode it) in any text a
 * partner or an admin sends, or in the directory file, is BAD_USER_INPUT naming the field, and
 * nothing is stored: on SQLite (which stored U+FFFD instead) and PostgreSQL (whose JSON columns of
 * the audit trail refused it with an internal error) alike. Through the gateway, and the import.
 */
import { importDirectory } from '../../app/directory/import-directory';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const LONE = '\ud800';
const DORA = { sub: 'dora-staff', role: 'provider', provider: 'dora' } as const;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

async function refused(query: string, variables: Record<string, unknown>, as: Parameters<TestStack['graphql']>[2]) {
  const { body } = await stack.graphql(query, variables, as);
  expect(body.errors).toHaveLength(1);
  return body.errors[0];
}

const doraNow = async () => (await stack.graphql('{ provider(id: "dora") { version phone postalAddress offers { id title } } }', {}, DORA)).body.data.provider;

test.each([
  ['phone', { phone: `+43 ${LONE}1` }],
  ['postalAddress', { postalAddress: `Ring 1${LONE}` }],
  ['email', { email: `a${LONE}@dora.example` }],
  ['website', { website: `https://dora.example/${LONE}` }],
  ['businessHours', { businessHours: `Mo-Fr 08:00-17:00${LONE}` }],
  ['timeZone', { timeZone: `Europe/Vienna${LONE}` }],
  ['languages[0]', { languages: [`d${LONE}`] }],
])('updateProvider with one in input.%s: BAD_USER_INPUT naming it, nothing changed', async (field, input) => {
  const before = await doraNow();
  const error = await refused(
    'mutation ($v: Int!, $input: ProviderUpdateInput!) { updateProvider(id: "dora", version: $v, input: $input) { version } }',
    { v: before.version, input },
    DORA,
  );
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: `input.${field}` });
  expect(error.message).toMatch(new RegExp(`^input\\.${field.replace(/[[\]]/g, '\\$&')} must be valid Unicode text: it contains an unpaired UTF-16 surrogate`));
  expect(await doraNow()).toEqual(before);
});

test('saveOffer with one in the title or description: BAD_USER_INPUT naming it, no offer', async () => {
  const before = await doraNow();
  for (const [field, extra] of [
    ['title', { title: `Kurs${LONE}` }],
    ['description', { description: `${LONE}x` }],
  ] as const) {
    const input = { service: 'TRAINING', ...{ title: 'Kurs' }, price: { amount: '100.00', currency: 'EUR' }, unit: 'PER_DAY', ...extra };
    const error = await refused('mutation ($input: OfferInput!) { saveOffer(providerId: "dora", input: $input) { id } }', { input }, DORA);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: `input.${field}` });
  }
  expect(await doraNow()).toEqual(before);
});

test("an API key's label with one: BAD_USER_INPUT naming the label, no key", async () => {
  const error = await refused('mutation ($label: String!) { issueApiKey(providerId: "dora", label: $label) { id } }', { label: `ERP ${LONE}` }, undefined);
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'label' });
  expect(error.message).toContain('unpaired UTF-16 surrogate');
  expect((await stack.graphql('{ apiKeys(providerId: "dora") { id } }')).body.data.apiKeys).toEqual([]);
});

test('a well-formed pair (an emoji) is fine', async () => {
  const before = await doraNow();
  const { body } = await stack.graphql(
    'mutation ($v: Int!) { updateProvider(id: "dora", version: $v, input: { postalAddress: "Ring 1 🦷" }) { postalAddress } }',
    { v: before.version },
    DORA,
  );
  expect(body).toEqual({ data: { updateProvider: { postalAddress: 'Ring 1 🦷' } } });
});

test('the import refuses one in any text, naming the record and field, and imports nothing', async () => {
  const file = networkDirectory();
  const providers = file.providers.map((p: any) => (p.id === 'emil' ? { ...p, name: `Emil ${LONE}Hilfe` } : p));
  const licenses = file.licenses.map((l: any, i: number) => (i === 0 ? { ...l, holder: { ...l.holder, name: `Praxis ${LONE}` } } : l));
  const result = await importDirectory({ providers, licenses }, stack.orms);
  expect(result.ok).toBe(false);
  const problems = (result as { problems: { path: string; reason: unknown }[] }).problems;
  expect(problems.map((p) => p.path)).toEqual([
    expect.stringMatching(/^providers\[\d+\] \(emil\)\.name$/),
    expect.stringMatching(/^licenses\[0\] \(.+\)\.holder\.name$/),
  ]);
  for (const problem of problems) expect(String(problem.reason)).toContain('unpaired UTF-16 surrogate');
  expect((await stack.graphql('{ provider(id: "emil") { name } }')).body.data.provider.name).toBe('Emil Hilfe');
});
