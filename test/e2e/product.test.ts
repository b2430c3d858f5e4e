/**
 * The product end to end: HTTP requests to the gateway, real subgraphs, real databases, and the
 * routing rules of docs/rules.md answered through federation (test/fixtures/network.ts is the data).
 */
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

const ROUTE = `contacts { id } escalation { id } billedBy { id } explanation topic { id name level category { id } }`;
const ids = (providers: { id: string }[]) => providers.map((p) => p.id);

async function supportContact(licenseKey: string, topic: string) {
  const { status, body } = await stack.graphql(
    `query ($licenseKey: ID!, $topic: ID!) { supportContact(licenseKey: $licenseKey, topic: $topic) { ${ROUTE} } }`,
    { licenseKey, topic },
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const answer = body.data.supportContact;
  return { ...answer, contacts: ids(answer.contacts), escalation: ids(answer.escalation), billedBy: answer.billedBy?.id ?? null };
}

describe('health', () => {
  test('GET /health is 200 and GET /ready is 200 while every subgraph answers', async () => {
    const base = stack.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', subgraphs: { providers: 'ok', licenses: 'ok', support: 'ok' } });
  });
});

test('GET /graphql answers queries (docs/api.md)', async () => {
  const response = await fetch(`${stack.url}?query=${encodeURIComponent('{ supportTopic(id: "training") { name } }')}`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { supportTopic: { name: 'Training' } } });
});

describe('supportContact: the routing rules through the gateway', () => {
  test('Level 0 under a license bought through an active distributor: the vendor, then the manufacturer', async () => {
    const answer = await supportContact('L-VENDOR', 'server-installation');
    expect(answer).toMatchObject({ contacts: ['alpha'], escalation: ['ii'], billedBy: 'alpha' });
    expect(answer.topic).toEqual({ id: 'server-installation', name: 'Server installation', level: 'LEVEL_0', category: { id: 'TECHNICAL_SUPPORT' } });
    expect(answer.explanation).toContain('Alpha Dental Vertrieb');
  });

  test('License.supportContact gives the same answer as Query.supportContact', async () => {
    const { body } = await stack.graphql(`{ license(key: "L-VENDOR") { key supportContact(topic: "server-installation") { ${ROUTE} } } }`);
    expect(body.errors).toBeUndefined();
    const viaLicense = body.data.license.supportContact;
    const direct = await supportContact('L-VENDOR', 'server-installation');
    expect({ ...viaLicense, contacts: ids(viaLicense.contacts), escalation: ids(viaLicense.escalation), billedBy: viaLicense.billedBy.id }).toEqual(direct);
  });

  test('Level 0 bought directly: the manufacturer, no escalation, billed by it', async () => {
    expect(await supportContact('L-DIRECT', 'database-backup')).toMatchObject({ contacts: ['ii'], escalation: [], billedBy: 'ii' });
  });

  test('Level 0 whose vendor is no longer active: active distributors of the country, holder language first; the holder chooses, so nobody bills', async () => {
    expect(await supportContact('L-GONE', 'software-activation')).toMatchObject({ contacts: ['alpha', 'beta'], escalation: ['ii'], billedBy: null });
  });

  test('Level 0 in a country without distributors: the manufacturer', async () => {
    expect(await supportContact('L-US', 'client-installation')).toMatchObject({ contacts: ['ii'], escalation: [], billedBy: 'ii' });
  });

  test('Level 1: the manufacturer, billed by it', async () => {
    expect(await supportContact('L-VENDOR', 'troubleshooting')).toMatchObject({ contacts: ['ii'], escalation: [], billedBy: 'ii' });
  });

  test('software maintenance: provided by the manufacturer, billed by the reseller that sold it', async () => {
    expect(await supportContact('L-VENDOR', 'updates')).toMatchObject({ contacts: ['ii'], escalation: [], billedBy: 'alpha' });
    expect(await supportContact('L-DIRECT', 'upgrades')).toMatchObject({ contacts: ['ii'], billedBy: 'ii' });
    expect(await supportContact('L-GONE', 'updates')).toMatchObject({ contacts: ['ii'], billedBy: 'ii' });
  });

  test('a suspended license with unpaid maintenance still gets an answer that says both', async () => {
    const answer = await supportContact('L-SUSPENDED', 'updates');
    expect(answer).toMatchObject({ contacts: ['ii'], billedBy: 'alpha' });
    expect(answer.explanation).toMatch(/SUSPENDED/);
    expect(answer.explanation).toMatch(/2020-12-31/);
  });

  test('training: designated partner first, then holder language, then lowest current price; expired prices ignored; nobody bills', async () => {
    // emil: designated, no offers; dora 650 and carla 900 (its 100 expired) work in German; beta only English.
    expect(await supportContact('L-PARTNER', 'training')).toMatchObject({ contacts: ['emil', 'dora', 'carla', 'beta'], escalation: [], billedBy: null });
    expect(await supportContact('L-VENDOR', 'training')).toMatchObject({ contacts: ['dora', 'carla', 'emil', 'beta'] });
  });

  test('user support where no partner serves the country is an answer with no contacts', async () => {
    const answer = await supportContact('L-US', 'user-support');
    expect(answer).toMatchObject({ contacts: [], escalation: [], billedBy: null });
    expect(answer.explanation).toContain('US');
  });

  test('the answer carries what each contact charges, in one request', async () => {
    const { body } = await stack.graphql(
      `{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { id name offers(service: TRAINING) { id price { amount currency } unit validUntil } } } }`,
    );
    expect(body.errors).toBeUndefined();
    const dora = body.data.supportContact.contacts[0];
    expect(dora).toEqual({
      id: 'dora',
      name: 'Dora Support',
      offers: [{ id: 'dora-training', price: { amount: '650.00', currency: 'EUR' }, unit: 'PER_DAY', validUntil: null }],
    });
  });
});

test('offers(current: true) leaves out prices outside their validity; the whole price list otherwise', async () => {
  const { body } = await stack.graphql(
    `{ provider(id: "carla") { all: offers(service: TRAINING) { id } current: offers(service: TRAINING, current: true) { id } } }`,
  );
  expect(body.data.provider).toEqual({ all: [{ id: 'carla-old' }, { id: 'carla-training' }], current: [{ id: 'carla-training' }] });
});

describe('client errors', () => {
  test('an unknown license key is NOT_FOUND naming the key, with HTTP 200', async () => {
    const { status, body } = await stack.graphql(`{ supportContact(licenseKey: "NO-SUCH-KEY", topic: "training") { explanation } }`);
    expect(status).toBe(200);
    // Hive's executor leaves the non-null field null instead of nulling `data` as a whole; either way no answer is given.
    expect(body.data?.supportContact ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(body.errors[0].message).toContain('NO-SUCH-KEY');
  });

  test('an unknown topic is BAD_USER_INPUT naming the topic, on both entry points', async () => {
    for (const query of [
      `{ supportContact(licenseKey: "L-VENDOR", topic: "no-such-topic") { explanation } }`,
      `{ license(key: "L-VENDOR") { supportContact(topic: "no-such-topic") { explanation } } }`,
    ]) {
      const { status, body } = await stack.graphql(query);
      expect(status).toBe(200);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toContain('"no-such-topic"');
    }
  });

  test('license(key) and provider(id) of unknown ids are null, not errors', async () => {
    const { body } = await stack.graphql(`{ license(key: "NOPE") { key } provider(id: "nope") { id } supportTopic(id: "nope") { id } }`);
    expect(body).toEqual({ data: { license: null, provider: null, supportTopic: null } });
  });

  test('a malformed country is BAD_USER_INPUT naming it', async () => {
    const { body } = await stack.graphql(`{ providers(country: "Austria") { id } }`);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain('"Austria"');
  });
});

describe('directory queries', () => {
  test('providers by role, served country and language, by name', async () => {
    const { body } = await stack.graphql(`{ providers(role: SUPPORT_PARTNER, country: "at", language: "DE") { id } }`);
    expect(ids(body.data.providers)).toEqual(['carla', 'dora', 'emil']);
    const { body: inactive } = await stack.graphql(`{ providers(active: false) { id active } }`);
    expect(inactive.data.providers).toEqual([{ id: 'gone', active: false }]);
  });

  test('a license with its holder, vendor and partner resolved across subgraphs', async () => {
    const { body } = await stack.graphql(
      `{ license(key: "L-PARTNER") { key packageName type status holder { name country language vatId } vendor { id name roles } supportPartner { id name } maintenancePaidThrough } }`,
    );
    expect(body).toEqual({
      data: {
        license: {
          key: 'L-PARTNER',
          packageName: 'OnyxCeph³ 3D Pro',
          type: 'NETWORK',
          status: 'ACTIVE',
          holder: { name: 'Praxis L-PARTNER', country: 'AT', language: 'de', vatId: null },
          vendor: { id: 'alpha', name: 'Alpha Dental Vertrieb', roles: ['DISTRIBUTOR'] },
          supportPartner: { id: 'emil', name: 'Emil Hilfe' },
          maintenancePaidThrough: '2099-12-31',
        },
      },
    });
  });

  test('the 19 topics in the order of the vendor page, and the three categories', async () => {
    const { body } = await stack.graphql(`{ supportTopics { id level category { id } } supportCategories { id providedBy obligatory } }`);
    expect(body.data.supportTopics).toHaveLength(19);
    expect(body.data.supportTopics[0]).toEqual({ id: 'updates', level: null, category: { id: 'SOFTWARE_MAINTENANCE' } });
    expect(body.data.supportTopics[18]).toEqual({ id: 'training', level: null, category: { id: 'USER_SUPPORT' } });
    expect(body.data.supportCategories).toEqual([
      { id: 'SOFTWARE_MAINTENANCE', providedBy: ['MANUFACTURER'], obligatory: true },
      { id: 'TECHNICAL_SUPPORT', providedBy: ['DISTRIBUTOR', 'MANUFACTURER'], obligatory: false },
      { id: 'USER_SUPPORT', providedBy: ['SUPPORT_PARTNER'], obligatory: false },
    ]);
  });
});
