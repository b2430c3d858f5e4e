/**
 * The directory file validator (docs/directory-file.md): every rule with its exact problem
 * path, normalization, the rules across records and against what is already stored, and the demo
 * directory that `npm start` loads.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { LicenseStatus, LicenseType, PriceUnit, ProviderRole, ServiceKind } from '../../lib/domain';
import { FILE_PATH, StoredDirectory, validateDirectoryFile as validateFile } from '../../lib/directory/directory-file';
import { inEnglish } from '../support/english';

/** The validator, its problems in English (as the import writes them). */
const validateDirectoryFile = (...args: Parameters<typeof validateFile>) => {
  const result = validateFile(...args);
  return { ...result, problems: inEnglish(result.problems) };
};

// ---- builders ------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const EMPTY_STORE: StoredDirectory = { providerIds: new Set(), manufacturerIds: new Set(), offerOwners: new Map() };

const store = (s: { providers?: string[]; manufacturers?: string[]; offers?: Record<string, string> }): StoredDirectory => ({
  providerIds: new Set([...(s.providers ?? []), ...(s.manufacturers ?? [])]),
  manufacturerIds: new Set(s.manufacturers ?? []),
  offerOwners: new Map(Object.entries(s.offers ?? {})),
});

/** A stored manufacturer, so that files without one are not flagged for that. */
const WITH_MANUFACTURER = store({ manufacturers: ['image-instruments'] });

const offer = (id: string, overrides: Json = {}): Json => ({
  id,
  service: 'TRAINING',
  title: 'Training day',
  price: { amount: '950.00', currency: 'EUR' },
  unit: 'PER_DAY',
  ...overrides,
});

const provider = (id: string, overrides: Json = {}): Json => ({
  id,
  name: `Provider ${id}`,
  roles: ['SUPPORT_PARTNER'],
  active: true,
  country: 'DE',
  serviceCountries: ['DE'],
  languages: ['de'],
  ...overrides,
});

const license = (key: string, overrides: Json = {}): Json => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'NETWORK',
  programVersion: '3.2',
  status: 'ACTIVE',
  holder: { name: 'Praxis Beispiel', country: 'AT', language: 'de', vatId: 'ATU10000005' },
  vendorId: null,
  supportPartnerId: null,
  maintenancePaidThrough: '2026-12-31',
  ...overrides,
});

const validate = (file: unknown, stored: StoredDirectory = WITH_MANUFACTURER) => validateDirectoryFile(file, stored);

/** The problems of a file holding one provider `p` (path prefix `providers[0] (p)`). */
const providerProblems = (overrides: Json, stored?: StoredDirectory) => validate({ providers: [provider('p', overrides)] }, stored).problems;
/** The problems of a file holding one license `L-1` (path prefix `licenses[0] (L-1)`). */
const licenseProblems = (overrides: Json, stored?: StoredDirectory) => validate({ licenses: [license('L-1', overrides)] }, stored).problems;
/** The problems of a file holding provider `p` with one offer. */
const offerProblems = (overrides: Json) => providerProblems({ offers: [offer('o-1', overrides)] });

const P = 'providers[0] (p)';
const L = 'licenses[0] (L-1)';
const O = `${P}.offers[0]`;

/** Exactly one problem, at `path`, whose reason contains every fragment. */
function expectOneProblem(problems: { path: string; reason: string }[], path: string, ...fragments: string[]): void {
  expect(problems).toHaveLength(1);
  expect(problems[0].path).toBe(path);
  for (const fragment of fragments) expect(problems[0].reason).toContain(fragment);
}

// ---- the demo directory --------------------------------------------------------------------------

describe('the demo directory (seed/demo-directory.json)', () => {
  const demo = JSON.parse(readFileSync(join(__dirname, '..', '..', 'seed', 'demo-directory.json'), 'utf8'));
  const { directory, problems } = validateDirectoryFile(demo, EMPTY_STORE);
  const providerById = new Map(directory.providers.map((p) => [p.id, p]));
  const today = '2026-06-15';

  it('validates with no problems against an empty store', () => {
    expect(problems).toEqual([]);
    expect(directory.providers).toHaveLength(demo.providers.length);
    expect(directory.licenses).toHaveLength(demo.licenses.length);
  });

  it('has Image Instruments as its one manufacturer, serving DE, AT, CH, PL, IT, FR, GB and US', () => {
    const manufacturers = directory.providers.filter((p) => p.roles.includes(ProviderRole.MANUFACTURER));
    expect(manufacturers.map((p) => p.id)).toEqual(['image-instruments']);
    expect(manufacturers[0].serviceCountries).toEqual(expect.arrayContaining(['DE', 'AT', 'CH', 'PL', 'IT', 'FR', 'GB', 'US']));
    expect(manufacturers[0].timeZone).toBe('Europe/Berlin');
  });

  it('uses only fictional contacts', () => {
    for (const p of directory.providers) {
      expect(p.email).toMatch(/@example\.(org|com|net)$/);
      expect(p.phone).toContain('0000');
    }
  });

  it('covers the cases routing needs', () => {
    const roles = (p: { roles: ProviderRole[] }) => p.roles;
    expect(directory.providers.some((p) => roles(p).includes(ProviderRole.DISTRIBUTOR) && roles(p).includes(ProviderRole.SUPPORT_PARTNER))).toBe(true);
    const inactive = directory.providers.filter((p) => !p.active);
    expect(inactive.length).toBeGreaterThan(0);
    expect(directory.licenses.some((l) => inactive.some((p) => p.id === l.vendorId))).toBe(true);
    for (const country of ['DE', 'AT', 'CH', 'PL', 'IT']) {
      expect(directory.providers.some((p) => p.roles.includes(ProviderRole.DISTRIBUTOR) && p.serviceCountries.includes(country))).toBe(true);
    }
    const swissPartners = directory.providers.filter((p) => p.roles.includes(ProviderRole.SUPPORT_PARTNER) && p.serviceCountries.includes('CH'));
    const currencies = (p: (typeof swissPartners)[number]) => new Set((p.offers ?? []).map((o) => o.price.currency));
    expect(swissPartners.filter((p) => currencies(p).has('CHF')).length).toBeGreaterThanOrEqual(2);
    expect(swissPartners.some((p) => currencies(p).size === 1 && currencies(p).has('EUR'))).toBe(true);
    const partners = directory.providers.filter((p) => p.roles.includes(ProviderRole.SUPPORT_PARTNER));
    expect(partners.some((p) => !(p.offers ?? []).some((o) => o.service === ServiceKind.TRAINING))).toBe(true);
    const offers = directory.providers.flatMap((p) => p.offers ?? []);
    for (const unit of [PriceUnit.PER_DAY, PriceUnit.PER_HOUR, PriceUnit.PER_PARTICIPANT, PriceUnit.ANNUAL]) {
      expect(offers.some((o) => o.unit === unit)).toBe(true);
    }
    expect(offers.some((o) => o.validUntil !== null && o.validUntil < today && o.validUntil.startsWith('2025'))).toBe(true);
  });

  it('has licenses for every case: direct, via distributor, designated partner, not active, unpaid, unserved country', () => {
    const licenses = directory.licenses;
    expect(licenses.every((l) => l.key.startsWith('OC3-DEMO-'))).toBe(true);
    expect(licenses.some((l) => l.vendorId === null)).toBe(true);
    expect(licenses.some((l) => l.vendorId !== null && providerById.get(l.vendorId)?.active)).toBe(true);
    expect(licenses.some((l) => l.supportPartnerId !== null)).toBe(true);
    expect(licenses.some((l) => l.status === LicenseStatus.SUSPENDED)).toBe(true);
    expect(licenses.some((l) => l.status === LicenseStatus.EXPIRED)).toBe(true);
    expect(licenses.some((l) => l.status === LicenseStatus.ACTIVE && l.maintenancePaidThrough === '2025-12-31')).toBe(true);
    expect(new Set(licenses.map((l) => l.type))).toEqual(new Set([LicenseType.NETWORK, LicenseType.WORKSTATION]));
    const partnerCountries = new Set(directory.providers.filter((p) => p.roles.includes(ProviderRole.SUPPORT_PARTNER)).flatMap((p) => p.serviceCountries));
    expect(licenses.some((l) => !partnerCountries.has(l.holder.country))).toBe(true);
  });
});

// ---- normalization -------------------------------------------------------------------------------

describe('normalization', () => {
  it('trims strings, normalizes codes and amounts, and reads absent optionals as null', () => {
    const { directory, problems } = validate({
      providers: [
        provider(' p ', {
          name: '  Demo GmbH ',
          country: 'de',
          serviceCountries: ['de', 'At'],
          languages: ['DE', ' En '],
          email: ' info@example.org ',
          phone: '',
          timeZone: 'europe/berlin',
          offers: [offer('o-1', { price: { amount: '99', currency: 'eur' } }), offer('o-2', { price: { amount: '99.5', currency: 'CHF' } })],
        }),
      ],
      licenses: [license('L-1', { holder: { name: 'Praxis', country: 'at', language: 'DE' }, vendorId: 'p' })],
    });
    expect(problems).toEqual([]);
    expect(directory.providers[0]).toEqual({
      id: 'p',
      name: 'Demo GmbH',
      roles: [ProviderRole.SUPPORT_PARTNER],
      active: true,
      country: 'DE',
      serviceCountries: ['DE', 'AT'],
      languages: ['de', 'en'],
      email: 'info@example.org',
      phone: null,
      website: null,
      postalAddress: null,
      businessHours: null,
      timeZone: 'Europe/Berlin',
      vatId: null,
      firstResponseCommitments: null,
      offers: [
        {
          id: 'o-1',
          service: ServiceKind.TRAINING,
          title: 'Training day',
          description: null,
          price: { amount: '99.00', currency: 'EUR' },
          unit: PriceUnit.PER_DAY,
          validFrom: null,
          validUntil: null,
        },
        {
          id: 'o-2',
          service: ServiceKind.TRAINING,
          title: 'Training day',
          description: null,
          price: { amount: '99.50', currency: 'CHF' },
          unit: PriceUnit.PER_DAY,
          validFrom: null,
          validUntil: null,
        },
      ],
    });
    expect(directory.licenses[0].holder).toEqual({ name: 'Praxis', country: 'AT', language: 'de', vatId: null });
  });

  it('keeps "offers not given" (null) apart from "no offers" ([])', () => {
    const { directory } = validate({ providers: [provider('a'), provider('b', { offers: [] }), provider('c', { offers: null })] });
    expect(directory.providers.map((p) => p.offers)).toEqual([null, [], null]);
  });
});

// ---- the file as a whole -------------------------------------------------------------------------

describe('the top level', () => {
  it.each([[null], [[]], ['{}'], [42]])('must be an object (%j)', (input) => {
    expectOneProblem(validate(input).problems, FILE_PATH, 'must be an object');
  });

  it('needs providers or licenses', () => {
    expectOneProblem(validate({}).problems, FILE_PATH, 'providers', 'licenses');
  });

  it('accepts a file with only licenses, or only providers', () => {
    expect(validate({ licenses: [license('L-1')] }).problems).toEqual([]);
    expect(validate({ providers: [provider('p')] }).problems).toEqual([]);
  });

  it('names an unknown top-level field', () => {
    expectOneProblem(validate({ providers: [], licences: [] }).problems, 'licences', 'unknown field "licences"');
  });

  it('wants arrays', () => {
    expectOneProblem(validate({ providers: {} }).problems, 'providers', 'providers must be an array');
  });

  it('wants each record to be an object', () => {
    expectOneProblem(validate({ licenses: ['OC3-0001'] }).problems, 'licenses[0]', 'licenses[0] must be an object');
  });
});

// ---- field rules ---------------------------------------------------------------------------------

describe('unknown fields (usually typos) are named', () => {
  it.each([
    ['a provider', () => providerProblems({ emial: 'x@example.org' }), `${P}.emial`, 'emial'],
    ['an offer', () => offerProblems({ currency: 'EUR' }), `${O}.currency`, 'currency'],
    ['a price', () => offerProblems({ price: { amount: '1.00', currency: 'EUR', vat: '0.19' } }), `${O}.price.vat`, 'vat'],
    ['a license', () => licenseProblems({ vendor: 'x' }), `${L}.vendor`, 'vendor'],
    ['a holder', () => licenseProblems({ holder: { name: 'X', country: 'AT', language: 'de', vat: null } }), `${L}.holder.vat`, 'vat'],
  ])('in %s', (_, problems, path, field) => {
    expectOneProblem(problems(), path, `unknown field "${field}"`);
  });
});

describe('required fields', () => {
  const without = (record: Json, field: string) => Object.fromEntries(Object.entries(record).filter(([name]) => name !== field));

  it.each(['id', 'name', 'roles', 'active', 'country', 'serviceCountries', 'languages'])('provider.%s', (field) => {
    const problems = validate({ providers: [without(provider('p'), field)] }).problems;
    expectOneProblem(problems, field === 'id' ? `providers[0].id` : `${P}.${field}`, `${field} is required`);
  });

  it.each(['id', 'service', 'title', 'price', 'unit'])('offer.%s', (field) => {
    expectOneProblem(providerProblems({ offers: [without(offer('o-1'), field)] }), `${O}.${field}`, `${field} is required`);
  });

  it.each(['amount', 'currency'])('offer.price.%s', (field) => {
    expectOneProblem(offerProblems({ price: without({ amount: '1.00', currency: 'EUR' }, field) }), `${O}.price.${field}`, `${field} is required`);
  });

  it.each(['key', 'packageName', 'type', 'programVersion', 'status', 'holder'])('license.%s', (field) => {
    const problems = validate({ licenses: [without(license('L-1'), field)] }).problems;
    expectOneProblem(problems, field === 'key' ? 'licenses[0].key' : `${L}.${field}`, `${field} is required`);
  });

  it.each(['name', 'country', 'language'])('license.holder.%s', (field) => {
    const holder = without({ name: 'X', country: 'AT', language: 'de' }, field);
    expectOneProblem(licenseProblems({ holder }), `${L}.holder.${field}`, `${field} is required`);
  });

  it('null counts as missing', () => {
    expectOneProblem(providerProblems({ name: null }), `${P}.name`, 'name is required');
  });

  it('leaves out every optional field without a problem', () => {
    const minimal = validate({
      providers: [provider('p', { offers: [offer('o-1')] })],
      licenses: [Object.fromEntries(Object.entries(license('L-1')).filter(([k]) => !['vendorId', 'supportPartnerId', 'maintenancePaidThrough'].includes(k)))],
    });
    expect(minimal.problems).toEqual([]);
    expect(minimal.directory.licenses[0]).toMatchObject({ vendorId: null, supportPartnerId: null, maintenancePaidThrough: null });
  });
});

describe('types and formats', () => {
  it.each([
    ['a blank name', { name: '   ' }, 'name', 'name must not be empty'],
    ['a name that is not a string', { name: 42 }, 'name', 'name must be a string'],
    ['active as a string', { active: 'yes' }, 'active', 'active must be true or false'],
    ['roles empty', { roles: [] }, 'roles', 'roles must not be empty'],
    ['roles not a list', { roles: 'DISTRIBUTOR' }, 'roles', 'roles must be an array'],
    ['an unknown role', { roles: ['RESELLER'] }, 'roles[0]', 'roles[0] must be one of MANUFACTURER, DISTRIBUTOR, SUPPORT_PARTNER'],
    ['a repeated role', { roles: ['SUPPORT_PARTNER', 'SUPPORT_PARTNER'] }, 'roles[1]', 'roles[1] repeats "SUPPORT_PARTNER"'],
    ['a country name', { country: 'Germany' }, 'country', 'country must be an ISO 3166-1 alpha-2'],
    ['no service countries', { serviceCountries: [] }, 'serviceCountries', 'serviceCountries must not be empty'],
    ['a bad service country', { serviceCountries: ['DE', 'AUT'] }, 'serviceCountries[1]', 'serviceCountries[1] must be an ISO 3166-1'],
    ['a repeated service country', { serviceCountries: ['DE', 'de'] }, 'serviceCountries[1]', 'repeats "DE"'],
    ['a country code that names no country', { country: 'XX' }, 'country', 'country must be an ISO 3166-1 alpha-2'],
    ['a private-use country code', { serviceCountries: ['ZZ'] }, 'serviceCountries[0]', 'serviceCountries[0] must be an ISO 3166-1'],
    ['a language code that names no language', { languages: ['zz'] }, 'languages[0]', 'languages[0] must be an ISO 639-1'],
    ['a name longer than its column', { name: 'x'.repeat(201) }, 'name', 'name must be at most 200 characters long (got 201)'],
    ['a language name', { languages: ['deutsch'] }, 'languages[0]', 'languages[0] must be an ISO 639-1'],
    ['no languages', { languages: [] }, 'languages', 'languages must not be empty'],
    ['an email without @', { email: 'info.example.org' }, 'email', 'email must contain one "@"'],
    ['an email with two @', { email: 'a@b@example.org' }, 'email', 'email must contain one "@"'],
    ['an email with nothing before @', { email: '@example.org' }, 'email', 'email must contain one "@"'],
    ['a website without scheme', { website: 'example.org' }, 'website', 'website must be an http(s) URL'],
    ['an ftp website', { website: 'ftp://example.org' }, 'website', 'website must be an http(s) URL'],
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone', 'timeZone must be an IANA time zone'],
    ['a time zone offset', { timeZone: 'CET+1' }, 'timeZone', 'timeZone must be an IANA time zone'],
    ['offers not a list', { offers: { id: 'x' } }, 'offers', 'offers must be an array'],
    ['commitments not a list', { firstResponseCommitments: { USER_SUPPORT: 4 } }, 'firstResponseCommitments', 'firstResponseCommitments must be an array'],
    [
      'a commitment in an unknown category',
      { firstResponseCommitments: [{ category: 'TRAINING', businessHours: 4 }] },
      'firstResponseCommitments[0].category',
      'category must be one of SOFTWARE_MAINTENANCE, TECHNICAL_SUPPORT, USER_SUPPORT (got "TRAINING")',
    ],
    [
      'a commitment for a category its roles do not serve',
      { firstResponseCommitments: [{ category: 'TECHNICAL_SUPPORT', businessHours: 4 }] },
      'firstResponseCommitments[0].category',
      'category TECHNICAL_SUPPORT is not one its roles serve (SUPPORT_PARTNER serve USER_SUPPORT)',
    ],
    [
      'a category committed twice',
      { firstResponseCommitments: [4, 8].map((businessHours) => ({ category: 'USER_SUPPORT', businessHours })) },
      'firstResponseCommitments[1].category',
      'category repeats USER_SUPPORT: one commitment per category',
    ],
    [
      'commitment hours of zero',
      { firstResponseCommitments: [{ category: 'USER_SUPPORT', businessHours: 0 }] },
      'firstResponseCommitments[0].businessHours',
      'businessHours must be more than 0 and at most 400 business hours (got 0)',
    ],
    [
      'commitment hours as text',
      { firstResponseCommitments: [{ category: 'USER_SUPPORT', businessHours: 'next business day' }] },
      'firstResponseCommitments[0].businessHours',
      'businessHours must be a number of business hours (got "next business day")',
    ],
  ])('provider: %s', (_, overrides, field, reason) => {
    expectOneProblem(providerProblems(overrides), `${P}.${field}`, reason);
  });

  it('accepts http and https websites', () => {
    expect(providerProblems({ website: 'http://example.org/support' })).toEqual([]);
    expect(providerProblems({ website: 'https://example.org' })).toEqual([]);
  });

  it.each([
    ['an amount as a number', { price: { amount: 99, currency: 'EUR' } }, 'price.amount', 'amount must be a decimal string like "99.00"'],
    ['an amount with three places', { price: { amount: '9.999', currency: 'EUR' } }, 'price.amount', 'amount must be a non-negative decimal'],
    ['a negative amount', { price: { amount: '-5.00', currency: 'EUR' } }, 'price.amount', 'amount must be a non-negative decimal'],
    ['an amount with a comma', { price: { amount: '99,00', currency: 'EUR' } }, 'price.amount', 'amount must be a non-negative decimal'],
    ['a currency name', { price: { amount: '1.00', currency: 'EURO' } }, 'price.currency', 'currency must be an ISO 4217'],
    ['a currency code that names no currency', { price: { amount: '1.00', currency: 'ABC' } }, 'price.currency', 'currency must be an ISO 4217'],
    ['a price that is not an object', { price: '99.00 EUR' }, 'price', 'price must be an object'],
    ['an unknown service', { service: 'MAINTENANCE' }, 'service', 'service must be one of TRAINING, USER_SUPPORT, TECHNICAL_SUPPORT'],
    ['an unknown unit', { unit: 'MONTHLY' }, 'unit', 'unit must be one of ONE_TIME, ANNUAL, PER_HOUR, PER_DAY, PER_PARTICIPANT'],
    ['a blank title', { title: '' }, 'title', 'title must not be empty'],
    ['a date that does not exist', { validFrom: '2026-02-30' }, 'validFrom', 'validFrom must be an ISO date'],
    ['a German date', { validUntil: '31.12.2026' }, 'validUntil', 'validUntil must be an ISO date'],
    [
      'validity that ends before it starts',
      { validFrom: '2026-07-01', validUntil: '2026-06-30' },
      'validUntil',
      'validUntil 2026-06-30 is before validFrom 2026-07-01',
    ],
  ])('offer: %s', (_, overrides, field, reason) => {
    expectOneProblem(offerProblems(overrides), `${O}.${field}`, reason);
  });

  it('accepts a one-day validity', () => {
    expect(offerProblems({ validFrom: '2026-07-01', validUntil: '2026-07-01' })).toEqual([]);
  });

  it.each([
    ['an unknown type', { type: 'CLOUD' }, 'type', 'type must be one of NETWORK, WORKSTATION'],
    ['an unknown status', { status: 'CANCELLED' }, 'status', 'status must be one of ACTIVE, SUSPENDED, EXPIRED'],
    ['a numeric program version', { programVersion: 3.2 }, 'programVersion', 'programVersion must be a string'],
    ['a bad maintenance date', { maintenancePaidThrough: '2026-13-01' }, 'maintenancePaidThrough', 'maintenancePaidThrough must be an ISO date'],
    ['a bad holder country', { holder: { name: 'X', country: 'Austria', language: 'de' } }, 'holder.country', 'country must be an ISO 3166-1'],
    ['a bad holder language', { holder: { name: 'X', country: 'AT', language: 'ger' } }, 'holder.language', 'language must be an ISO 639-1'],
    ['a holder that is a string', { holder: 'Praxis' }, 'holder', 'holder must be an object'],
  ])('license: %s', (_, overrides, field, reason) => {
    expectOneProblem(licenseProblems(overrides), `${L}.${field}`, reason);
  });
});

// ---- rules across records ------------------------------------------------------------------------

describe('duplicates within the file', () => {
  it('rejects a repeated provider id, naming where it first appeared', () => {
    const { problems } = validate({ providers: [provider('p'), provider('q'), provider('p')] });
    expectOneProblem(problems, 'providers[2] (p).id', 'duplicate provider id "p"', 'providers[0] (p)');
  });

  it('rejects a repeated offer id, also across providers', () => {
    const { problems } = validate({ providers: [provider('p', { offers: [offer('o-1')] }), provider('q', { offers: [offer('o-2'), offer('o-1')] })] });
    expectOneProblem(problems, 'providers[1] (q).offers[1].id', 'duplicate offer id "o-1"', 'providers[0] (p).offers[0]');
  });

  it('rejects a repeated license key', () => {
    const { problems } = validate({ licenses: [license('L-1'), license('L-1')] });
    expectOneProblem(problems, 'licenses[1] (L-1).key', 'duplicate license key "L-1"');
  });
});

describe('offers belong to their provider', () => {
  it('rejects an offer id stored for another provider', () => {
    const stored = store({ manufacturers: ['image-instruments'], providers: ['q'], offers: { 'o-1': 'q' } });
    expectOneProblem(providerProblems({ offers: [offer('o-1')] }, stored), `${O}.id`, 'offer id "o-1" belongs to provider "q"');
  });

  it('accepts an offer id stored for the same provider (an update of its own price)', () => {
    const stored = store({ manufacturers: ['image-instruments'], providers: ['p'], offers: { 'o-1': 'p' } });
    expect(providerProblems({ offers: [offer('o-1', { price: { amount: '99', currency: 'EUR' } })] }, stored)).toEqual([]);
  });
});

describe('references to providers', () => {
  it.each(['vendorId', 'supportPartnerId'])('rejects a %s that names no provider, naming the id', (field) => {
    expectOneProblem(licenseProblems({ [field]: 'nobody' }), `${L}.${field}`, `${field} "nobody"`);
  });

  it('accepts providers of the same file', () => {
    const file = {
      providers: [provider('dist', { roles: ['DISTRIBUTOR'] }), provider('partner')],
      licenses: [license('L-1', { vendorId: 'dist', supportPartnerId: 'partner' })],
    };
    expect(validate(file).problems).toEqual([]);
  });

  it('accepts providers already stored', () => {
    const stored = store({ manufacturers: ['image-instruments'], providers: ['dist', 'partner'] });
    expect(licenseProblems({ vendorId: 'dist', supportPartnerId: 'partner' }, stored)).toEqual([]);
    expect(licenseProblems({ vendorId: 'image-instruments' }, stored)).toEqual([]);
  });
});

describe('exactly one manufacturer', () => {
  const manufacturer = (id: string) => provider(id, { roles: ['MANUFACTURER'] });

  it('accepts one manufacturer in a file for an empty store', () => {
    expect(validate({ providers: [manufacturer('image-instruments'), provider('p')] }, EMPTY_STORE).problems).toEqual([]);
  });

  it('rejects a second manufacturer in the file, at its roles', () => {
    const { problems } = validate({ providers: [manufacturer('image-instruments'), provider('p'), manufacturer('copycat')] }, EMPTY_STORE);
    expectOneProblem(problems, 'providers[2] (copycat).roles', '"copycat" would be a second MANUFACTURER', '"image-instruments"');
  });

  it('rejects a manufacturer in the file when another one is stored', () => {
    expectOneProblem(validate({ providers: [manufacturer('copycat')] }).problems, 'providers[0] (copycat).roles', 'second MANUFACTURER', '"image-instruments"');
  });

  it('accepts the stored manufacturer declared again', () => {
    expect(validate({ providers: [manufacturer('image-instruments')] }).problems).toEqual([]);
  });

  it('accepts a hand-over: the stored manufacturer loses the role in the same file that gives it to another', () => {
    expect(validate({ providers: [provider('image-instruments', { roles: ['DISTRIBUTOR'] }), manufacturer('successor')] }).problems).toEqual([]);
  });

  it('rejects providers without any manufacturer when none is stored', () => {
    expectOneProblem(validate({ providers: [provider('p')] }, EMPTY_STORE).problems, 'providers', 'MANUFACTURER');
  });

  it('rejects stripping the stored manufacturer of its role with no successor', () => {
    const { problems } = validate({ providers: [provider('image-instruments', { roles: ['DISTRIBUTOR'] })] });
    expectOneProblem(problems, 'providers', 'MANUFACTURER', '"image-instruments"');
  });

  it('does not ask for a manufacturer in a file with only licenses', () => {
    expect(validate({ licenses: [license('L-1')] }, EMPTY_STORE).problems).toEqual([]);
  });
});

// ---- all at once ---------------------------------------------------------------------------------

describe('collecting problems', () => {
  it('reports every problem of the file in one pass', () => {
    const { problems } = validate({
      providers: [
        provider('p', { country: 'Germany', email: 'nobody', offers: [offer('o-1', { price: { amount: 99, currency: 'EUR' }, unit: 'WEEKLY' })] }),
        provider('p', { roles: ['MANUFACTURER'], typo: true }),
      ],
      licenses: [license('L-1', { status: 'GONE', vendorId: 'ghost', holder: { name: '', country: 'AT', language: 'de' } })],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'providers[0] (p).country',
      'providers[0] (p).email',
      'providers[0] (p).offers[0].price.amount',
      'providers[0] (p).offers[0].unit',
      'providers[1] (p).typo',
      'providers[1] (p).id',
      'licenses[0] (L-1).status',
      'licenses[0] (L-1).holder.name',
      'licenses[0] (L-1).vendorId',
      'providers[1] (p).roles',
    ]);
  });

  it('returns only the records it could read completely', () => {
    const { directory } = validate({ providers: [provider('good'), provider('bad', { active: 'no' })], licenses: [license('L-1', { type: 'X' })] });
    expect(directory.providers.map((p) => p.id)).toEqual(['good']);
    expect(directory.licenses).toEqual([]);
  });
});
