/**
 * routingStanding ("how practices find me") over HTTP through the gateway and the three real
 * subgraphs: for each service country and routed topic, the provider's place comes from the same
 * routing rules as supportContact, so it must agree with supportContact's answer for a real license
 * in the same situation. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/build';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
  stack = await startTestStack({ directory: demo });
});
afterAll(async () => {
  await stack?.close();
});

const NORDKIEFER = { sub: 'p', role: 'provider', provider: 'nordkiefer-demo' } as const;
const RANK = 'position total contacts { id } explanation';
const STANDING = `query Standing($id: ID!, $language: String) { routingStanding(providerId: $id) { provider { id name } places(holderLanguage: $language) { country holderLanguage topic { id } openRanking { ${RANK} } ownHolders { ${RANK} } } } }`;

interface Rank {
  position: number | null;
  total: number;
  contacts: { id: string }[];
  explanation: string;
}
interface Place {
  country: string;
  holderLanguage: string;
  topic: { id: string };
  openRanking: Rank;
  ownHolders: Rank;
}

async function places(providerId: string, as: Parameters<TestStack['graphql']>[2] = NORDKIEFER, language?: string): Promise<Place[]> {
  const { body } = await stack.graphql(STANDING, { id: providerId, language }, as);
  expect(body.errors).toBeUndefined();
  return body.data.routingStanding.places;
}
const place = (all: Place[], country: string, topic: string) => all.find((p) => p.country === country && p.topic.id === topic)!;

async function contactsFor(licenseKey: string, topic: string): Promise<string[]> {
  const { body } = await stack.graphql(`query ($key: ID!, $topic: ID!) { supportContact(licenseKey: $key, topic: $topic) { contacts { id } } }`, {
    key: licenseKey,
    topic,
  });
  return body.data.supportContact.contacts.map((c: { id: string }) => c.id);
}

describe('routingStanding', () => {
  test('a place for every service country × routed topic, also where the provider has no license (AT)', async () => {
    const all = await places('nordkiefer-demo');
    // Distributor and support partner: the Level 0 topics and user support and training, in DE and AT.
    const { body } = await stack.graphql(`{ supportTopics { id level category { id } } }`);
    const routed = body.data.supportTopics
      .filter((t: any) => (t.category.id === 'TECHNICAL_SUPPORT' && t.level !== 'LEVEL_1') || t.category.id === 'USER_SUPPORT')
      .map((t: any) => t.id);
    expect(all.map((p) => `${p.country} ${p.topic.id}`)).toEqual(['DE', 'AT'].flatMap((country) => routed.map((id: string) => `${country} ${id}`)));
    expect(new Set(all.map((p) => p.holderLanguage))).toEqual(new Set(['de'])); // its first language by default
  });

  test('agrees with supportContact for real licenses in the same situation', async () => {
    const all = await places('nordkiefer-demo');
    // OC3-DEMO-0003: a DE holder (de) whose vendor is no longer active: the open Level 0 ranking.
    expect(place(all, 'DE', 'server-installation').openRanking.contacts.map((c) => c.id)).toEqual(await contactsFor('OC3-DEMO-0003', 'server-installation'));
    // OC3-DEMO-0002 (DE) and OC3-DEMO-0005 (AT): holders with no designated partner: the open user support ranking.
    for (const topic of ['user-support', 'training']) {
      expect(place(all, 'DE', topic).openRanking.contacts.map((c) => c.id)).toEqual(await contactsFor('OC3-DEMO-0002', topic));
      expect(place(all, 'AT', topic).openRanking.contacts.map((c) => c.id)).toEqual(await contactsFor('OC3-DEMO-0005', topic));
    }
    // OC3-DEMO-0001 was sold by Nordkiefer: what its own holders are told.
    const own = place(all, 'DE', 'server-installation').ownHolders;
    expect(own.contacts.map((c) => c.id)).toEqual(await contactsFor('OC3-DEMO-0001', 'server-installation'));
    expect(own).toMatchObject({ position: 1, total: 1 });
    expect(own.explanation).toMatch(/comes from its vendor Nordkiefer Demo Dentalsoftware GmbH/);
  });

  test('position, total and the explanation of the ranking (prices compare like with like)', async () => {
    const all = await places('nordkiefer-demo');
    // User support in DE: Mundwerk 80, Grenzland 90, Nordkiefer 95 EUR per hour.
    expect(place(all, 'DE', 'user-support').openRanking).toMatchObject({ position: 3, total: 3 });
    // Training: Mundwerk's per-participant price comes before the per-day ones, then 850 before 900.
    const training = place(all, 'DE', 'training').openRanking;
    expect(training).toMatchObject({ position: 2, total: 3 });
    expect(training.explanation).toMatch(/prices compare like with like/);
    // Designated: first.
    expect(place(all, 'DE', 'training').ownHolders).toMatchObject({ position: 1, total: 3 });
    expect(place(all, 'DE', 'training').ownHolders.explanation).toMatch(/its designated support partner Nordkiefer Demo Dentalsoftware GmbH first/);
  });

  test('the holders’ language changes the ranking', async () => {
    // Léman works in French first; Matterhorn does not: for French-speaking holders Léman comes first.
    const french = await places('leman-demo', { sub: 'p', role: 'provider', provider: 'leman-demo' }, 'fr');
    expect(place(french, 'CH', 'user-support').openRanking.position).toBe(1);
    const german = await places('leman-demo', { sub: 'p', role: 'provider', provider: 'leman-demo' }, 'de');
    expect(place(german, 'CH', 'user-support').openRanking.position).not.toBe(1);
  });

  test('only for the provider itself and admins; an unknown provider or a bad language is a clear error', async () => {
    const ask = async (id: string, as: Parameters<TestStack['graphql']>[2], language?: string) => (await stack.graphql(STANDING, { id, language }, as)).body;
    expect((await ask('nordkiefer-demo', { sub: 'p', role: 'provider', provider: 'mundwerk-demo' })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ask('nordkiefer-demo', { sub: 'h', role: 'holder', licenses: ['OC3-DEMO-0001'] })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ask('nordkiefer-demo', null)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const admin = await ask('nordkiefer-demo', undefined);
    expect(admin.errors).toBeUndefined();
    expect(admin.data.routingStanding.places.length).toBeGreaterThan(0);
    const unknown = await ask('no-such-provider', undefined);
    expect(unknown.errors[0]).toMatchObject({ message: 'Provider "no-such-provider" not found', extensions: { code: 'NOT_FOUND' } });
    const badLanguage = await ask('nordkiefer-demo', NORDKIEFER, 'german');
    expect(badLanguage.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badLanguage.errors[0].message).toMatch(/"german" is not an ISO 639-1 language code \(argument holderLanguage\)/);
  });
});
