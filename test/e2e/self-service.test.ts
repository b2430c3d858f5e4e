/**
 * Partner self-service (docs/guide.md "Partner self-service", docs/rules.md "Who may see and change what"),
 * end to end through the gateway over HTTP, on the real providers database: the mutations, who may
 * make which change, validation naming the field, optimistic locking (also under two requests at
 * once), the audit trail of mutations and imports, and a price change in the very next routing
 * answer while the gateway's response cache is on.
 */
import { createGatewayService } from '../../gateway/gateway';
import { SUBGRAPH_NAMES } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import { listen } from '../../lib/http';
import { networkDirectory, providers as fixtureProviders } from '../fixtures/network';
import { startTestStack, TEST_JWT_SECRET, tokenFor, type TestStack } from '../support/stack';

const DORA = { sub: 'dora-staff', role: 'provider', provider: 'dora' } as const;
const CARLA = { sub: 'carla-staff', role: 'provider', provider: 'carla' } as const;
const BETA = { sub: 'beta-staff', role: 'provider', provider: 'beta' } as const;
const HOLDER = { sub: 'praxis', role: 'holder', licenses: ['L-VENDOR'] } as const;
const ADMIN = { sub: 'ops', role: 'admin' } as const;
type Caller = Parameters<TestStack['graphql']>[2];

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory(), gateway: { responseCache: true } });
});
afterAll(async () => {
  await stack?.close();
});

// ---- helpers ---------------------------------------------------------------------------------------

const UPDATE_PROVIDER = `mutation ($id: ID!, $version: Int!, $input: ProviderUpdateInput!) {
  updateProvider(id: $id, version: $version, input: $input) { id version email phone website postalAddress languages serviceCountries businessHours timeZone }
}`;
const SAVE_OFFER = `mutation ($providerId: ID!, $input: OfferInput!) {
  saveOffer(providerId: $providerId, input: $input) { id version service title description price { amount currency } unit validFrom validUntil }
}`;
const WITHDRAW_OFFER = `mutation ($id: ID!, $version: Int!) { withdrawOffer(id: $id, version: $version) { id version offers { id } } }`;
const SET_ACTIVE = `mutation ($id: ID!, $active: Boolean!) { setProviderActive(id: $id, active: $active) { id active version } }`;
const AUDIT = `query ($providerId: ID, $first: Int, $after: String) {
  auditTrail(providerId: $providerId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at actorRole actorSub actorProvider actorKeyId action providerId subjectType subjectId before after provider { id } } }
  }
}`;

/**
 * One token per identity for the whole file: the response cache shares answers between requests with
 * the same credentials only, and a token signed anew in another second differs (its iat).
 */
const tokens = new Map<string, Promise<string>>();
const tokenOf = (as: NonNullable<Caller>) => {
  const key = JSON.stringify(as);
  if (!tokens.has(key)) tokens.set(key, tokenFor(as));
  return tokens.get(key)!;
};

/** POSTs a query to `url` (the test stack's gateway unless told otherwise) as `as` (null: anonymous). */
async function send(
  query: string,
  variables: Record<string, unknown>,
  as: Caller,
  url = stack.url,
): Promise<{ status: number; body: { data?: any; errors?: any } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${await tokenOf(as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as any };
}

async function ok<T = any>(query: string, variables: Record<string, unknown>, as: Caller = ADMIN): Promise<T> {
  const { body } = await send(query, variables, as);
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

/** The single error of a refused request. */
async function refused(query: string, variables: Record<string, unknown>, as: Caller) {
  const { body } = await send(query, variables, as);
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toHaveLength(1);
  return body.errors[0] as { message: string; extensions: { code: string; argumentName?: string } };
}

async function providerNow(id: string) {
  const data = await ok(
    `query ($id: ID!) { provider(id: $id) { id version active email phone languages serviceCountries timeZone offers { id version title price { amount currency } } } }`,
    { id },
  );
  return data.provider;
}

/** The gateway's response cache lookups so far, from its Prometheus text. */
async function cacheLookups(gatewayUrl = stack.url): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  const count = (result: string) => Number(text.match(new RegExp(`^gateway_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

const trainingOffer = (extra: Record<string, unknown> = {}) => ({
  service: 'TRAINING',
  title: 'Training day',
  price: { amount: '800.00', currency: 'EUR' },
  unit: 'PER_DAY',
  ...extra,
});

// ---- the mutations ---------------------------------------------------------------------------------

describe('the mutations, each by the one who may', () => {
  test('updateProvider: a provider changes its own profile; fields left out stay as they are; the version goes up by one', async () => {
    const before = await providerNow('dora');
    const data = await ok(
      UPDATE_PROVIDER,
      {
        id: 'dora',
        version: before.version,
        input: {
          email: ' Office@Dora.example ',
          website: 'https://dora.example/support',
          languages: ['DE', 'en'],
          timeZone: 'europe/vienna',
          businessHours: 'Mo-Fr 08:00-16:00',
        },
      },
      DORA,
    );
    expect(data.updateProvider).toEqual({
      id: 'dora',
      version: before.version + 1,
      email: 'Office@Dora.example',
      phone: null,
      website: 'https://dora.example/support',
      postalAddress: null,
      languages: ['de', 'en'],
      serviceCountries: ['AT'],
      businessHours: 'Mo-Fr 08:00-16:00',
      timeZone: 'Europe/Vienna',
    });
    // Read back through a plain query: stored, and the offers were left alone.
    expect(await providerNow('dora')).toMatchObject({
      version: before.version + 1,
      email: 'Office@Dora.example',
      languages: ['de', 'en'],
      offers: before.offers,
    });

    // null clears a text field; the lists and other fields stay.
    const cleared = await ok(UPDATE_PROVIDER, { id: 'dora', version: before.version + 1, input: { website: null } }, DORA);
    expect(cleared.updateProvider).toMatchObject({ version: before.version + 2, website: null, email: 'Office@Dora.example', languages: ['de', 'en'] });
  });

  test('saveOffer without id creates an offer with a generated id at version 1; the provider version goes up', async () => {
    const before = await providerNow('beta');
    const data = await ok(
      SAVE_OFFER,
      {
        providerId: 'beta',
        input: {
          service: 'USER_SUPPORT',
          title: 'Remote help, per hour',
          description: 'By screen sharing',
          price: { amount: '85', currency: 'eur' },
          unit: 'PER_HOUR',
          validFrom: '2026-01-01',
          validUntil: '2099-12-31',
        },
      },
      BETA,
    );
    expect(data.saveOffer).toEqual({
      id: expect.stringMatching(/^offer-[0-9a-f-]{36}$/),
      version: 1,
      service: 'USER_SUPPORT',
      title: 'Remote help, per hour',
      description: 'By screen sharing',
      price: { amount: '85.00', currency: 'EUR' },
      unit: 'PER_HOUR',
      validFrom: '2026-01-01',
      validUntil: '2099-12-31',
    });
    const after = await providerNow('beta');
    expect(after.version).toBe(before.version + 1);
    expect(after.offers.map((o: { id: string }) => o.id)).toContain(data.saveOffer.id);
  });

  test('saveOffer with id and version replaces the offer whole; both versions go up', async () => {
    const before = await providerNow('beta');
    const offer = before.offers.find((o: { id: string }) => o.id === 'beta-training');
    const data = await ok(
      SAVE_OFFER,
      {
        providerId: 'beta',
        input: trainingOffer({ id: 'beta-training', version: offer.version, title: 'Training day, on site', price: { amount: '720.50', currency: 'EUR' } }),
      },
      BETA,
    );
    expect(data.saveOffer).toMatchObject({
      id: 'beta-training',
      version: offer.version + 1,
      title: 'Training day, on site',
      price: { amount: '720.50', currency: 'EUR' },
      description: null,
      validFrom: null,
    });
    expect((await providerNow('beta')).version).toBe(before.version + 1);
  });

  test('withdrawOffer by its provider: the offer leaves the price list; the answer is the provider', async () => {
    const created = (await ok(SAVE_OFFER, { providerId: 'beta', input: trainingOffer({ title: 'Short-lived' }) }, BETA)).saveOffer;
    const version = (await providerNow('beta')).version;
    const data = await ok(WITHDRAW_OFFER, { id: created.id, version: created.version }, BETA);
    expect(data.withdrawOffer.id).toBe('beta');
    expect(data.withdrawOffer.version).toBe(version + 1);
    expect(data.withdrawOffer.offers.map((o: { id: string }) => o.id)).not.toContain(created.id);
  });

  test('withdrawOffer by an admin', async () => {
    const created = (await ok(SAVE_OFFER, { providerId: 'beta', input: trainingOffer({ title: 'Withdrawn by the manufacturer' }) }, BETA)).saveOffer;
    const data = await ok(WITHDRAW_OFFER, { id: created.id, version: created.version }, ADMIN);
    expect(data.withdrawOffer.offers.map((o: { id: string }) => o.id)).not.toContain(created.id);
  });

  test('setProviderActive by an admin: deactivates and activates again, each a new version; the same state again changes nothing', async () => {
    const before = await providerNow('emil');
    expect((await ok(SET_ACTIVE, { id: 'emil', active: false })).setProviderActive).toEqual({ id: 'emil', active: false, version: before.version + 1 });
    expect((await ok(SET_ACTIVE, { id: 'emil', active: false })).setProviderActive).toEqual({ id: 'emil', active: false, version: before.version + 1 });
    expect((await ok(SET_ACTIVE, { id: 'emil', active: true })).setProviderActive).toEqual({ id: 'emil', active: true, version: before.version + 2 });
  });

  test('a mutation sent as GET (a link, a prefetch) is refused and changes nothing', async () => {
    const before = await providerNow('emil');
    const query = `mutation { setProviderActive(id: "emil", active: ${!before.active}) { id } }`;
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${await tokenOf(ADMIN)}` } });
    expect(response.status).toBe(405);
    expect(await providerNow('emil')).toEqual(before);
  });

  test('unknown ids are NOT_FOUND naming them', async () => {
    expect(await refused(SET_ACTIVE, { id: 'nobody', active: false }, ADMIN)).toMatchObject({
      message: expect.stringContaining('"nobody"'),
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await refused(WITHDRAW_OFFER, { id: 'no-offer', version: 1 }, ADMIN)).toMatchObject({
      message: expect.stringContaining('"no-offer"'),
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await refused(SAVE_OFFER, { providerId: 'beta', input: trainingOffer({ id: 'no-offer', version: 1 }) }, BETA)).toMatchObject({
      message: expect.stringContaining('"no-offer"'),
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

// ---- who may change what ---------------------------------------------------------------------------

describe('who may change what (the access matrix)', () => {
  const cases: Array<[string, Caller, string, () => Promise<Record<string, unknown>>, string, RegExp]> = [
    [
      "a provider updates another provider's profile",
      DORA,
      UPDATE_PROVIDER,
      async () => ({ id: 'carla', version: (await providerNow('carla')).version, input: { email: 'x@dora.example' } }),
      'FORBIDDEN',
      /"dora".*"carla"/,
    ],
    [
      'a provider creates an offer for another provider',
      DORA,
      SAVE_OFFER,
      async () => ({ providerId: 'carla', input: trainingOffer() }),
      'FORBIDDEN',
      /"dora".*"carla"/,
    ],
    [
      "a provider replaces another provider's offer as its own",
      DORA,
      SAVE_OFFER,
      async () => ({ providerId: 'dora', input: trainingOffer({ id: 'carla-training', version: 1 }) }),
      'FORBIDDEN',
      /"carla-training" belongs to provider "carla"/,
    ],
    ["a provider withdraws another provider's offer", DORA, WITHDRAW_OFFER, async () => ({ id: 'carla-training', version: 1 }), 'FORBIDDEN', /"dora".*"carla"/],
    ['a provider (de)activates itself', DORA, SET_ACTIVE, async () => ({ id: 'dora', active: false }), 'FORBIDDEN', /Only an admin/],
    [
      'an admin creates an offer',
      ADMIN,
      SAVE_OFFER,
      async () => ({ providerId: 'carla', input: trainingOffer() }),
      'FORBIDDEN',
      /admin cannot create an offer or set its price/,
    ],
    [
      'an admin changes a price',
      ADMIN,
      SAVE_OFFER,
      async () => ({ providerId: 'carla', input: trainingOffer({ id: 'carla-training', version: 1, price: { amount: '1.00', currency: 'EUR' } }) }),
      'FORBIDDEN',
      /admin cannot/,
    ],
    [
      "an admin updates a provider's profile",
      ADMIN,
      UPDATE_PROVIDER,
      async () => ({ id: 'carla', version: (await providerNow('carla')).version, input: { email: 'ops@ii.example' } }),
      'FORBIDDEN',
      /admin cannot change the profile/,
    ],
    ['a holder updates a profile', HOLDER, UPDATE_PROVIDER, async () => ({ id: 'carla', version: 1, input: { email: 'x@y.example' } }), 'FORBIDDEN', /holder/],
    ['a holder creates an offer', HOLDER, SAVE_OFFER, async () => ({ providerId: 'carla', input: trainingOffer() }), 'FORBIDDEN', /holder/],
    ['a holder withdraws an offer', HOLDER, WITHDRAW_OFFER, async () => ({ id: 'carla-training', version: 1 }), 'FORBIDDEN', /holder/],
    ['a holder (de)activates a provider', HOLDER, SET_ACTIVE, async () => ({ id: 'carla', active: false }), 'FORBIDDEN', /Only an admin/],
    [
      'anonymous updates a profile',
      null,
      UPDATE_PROVIDER,
      async () => ({ id: 'carla', version: 1, input: { email: 'x@y.example' } }),
      'UNAUTHENTICATED',
      /Sign in/,
    ],
    ['anonymous creates an offer', null, SAVE_OFFER, async () => ({ providerId: 'carla', input: trainingOffer() }), 'UNAUTHENTICATED', /Sign in/],
    ['anonymous withdraws an offer', null, WITHDRAW_OFFER, async () => ({ id: 'carla-training', version: 1 }), 'UNAUTHENTICATED', /Sign in/],
    ['anonymous (de)activates a provider', null, SET_ACTIVE, async () => ({ id: 'carla', active: false }), 'UNAUTHENTICATED', /Sign in/],
  ];

  test.each(cases)('%s: refused, and nothing changes', async (_name, as, mutation, variables, code, message) => {
    const before = await providerNow('carla');
    const error = await refused(mutation, await variables(), as);
    expect(error.extensions.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await providerNow('carla')).toEqual(before);
  });
});

// ---- validation ------------------------------------------------------------------------------------

describe('validation: BAD_USER_INPUT naming the field, nothing changed', () => {
  const long = (n: number) => 'x'.repeat(n);
  const profileCases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a country that is no country', { serviceCountries: ['AT', 'XX'] }, 'input.serviceCountries[1]', /ISO 3166-1/],
    ['a language that is no language', { languages: ['zz'] }, 'input.languages[0]', /ISO 639-1/],
    ['an empty language list', { languages: [] }, 'input.languages', /must not be empty/],
    ['a repeated country', { serviceCountries: ['AT', 'at'] }, 'input.serviceCountries[1]', /repeats "AT"/],
    ['an e-mail without @', { email: 'office.dora.example' }, 'input.email', /"@"/],
    ['a NUL byte in the e-mail', { email: 'office@dora\u0000.example' }, 'input.email', /"@"/],
    ['a website that is not http(s)', { website: 'ftp://dora.example' }, 'input.website', /http\(s\) URL/],
    ['a time zone that does not exist', { timeZone: 'Mars/Olympus_Mons' }, 'input.timeZone', /IANA time zone/],
    ['a phone number longer than its column', { phone: long(51) }, 'input.phone', /at most 50 characters/],
    ['business hours longer than their column', { businessHours: long(201) }, 'input.businessHours', /at most 200 characters/],
    ['business hours that are not opening_hours syntax', { businessHours: 'weekdays, mornings' }, 'input.businessHours', /OpenStreetMap opening_hours syntax/],
    ['business hours read only by guessing', { businessHours: 'Mo-Do 9-16' }, 'input.businessHours', /by guessing, as "Mo-Th 09:00-16:00"/],
    ['a postal address too long', { postalAddress: long(501) }, 'input.postalAddress', /at most 500 characters/],
    ["a VAT id in another country's format", { vatId: 'DE100000008' }, 'input.vatId', /VAT id of Austria: "ATU" and 8 digits, with a valid check digit/],
    ['a VAT id with a wrong check digit', { vatId: 'ATU10000006' }, 'input.vatId', /like "ATU10000005"/],
  ];

  test("updateProvider: the VAT id in the format of the provider's own country, kept compact; an empty one removes it", async () => {
    const before = await providerNow('dora');
    const SET_VAT =
      'mutation ($id: ID!, $version: Int!, $input: ProviderUpdateInput!) { updateProvider(id: $id, version: $version, input: $input) { version vatId } }';
    const set = await stack.graphql(SET_VAT, { id: 'dora', version: before.version, input: { vatId: 'atu 1000 0005' } }, DORA);
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.updateProvider).toEqual({ version: before.version + 1, vatId: 'ATU10000005' });
    const cleared = await stack.graphql(SET_VAT, { id: 'dora', version: before.version + 1, input: { vatId: '' } }, DORA);
    expect(cleared.body.data.updateProvider).toEqual({ version: before.version + 2, vatId: null });
  });

  test.each(profileCases)('updateProvider with %s', async (_name, input, field, reason) => {
    const before = await providerNow('dora');
    const error = await refused(UPDATE_PROVIDER, { id: 'dora', version: before.version, input }, DORA);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(error.message.startsWith(`${field} `)).toBe(true);
    expect(error.message).toMatch(reason);
    expect(await providerNow('dora')).toEqual(before);
  });

  test('business hours the parser refuses are quoted once, with its reading', async () => {
    const before = await providerNow('dora');
    const error = await refused(UPDATE_PROVIDER, { id: 'dora', version: before.version, input: { businessHours: 'Mo-Do 9-16' } }, DORA);
    expect(error.message.match(/\(got /g)).toHaveLength(1);
    // A too-long value is named by its length; a short one is quoted as sent.
    const email = await refused(UPDATE_PROVIDER, { id: 'dora', version: before.version, input: { email: 'no-at-sign' } }, DORA);
    expect(email.message).toBe(
      'input.email must contain one "@" with text on both sides and a domain with a dot, like "support@example.org" (got "no-at-sign")',
    );
  });

  const offerCases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a currency that is no currency', { price: { amount: '10.00', currency: 'ABC' } }, 'input.price.currency', /ISO 4217/],
    ['a negative amount', { price: { amount: '-1.00', currency: 'EUR' } }, 'input.price.amount', /non-negative decimal/],
    ['an amount with three places', { price: { amount: '1.234', currency: 'EUR' } }, 'input.price.amount', /at most two places/],
    ['an amount as a float with an exponent', { price: { amount: '1e3', currency: 'EUR' } }, 'input.price.amount', /decimal string/],
    ['a date that does not exist', { validFrom: '2026-02-30' }, 'input.validFrom', /ISO date/],
    ['a date in another notation', { validUntil: '31.12.2026' }, 'input.validUntil', /ISO date/],
    ['validUntil before validFrom', { validFrom: '2026-06-01', validUntil: '2026-05-31' }, 'input.validUntil', /2026-05-31 is before validFrom 2026-06-01/],
    ['an empty title', { title: '  ' }, 'input.title', /must not be empty/],
    ['a title longer than its column', { title: long(201) }, 'input.title', /at most 200 characters/],
    ['a NUL byte in the title', { title: 'Training\u0000day' }, 'input.title', /control characters/],
    ['a description too long', { description: long(2001) }, 'input.description', /at most 2000 characters/],
    ['a version without an id', { version: 1 }, 'input.version', /without input.id/],
    ['an id without a version', { id: 'dora-training' }, 'input.version', /required with input.id/],
  ];

  test.each(offerCases)('saveOffer with %s', async (_name, input, field, reason) => {
    const before = await providerNow('dora');
    const error = await refused(SAVE_OFFER, { providerId: 'dora', input: trainingOffer(input) }, DORA);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(error.message).toMatch(reason);
    expect(error.message).toContain(field);
    expect(await providerNow('dora')).toEqual(before);
  });
});

// ---- optimistic locking ----------------------------------------------------------------------------

describe('optimistic locking', () => {
  test('a stale version is CONFLICT naming the current version, and changes nothing', async () => {
    const provider = await providerNow('carla');
    await ok(UPDATE_PROVIDER, { id: 'carla', version: provider.version, input: { phone: '+43 1 111' } }, CARLA);
    const current = await providerNow('carla');
    const stale = await refused(UPDATE_PROVIDER, { id: 'carla', version: provider.version, input: { phone: '+43 1 222' } }, CARLA);
    expect(stale.extensions.code).toBe('CONFLICT');
    expect(stale.message).toContain(`at version ${current.version}, not ${provider.version}`);
    expect(await providerNow('carla')).toEqual(current);

    const offer = current.offers.find((o: { id: string }) => o.id === 'carla-old');
    const staleOffer = await refused(SAVE_OFFER, { providerId: 'carla', input: trainingOffer({ id: 'carla-old', version: offer.version + 5 }) }, CARLA);
    expect(staleOffer).toMatchObject({
      message: expect.stringContaining(`at version ${offer.version}, not ${offer.version + 5}`),
      extensions: { code: 'CONFLICT' },
    });
    const staleWithdraw = await refused(WITHDRAW_OFFER, { id: 'carla-old', version: offer.version + 1 }, CARLA);
    expect(staleWithdraw.extensions.code).toBe('CONFLICT');
    expect(await providerNow('carla')).toEqual(current);
  });

  test('two edits of the same offer at once, both based on the same version: exactly one wins, the other is CONFLICT', async () => {
    const offer = (await providerNow('carla')).offers.find((o: { id: string }) => o.id === 'carla-old');
    const edit = (amount: string) =>
      send(
        SAVE_OFFER,
        {
          providerId: 'carla',
          input: trainingOffer({ id: 'carla-old', version: offer.version, price: { amount, currency: 'EUR' }, validUntil: '2020-12-31' }),
        },
        CARLA,
      );
    const answers = await Promise.all([edit('111.00'), edit('222.00')]);
    const winners = answers.filter((a) => !a.body.errors);
    const losers = answers.filter((a) => a.body.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].body.errors[0].extensions.code).toBe('CONFLICT');
    const stored = (await providerNow('carla')).offers.find((o: { id: string }) => o.id === 'carla-old');
    expect(stored).toEqual({ ...offer, version: offer.version + 1, price: winners[0].body.data.saveOffer.price, title: 'Training day' });
  });

  test('two profile updates at once on the same version: exactly one wins', async () => {
    const { version } = await providerNow('carla');
    const edit = (phone: string) => send(UPDATE_PROVIDER, { id: 'carla', version, input: { phone } }, CARLA);
    const answers = await Promise.all([edit('+43 1 333'), edit('+43 1 444')]);
    expect(answers.filter((a) => !a.body.errors)).toHaveLength(1);
    expect(answers.filter((a) => a.body.errors?.[0].extensions.code === 'CONFLICT')).toHaveLength(1);
    const winner = answers.find((a) => !a.body.errors)!.body.data.updateProvider;
    expect(await providerNow('carla')).toMatchObject({ version: version + 1, phone: winner.phone });
  });
});

// ---- visible at once -------------------------------------------------------------------------------

test('a price change is in the very next supportContact answer, with the response cache on', async () => {
  const HEADLINE = `{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { id offers(service: TRAINING, current: true) { id price { amount } } } } }`;
  const ask = async () => (await ok(HEADLINE, {})).supportContact.contacts as Array<{ id: string; offers: Array<{ id: string; price: { amount: string } }> }>;
  const first = await ask();
  const before = await cacheLookups();
  expect(await ask()).toEqual(first);
  expect(await cacheLookups()).toEqual({ hit: before.hit + 1, miss: before.miss }); // the second answer came from the cache
  const dora = first.find((c) => c.id === 'dora')!;
  const carla = first.find((c) => c.id === 'carla')!;
  expect(first.indexOf(dora)).toBeLessThan(first.indexOf(carla));
  const doraPrice = dora.offers[0].price.amount;

  // Carla undercuts Dora: its training now comes first.
  const offer = (await providerNow('carla')).offers.find((o: { id: string }) => o.id === 'carla-training');
  const cheaper = (Number(doraPrice) - 100).toFixed(2);
  await ok(
    SAVE_OFFER,
    { providerId: 'carla', input: trainingOffer({ id: 'carla-training', version: offer.version, price: { amount: cheaper, currency: 'EUR' } }) },
    CARLA,
  );

  const afterChange = await cacheLookups();
  const next = await ask();
  expect(await cacheLookups()).toEqual({ hit: afterChange.hit, miss: afterChange.miss + 1 }); // computed anew, not the cached answer
  expect(next.map((c) => c.id).indexOf('carla')).toBeLessThan(next.map((c) => c.id).indexOf('dora'));
  expect(next.find((c) => c.id === 'carla')!.offers).toEqual([{ id: 'carla-training', price: { amount: cheaper } }]);
});

test("a gateway deployed apart from the providers subgraph, polling only hourly: the caller's next answer after its change shows it", async () => {
  // The gateway alone follows the directory through /directory-version; polls far apart, so only
  // the re-read after the relayed mutation can bring the change into the next answer.
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, stack.subgraphs[name].url]));
  const gateway = await listen(
    await createGatewayService({
      environment: { DIRECTORY_POLL_INTERVAL_MS: 3_600_000 },
      subgraphSecret: stack.subgraphSecret,
      subgraphUrls,
      rateLimit: false,
      responseCache: true,
      jwtSecret: TEST_JWT_SECRET,
    }),
    0,
  );
  try {
    const post = async (query: string, variables: Record<string, unknown>, as: Caller) => (await send(query, variables, as, gateway.url)).body;
    const PRICES = `{ provider(id: "dora") { offers { id version price { amount } } } }`;
    const first = (await post(PRICES, {}, ADMIN)).data.provider.offers.find((o: { id: string }) => o.id === 'dora-training');
    const before = await cacheLookups(gateway.url);
    expect((await post(PRICES, {}, ADMIN)).data.provider.offers).toContainEqual(first);
    expect((await cacheLookups(gateway.url)).hit).toBe(before.hit + 1);

    const amount = (Number(first.price.amount) + 1).toFixed(2);
    const saved = await post(
      SAVE_OFFER,
      { providerId: 'dora', input: trainingOffer({ id: 'dora-training', version: first.version, price: { amount, currency: 'EUR' } }) },
      DORA,
    );
    expect(saved.errors).toBeUndefined();
    expect((await post(PRICES, {}, ADMIN)).data.provider.offers).toContainEqual({ id: 'dora-training', version: first.version + 1, price: { amount } });
  } finally {
    await gateway.close();
  }
});

// ---- audit trail -----------------------------------------------------------------------------------

describe('the audit trail', () => {
  test('a mutation is recorded: who, when, what, before and after; newest first', async () => {
    const provider = await providerNow('emil');
    const startedAt = Date.now();
    await ok(
      UPDATE_PROVIDER,
      { id: 'emil', version: provider.version, input: { phone: '+43 1 999' } },
      { sub: 'emil-staff', role: 'provider', provider: 'emil' },
    );
    const created = (
      await ok(
        SAVE_OFFER,
        { providerId: 'emil', input: trainingOffer({ price: { amount: '640.00', currency: 'EUR' } }) },
        { sub: 'emil-staff', role: 'provider', provider: 'emil' },
      )
    ).saveOffer;
    await ok(WITHDRAW_OFFER, { id: created.id, version: 1 }, ADMIN);

    const trail = (await ok(AUDIT, { providerId: 'emil', first: 3 })).auditTrail;
    const [withdrawn, saved, updated] = trail.edges.map((e: { node: any }) => e.node);
    expect(withdrawn).toMatchObject({
      actorRole: 'admin',
      actorSub: 'ops',
      actorProvider: null,
      actorKeyId: null,
      action: 'withdrawOffer',
      providerId: 'emil',
      subjectType: 'offer',
      subjectId: created.id,
      after: null,
      provider: { id: 'emil' },
    });
    expect(JSON.parse(withdrawn.before)).toMatchObject({ version: 1, amount: '640.00', currency: 'EUR', title: 'Training day' });
    expect(saved).toMatchObject({
      actorRole: 'provider',
      actorSub: 'emil-staff',
      actorProvider: 'emil',
      action: 'saveOffer',
      subjectId: created.id,
      before: null,
    });
    expect(JSON.parse(saved.after)).toMatchObject({ version: 1, amount: '640.00' });
    expect(updated).toMatchObject({ action: 'updateProvider', subjectType: 'provider', subjectId: 'emil' });
    expect(JSON.parse(updated.before)).toMatchObject({ version: provider.version, phone: null });
    expect(JSON.parse(updated.after)).toMatchObject({ version: provider.version + 1, phone: '+43 1 999' });
    expect(Date.parse(updated.at)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Number(withdrawn.id)).toBeGreaterThan(Number(saved.id));
  });

  test('the import is recorded too, as the operator; an unchanged record gets no entry and keeps its version', async () => {
    // Everything in the fixture was created by the import the stack started with.
    const initial = (await ok(AUDIT, { providerId: 'ii' })).auditTrail;
    expect(initial.edges.map((e: { node: any }) => e.node)).toEqual([
      expect.objectContaining({ actorRole: 'operator', action: 'import', subjectType: 'provider', subjectId: 'ii', before: null }),
    ]);

    const alphaBefore = await providerNow('alpha');
    const countBefore = (await ok(AUDIT, { providerId: 'alpha' })).auditTrail.totalCount;
    const file = {
      providers: fixtureProviders
        .filter((p) => p.id === 'alpha')
        .map((p) => ({ ...p, offers: [{ ...p.offers![0], price: { amount: '275.00', currency: 'EUR' } }] })),
    };
    const result = await importDirectory(file, { providers: stack.orms.providers, licenses: stack.orms.licenses });
    expect(result.ok).toBe(true);

    const alphaAfter = await providerNow('alpha');
    expect(alphaAfter.version).toBe(alphaBefore.version + 1);
    expect(alphaAfter.offers).toEqual([{ ...alphaBefore.offers[0], version: alphaBefore.offers[0].version + 1, price: { amount: '275.00', currency: 'EUR' } }]);
    const trail = (await ok(AUDIT, { providerId: 'alpha' })).auditTrail;
    expect(trail.totalCount).toBe(countBefore + 1);
    const entry = trail.edges[0].node;
    expect(entry).toMatchObject({ actorRole: 'operator', action: 'import', subjectType: 'offer', subjectId: 'alpha-l0' });
    expect([JSON.parse(entry.before).amount, JSON.parse(entry.after).amount]).toEqual(['250.00', '275.00']);

    // The same file again: nothing changed, so no new version and no entry.
    expect((await importDirectory(file, { providers: stack.orms.providers, licenses: stack.orms.licenses })).ok).toBe(true);
    expect(await providerNow('alpha')).toEqual(alphaAfter);
    expect((await ok(AUDIT, { providerId: 'alpha' })).auditTrail.totalCount).toBe(countBefore + 1);
  });

  test('pages of the trail, newest first, follow each other without gaps or repeats', async () => {
    const all = (await ok(AUDIT, { first: 500 })).auditTrail;
    expect(all.totalCount).toBe(all.edges.length);
    const ids = all.edges.map((e: { node: { id: string } }) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const paged: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await ok(AUDIT, { first: 7, after })).auditTrail;
      expect(page.totalCount).toBe(all.totalCount);
      paged.push(...page.edges.map((e: { node: { id: string } }) => Number(e.node.id)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(ids);
    expect(await refused(AUDIT, { after: 'not-a-cursor' }, ADMIN)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('who sees which entries: an admin all, a provider its own only, holders and anonymous callers none', async () => {
    const all = (await ok(AUDIT, { first: 500 })).auditTrail;
    const providersInTrail = new Set(all.edges.map((e: { node: { providerId: string } }) => e.node.providerId));
    expect(providersInTrail.size).toBeGreaterThan(2);

    const own = (await ok(AUDIT, { first: 500 }, DORA)).auditTrail;
    expect(own.totalCount).toBe(all.edges.filter((e: { node: { providerId: string } }) => e.node.providerId === 'dora').length);
    expect(own.edges.every((e: { node: { providerId: string } }) => e.node.providerId === 'dora')).toBe(true);
    expect((await ok(AUDIT, { providerId: 'dora', first: 500 }, DORA)).auditTrail.totalCount).toBe(own.totalCount);

    expect(await refused(AUDIT, { providerId: 'carla' }, DORA)).toMatchObject({
      message: expect.stringContaining('"carla"'),
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await refused(AUDIT, {}, HOLDER)).extensions.code).toBe('FORBIDDEN');
    expect((await refused(AUDIT, {}, null)).extensions.code).toBe('UNAUTHENTICATED');
  });
});
