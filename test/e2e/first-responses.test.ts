/**
 * Response-time commitments through the gateway over HTTP, on the real subgraphs and databases, at
 * fixed instants (docs/rules.md "Response-time commitments"; the counting itself is pinned by
 * test/rules/first-responses.test.ts): SupportContact.firstResponses per contact and escalation
 * provider, a partner stating its own commitments (validated, versioned, audited), the admin setting
 * the manufacturer's, and expectedBy never served from the response cache.
 */
import { importDirectory } from '../../app/directory/import-directory';
import { networkDirectory, providers } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';
import { inEnglish } from '../support/english';

const at = (iso: string) => new Date(iso);
const tech = (businessHours: number) => ({ category: 'TECHNICAL_SUPPORT', businessHours });
const users = (businessHours: number) => ({ category: 'USER_SUPPORT', businessHours });

const extra: Record<string, object> = {
  ii: {
    businessHours: 'Mo-Fr 08:00-17:00; PH off',
    timeZone: 'Europe/Berlin',
    firstResponseCommitments: [tech(8), { category: 'SOFTWARE_MAINTENANCE', businessHours: 16 }],
  },
  alpha: { businessHours: 'Mo-Fr 08:00-16:00', timeZone: 'Europe/Vienna', firstResponseCommitments: [tech(4)] },
  carla: { businessHours: 'Mo-Fr 09:00-17:00', timeZone: 'Europe/Vienna', firstResponseCommitments: [users(8)] },
  beta: { firstResponseCommitments: [users(4)] }, // states one, but has no business hours to count it in
};
const directory = () => ({ ...networkDirectory(), providers: providers.map((p) => ({ ...p, ...extra[p.id] })) });

const ALPHA = { sub: 'alpha-staff', role: 'provider', provider: 'alpha' } as const;
const II = { sub: 'ii-staff', role: 'provider', provider: 'ii' } as const;

const FIRST_RESPONSES = `query ($key: ID!, $topic: ID!) {
  supportContact(licenseKey: $key, topic: $topic) { contacts { id } escalation { id } firstResponses { provider { id name } businessHours expectedBy } }
}`;

let stack: TestStack;
// Friday 2026-11-27 14:00 UTC: 15:00 in Vienna and Berlin.
let now = at('2026-11-27T14:00:00Z');
beforeAll(async () => {
  stack = await startTestStack({ directory: directory(), clock: () => now, gateway: { responseCache: true } });
});
afterAll(() => stack?.close());

async function ask(key: string, topic: string) {
  const { status, body } = await stack.graphql(FIRST_RESPONSES, { key, topic });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.supportContact;
}

const version = async (id: string) => (await stack.graphql(`{ provider(id: "${id}") { version } }`)).body.data.provider.version as number;

describe('SupportContact.firstResponses', () => {
  it('gives the contact, then the escalation, each counted in its own business hours across the weekend', async () => {
    now = at('2026-11-27T14:00:00Z');
    const answer = await ask('L-VENDOR', 'server-installation');
    expect(answer.contacts).toEqual([{ id: 'alpha' }]);
    expect(answer.escalation).toEqual([{ id: 'ii' }]);
    expect(answer.firstResponses).toEqual([
      // One hour left on Friday in Vienna, three on Monday from 08:00.
      { provider: { id: 'alpha', name: 'Alpha Dental Vertrieb' }, businessHours: 4, expectedBy: '2026-11-30T11:00:00+01:00' },
      // Two hours left on Friday in Berlin, six on Monday.
      { provider: { id: 'ii', name: 'Image Instruments GmbH' }, businessHours: 8, expectedBy: '2026-11-30T14:00:00+01:00' },
    ]);
  });

  it("uses the commitment for the topic's category, and says null where none is stated or no hours count it", async () => {
    // Software maintenance: 16 hours from Friday 15:00 in Berlin are 2 on Friday, 9 on Monday and 5 on Tuesday.
    const maintenance = await ask('L-VENDOR', 'updates');
    expect(maintenance.firstResponses).toEqual([
      { provider: expect.objectContaining({ id: 'ii' }), businessHours: 16, expectedBy: '2026-12-01T13:00:00+01:00' },
    ]);
    const training = await ask('L-PARTNER', 'user-support');
    const byId = Object.fromEntries(training.firstResponses.map((r: any) => [r.provider.id, r]));
    expect(training.firstResponses.map((r: any) => r.provider.id)).toEqual(training.contacts.map((c: any) => c.id));
    expect(byId.emil).toMatchObject({ businessHours: null, expectedBy: null });
    expect(byId.carla).toMatchObject({ businessHours: 8, expectedBy: '2026-11-30T15:00:00+01:00' });
    expect(byId.beta).toMatchObject({ businessHours: 4, expectedBy: null });
  });

  it('counts from the moment of each request: the response cache does not keep expectedBy', async () => {
    now = at('2026-11-27T14:00:00Z');
    expect((await ask('L-VENDOR', 'server-installation')).firstResponses[0].expectedBy).toBe('2026-11-30T11:00:00+01:00');
    now = at('2026-11-30T07:30:00Z'); // Monday 08:30 in Vienna
    expect((await ask('L-VENDOR', 'server-installation')).firstResponses[0].expectedBy).toBe('2026-11-30T12:30:00+01:00');
  });
});

describe('stating commitments', () => {
  const UPDATE = `mutation ($id: ID!, $version: Int!, $input: ProviderUpdateInput!) {
    updateProvider(id: $id, version: $version, input: $input) { id version firstResponseCommitments { category businessHours } }
  }`;

  it('a partner replaces its own, versioned and audited, and the next routing answer has them', async () => {
    now = at('2026-11-27T14:00:00Z');
    const before = await version('alpha');
    const { body } = await stack.graphql(UPDATE, { id: 'alpha', version: before, input: { firstResponseCommitments: [tech(2)] } }, ALPHA);
    expect(body.errors).toBeUndefined();
    expect(body.data.updateProvider).toEqual({ id: 'alpha', version: before + 1, firstResponseCommitments: [tech(2)] });
    const trail = await stack.graphql(`{ auditTrail(providerId: "alpha", first: 1) { edges { node { action before after } } } }`);
    const { action, before: was, after: is } = trail.body.data.auditTrail.edges[0].node;
    expect({ action, before: JSON.parse(was), after: JSON.parse(is) }).toMatchObject({
      action: 'updateProvider',
      before: { version: before, firstResponseCommitments: [tech(4)] },
      after: { version: before + 1, firstResponseCommitments: [tech(2)] },
    });
    expect((await ask('L-VENDOR', 'server-installation')).firstResponses[0]).toMatchObject({ businessHours: 2, expectedBy: '2026-11-30T09:00:00+01:00' });
    // Stating none is said plainly.
    await stack.graphql(UPDATE, { id: 'alpha', version: before + 1, input: { firstResponseCommitments: [] } }, ALPHA);
    expect((await ask('L-VENDOR', 'server-installation')).firstResponses[0]).toMatchObject({ businessHours: null, expectedBy: null });
  });

  it.each([
    ['a category its roles do not serve', [users(4)], 'input.firstResponseCommitments[0].category', /USER_SUPPORT is not one its roles serve/],
    ['a category twice', [tech(4), tech(8)], 'input.firstResponseCommitments[1].category', /repeats TECHNICAL_SUPPORT/],
    ['hours of zero', [tech(0)], 'input.firstResponseCommitments[0].businessHours', /more than 0 and at most 400/],
    ['hours in tenths', [tech(1.1)], 'input.firstResponseCommitments[0].businessHours', /whole quarter hours/],
  ])('refuses %s by name and changes nothing', async (_name, list, field, message) => {
    const before = await version('alpha');
    const { body } = await stack.graphql(UPDATE, { id: 'alpha', version: before, input: { firstResponseCommitments: list } }, ALPHA);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(body.errors[0].message).toMatch(message);
    expect(await version('alpha')).toBe(before);
  });

  it("the manufacturer's are set by an admin, not by itself", async () => {
    const before = await version('ii');
    const own = await stack.graphql(UPDATE, { id: 'ii', version: before, input: { firstResponseCommitments: [tech(1)] } }, II);
    expect(own.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(own.body.errors[0].message).toMatch(/set by an admin \(setManufacturerFirstResponses\)/);

    const SET = `mutation ($id: ID!, $version: Int!, $commitments: [FirstResponseCommitmentInput!]!) {
      setManufacturerFirstResponses(id: $id, version: $version, commitments: $commitments) { version firstResponseCommitments { category businessHours } }
    }`;
    const byPartner = await stack.graphql(SET, { id: 'ii', version: before, commitments: [tech(1)] }, ALPHA);
    expect(byPartner.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const notManufacturer = await stack.graphql(SET, { id: 'alpha', version: await version('alpha'), commitments: [tech(1)] });
    expect(notManufacturer.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not the manufacturer/) });

    const { body } = await stack.graphql(SET, { id: 'ii', version: before, commitments: [{ category: 'SOFTWARE_MAINTENANCE', businessHours: 24 }, tech(2)] });
    expect(body.errors).toBeUndefined();
    // Stored in category order, whatever order they were given in.
    expect(body.data.setManufacturerFirstResponses).toEqual({
      version: before + 1,
      firstResponseCommitments: [{ category: 'SOFTWARE_MAINTENANCE', businessHours: 24 }, tech(2)],
    });
    const trail = await stack.graphql(`{ auditTrail(providerId: "ii", first: 1) { edges { node { action actorRole } } } }`);
    expect(trail.body.data.auditTrail.edges[0].node).toEqual({ action: 'setManufacturerFirstResponses', actorRole: 'admin' });
    const stale = await stack.graphql(SET, { id: 'ii', version: before, commitments: [] });
    expect(stale.body.errors[0].extensions.code).toBe('CONFLICT');
    expect((await ask('L-VENDOR', 'patch-installation')).firstResponses).toEqual([
      { provider: expect.objectContaining({ id: 'ii' }), businessHours: 2, expectedBy: '2026-11-27T17:00:00+01:00' },
    ]);
  });
});

describe('the directory file', () => {
  const reimport = (file: object) => importDirectory(file, { providers: stack.orms.providers, licenses: stack.orms.licenses });
  const commitmentsOf = async (id: string) =>
    (await stack.graphql(`{ provider(id: "${id}") { version firstResponseCommitments { category businessHours } } }`)).body.data.provider;

  it('the same commitments again change nothing; a file without them keeps them; a file with them replaces them', async () => {
    const carla = () => directory().providers.find((p) => p.id === 'carla')!;
    expect((await reimport({ providers: [carla()] })).ok).toBe(true);
    const before = await commitmentsOf('carla');
    expect(before.firstResponseCommitments).toEqual([users(8)]);
    expect((await reimport({ providers: [carla()] })).ok).toBe(true);
    expect(await commitmentsOf('carla')).toEqual(before);
    const { firstResponseCommitments: _left, ...without } = carla() as Record<string, unknown>;
    expect((await reimport({ providers: [without] })).ok).toBe(true);
    expect(await commitmentsOf('carla')).toEqual(before);
    expect((await reimport({ providers: [{ ...carla(), firstResponseCommitments: [users(2)] }] })).ok).toBe(true);
    expect(await commitmentsOf('carla')).toEqual({ version: before.version + 1, firstResponseCommitments: [users(2)] });
  });

  it('refuses a commitment its roles do not serve, naming where, and imports nothing', async () => {
    const result = await reimport({ providers: [{ ...directory().providers.find((p) => p.id === 'carla')!, firstResponseCommitments: [tech(4)] }] });
    // The import's report, in English (as it prints it).
    expect(inEnglish(result)).toEqual({
      ok: false,
      problems: [
        {
          path: 'providers[0] (carla).firstResponseCommitments[0].category',
          reason: 'category TECHNICAL_SUPPORT is not one its roles serve (SUPPORT_PARTNER serve USER_SUPPORT)',
        },
      ],
      unlisted: 0,
    });
  });
});
