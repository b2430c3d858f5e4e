/**
 * docs/directory-file.schema.json agrees with the import's validator (lib/directory/directory-file.ts):
 * the same valid and invalid files go through both (the validator against an empty store), and both
 * must give the expected verdict. The rules the schema cannot express (docs/directory-file.md) are
 * checked separately: the schema lets those files through, the validator does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { validateDirectoryFile, type StoredDirectory } from '../../lib/directory/directory-file';

const ROOT = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const schema = readJson('docs/directory-file.schema.json');

// Strict mode: unknown keywords or formats in the schema are errors, not silently ignored.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(schema);

const EMPTY_STORE: StoredDirectory = { providerIds: new Set(), manufacturerIds: new Set(), offerOwners: new Map() };
const schemaAccepts = (file: unknown) => validateSchema(file) === true;
const validatorAccepts = (file: unknown) => validateDirectoryFile(file, EMPTY_STORE).problems.length === 0;

// ---- a small valid file and variations of it ------------------------------------------------------

const base = () => ({
  providers: [
    { id: 'maker', name: 'Maker GmbH', roles: ['MANUFACTURER'], active: true, country: 'DE', serviceCountries: ['DE'], languages: ['de', 'en'] },
    {
      id: 'dist',
      name: 'Distribution AG',
      roles: ['DISTRIBUTOR', 'SUPPORT_PARTNER'],
      active: true,
      country: 'AT',
      serviceCountries: ['AT', 'DE'],
      languages: ['de'],
      email: 'info@dist.example',
      phone: '+43 1 000',
      website: 'https://dist.example/support',
      postalAddress: 'Gasse 1, Wien',
      businessHours: 'Mo-Fr 08:00-16:00',
      timeZone: 'Europe/Vienna',
      vatId: 'ATU10000005',
      offers: [
        {
          id: 'dist-training',
          service: 'TRAINING',
          title: 'Training day',
          description: 'At the practice',
          price: { amount: '900.00', currency: 'EUR' },
          unit: 'PER_DAY',
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
        },
        { id: 'dist-l0', service: 'TECHNICAL_SUPPORT', title: 'Level 0 flat rate', price: { amount: '240.00', currency: 'EUR' }, unit: 'ANNUAL' },
      ],
    },
  ] as any[],
  licenses: [
    {
      key: 'OC3-1',
      packageName: 'OnyxCeph³ 3D Pro',
      type: 'NETWORK',
      programVersion: '3.2',
      status: 'ACTIVE',
      holder: { name: 'Praxis Beispiel', country: 'AT', language: 'de', vatId: 'ATU10000014' },
      vendorId: 'dist',
      supportPartnerId: 'dist',
      maintenancePaidThrough: '2026-12-31',
    },
  ] as any[],
});

type File = ReturnType<typeof base>;
const variant = (change: (file: File) => void): File => {
  const file = base();
  change(file);
  return file;
};
const offer = (f: File) => f.providers[1].offers[0];
const license = (f: File) => f.licenses[0];

const VALID: [string, unknown][] = [
  ['the base file', base()],
  ['providers only', { providers: base().providers }],
  ['licenses only, bought directly', { licenses: [{ ...base().licenses[0], vendorId: null, supportPartnerId: null }] }],
  ['providers null beside licenses', { providers: null, licenses: [{ ...base().licenses[0], vendorId: undefined, supportPartnerId: '' }] }],
  ['empty lists', { providers: [], licenses: [] }],
  [
    'optional fields null or blank',
    variant((f) => Object.assign(f.providers[1], { email: '', phone: null, website: '  ', timeZone: null, vatId: '', offers: null })),
  ],
  ['offers blank (kept)', variant((f) => (f.providers[1].offers = '  '))],
  [
    'first-response commitments per category served',
    variant((f) => {
      f.providers[0].firstResponseCommitments = [
        { category: 'TECHNICAL_SUPPORT', businessHours: 8 },
        { category: 'SOFTWARE_MAINTENANCE', businessHours: 16 },
      ];
      f.providers[1].firstResponseCommitments = [
        { category: 'USER_SUPPORT', businessHours: 0.25 },
        { category: 'TECHNICAL_SUPPORT', businessHours: 400 },
      ];
    }),
  ],
  [
    'first-response commitments empty (none) or blank (kept)',
    variant((f) => {
      f.providers[0].firstResponseCommitments = ' ';
      f.providers[1].firstResponseCommitments = [];
    }),
  ],
  ['offers empty (cleared)', variant((f) => (f.providers[1].offers = []))],
  ['codes in other case and with spaces', variant((f) => Object.assign(f.providers[1], { country: 'at', serviceCountries: [' at', 'De'], languages: ['DE'] }))],
  ['amounts without places or with one', variant((f) => Object.assign(offer(f).price, { amount: '99', currency: 'chf' }))],
  ['amount zero and with spaces', variant((f) => (offer(f).price.amount = ' 0.5 '))],
  ['a website in upper case with a query', variant((f) => (f.providers[1].website = 'HTTPS://dist.example/a?b=c#d'))],
  ['time zone UTC and in other case', variant((f) => Object.assign(f.providers[1], { timeZone: 'europe/berlin' }))],
  ['open validity', variant((f) => Object.assign(offer(f), { validFrom: null, validUntil: '' }))],
  [
    'holder without VAT id, dates absent',
    variant((f) => {
      delete license(f).holder.vatId;
      delete license(f).maintenancePaidThrough;
    }),
  ],
  [
    'every unit, service, type and status',
    variant((f) => {
      f.providers[1].offers = ['ONE_TIME', 'ANNUAL', 'PER_HOUR', 'PER_DAY', 'PER_PARTICIPANT'].map((unit, i) => ({
        ...offer(f),
        id: `o${i}`,
        unit,
        service: ['TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT'][i % 3],
      }));
      f.licenses = [
        ['NETWORK', 'ACTIVE'],
        ['WORKSTATION', 'SUSPENDED'],
        ['NETWORK', 'EXPIRED'],
      ].map(([type, status], i) => ({ ...license(f), key: `K${i}`, type, status }));
    }),
  ],
  ['an access code in clear', variant((f) => (license(f).accessCode = 'k7qm 2xpd 9rta w4hn'))],
  [
    "an access code hashed (docs/directory-file.md's example)",
    variant((f) => (license(f).accessCode = 'scrypt$15$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLfLoI')),
  ],
];

const INVALID: [string, unknown][] = [
  ['not an object', []],
  ['a string', 'providers'],
  ['null', null],
  ['neither providers nor licenses', {}],
  ['providers null, no licenses', { providers: null }],
  ['providers a non-blank string', { providers: 'all of them' }],
  ['licenses a number', { licenses: 5 }],
  ['an unknown field at the top', { ...base(), version: 2 }],
  ['an unknown provider field', variant((f) => (f.providers[0].homepage = 'https://x.example'))],
  ['an unknown offer field', variant((f) => (offer(f).vat = '0.20'))],
  ['an unknown price field', variant((f) => (offer(f).price.net = true))],
  ['an unknown holder field', variant((f) => (license(f).holder.city = 'Wien'))],
  ['a provider that is not an object', variant((f) => f.providers.push('dist2'))],
  ['provider id missing', variant((f) => delete f.providers[1].id)],
  ['provider id blank', variant((f) => (f.providers[1].id = '  '))],
  ['provider id a number', variant((f) => (f.providers[1].id = 7))],
  ['name null', variant((f) => (f.providers[1].name = null))],
  ['roles empty', variant((f) => (f.providers[1].roles = []))],
  ['roles unknown', variant((f) => (f.providers[1].roles = ['RESELLER']))],
  ['roles repeated', variant((f) => (f.providers[1].roles = ['DISTRIBUTOR', 'DISTRIBUTOR']))],
  ['roles missing', variant((f) => delete f.providers[1].roles)],
  ['active as a string', variant((f) => (f.providers[1].active = 'yes'))],
  ['country spelt out', variant((f) => (f.providers[1].country = 'Austria'))],
  ['country one letter', variant((f) => (f.providers[1].country = 'A'))],
  ['country a number', variant((f) => (f.providers[1].country = 43))],
  ['service countries empty', variant((f) => (f.providers[1].serviceCountries = []))],
  ['service countries repeated', variant((f) => (f.providers[1].serviceCountries = ['AT', 'AT']))],
  ['service countries not a list', variant((f) => (f.providers[1].serviceCountries = 'AT'))],
  ['language with three letters', variant((f) => (f.providers[1].languages = ['deu']))],
  ['email without @', variant((f) => (f.providers[1].email = 'info.dist.example'))],
  ['email with two @', variant((f) => (f.providers[1].email = 'a@b@c'))],
  ['email a number', variant((f) => (f.providers[1].email = 1))],
  ['website not http', variant((f) => (f.providers[1].website = 'ftp://dist.example'))],
  ['website without scheme', variant((f) => (f.providers[1].website = 'dist.example'))],
  ['time zone with spaces', variant((f) => (f.providers[1].timeZone = 'Central European Time'))],
  ['commitments an object', variant((f) => (f.providers[1].firstResponseCommitments = { TECHNICAL_SUPPORT: 4 }))],
  ['commitment hours zero', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TECHNICAL_SUPPORT', businessHours: 0 }]))],
  ['commitment hours as a string', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TECHNICAL_SUPPORT', businessHours: '4' }]))],
  ['commitment hours beyond 400', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TECHNICAL_SUPPORT', businessHours: 401 }]))],
  ['commitment hours in tenths', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TECHNICAL_SUPPORT', businessHours: 1.1 }]))],
  ['commitment category unknown', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TRAINING', businessHours: 4 }]))],
  ['commitment without hours', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'TECHNICAL_SUPPORT' }]))],
  ['commitment with an unknown field', variant((f) => (f.providers[1].firstResponseCommitments = [{ category: 'USER_SUPPORT', businessHours: 4, days: 1 }]))],
  ['offers an object', variant((f) => (f.providers[1].offers = {}))],
  ['offers a number', variant((f) => (f.providers[1].offers = 5))],
  ['offer price missing', variant((f) => delete offer(f).price)],
  ['offer price a string', variant((f) => (offer(f).price = '900.00 EUR'))],
  ['amount a number', variant((f) => (offer(f).price.amount = 900))],
  ['amount with three places', variant((f) => (offer(f).price.amount = '99.999'))],
  ['amount negative', variant((f) => (offer(f).price.amount = '-1.00'))],
  ['amount with an exponent', variant((f) => (offer(f).price.amount = '1e3'))],
  ['amount with a comma', variant((f) => (offer(f).price.amount = '99,00'))],
  ['amount with a leading zero', variant((f) => (offer(f).price.amount = '09.00'))],
  ['amount too large', variant((f) => (offer(f).price.amount = '1000000000000.00'))],
  ['currency spelt out', variant((f) => (offer(f).price.currency = 'EURO'))],
  ['currency missing', variant((f) => delete offer(f).price.currency)],
  ['unit unknown', variant((f) => (offer(f).unit = 'PER_WEEK'))],
  ['unit in lower case', variant((f) => (offer(f).unit = 'per_day'))],
  ['service unknown', variant((f) => (offer(f).service = 'CONSULTING'))],
  ['title empty', variant((f) => (offer(f).title = ''))],
  ['validFrom month 13', variant((f) => (offer(f).validFrom = '2026-13-01'))],
  ['validUntil in German notation', variant((f) => (offer(f).validUntil = '31.12.2026'))],
  ['license type unknown', variant((f) => (license(f).type = 'SERVER'))],
  ['license status in lower case', variant((f) => (license(f).status = 'active'))],
  ['license key missing', variant((f) => delete license(f).key)],
  ['program version a number', variant((f) => (license(f).programVersion = 3.2))],
  ['holder missing', variant((f) => delete license(f).holder)],
  ['holder a string', variant((f) => (license(f).holder = 'Praxis Beispiel'))],
  ['holder language spelt out', variant((f) => (license(f).holder.language = 'German'))],
  ['holder country missing', variant((f) => delete license(f).holder.country)],
  ['vendorId a number', variant((f) => (license(f).vendorId = 12))],
  ['maintenance date a word', variant((f) => (license(f).maintenancePaidThrough = 'tomorrow'))],
  [
    'an access code hashed, its hash cut short',
    variant((f) => (license(f).accessCode = 'scrypt$15$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLf')),
  ],
  [
    'an access code hashed too cheaply',
    variant((f) => (license(f).accessCode = 'scrypt$10$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLfLoI')),
  ],
  [
    'an access code hashed with another algorithm',
    variant((f) => (license(f).accessCode = 'bcrypt$15$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLfLoI')),
  ],
];

/** Files every single record of which is fine, but that break a rule across records or one of calendar or time zone. */
const BEYOND_THE_SCHEMA: [string, unknown][] = [
  ['a provider id twice', variant((f) => f.providers.push({ ...f.providers[1], offers: undefined }))],
  ['an offer id twice', variant((f) => (f.providers[0].offers = [{ ...offer(f) }]))],
  ['a license key twice', variant((f) => f.licenses.push({ ...license(f) }))],
  ['two manufacturers', variant((f) => (f.providers[1].roles = ['MANUFACTURER']))],
  ['providers without a manufacturer', variant((f) => f.providers.shift())],
  ['an unknown vendorId', variant((f) => (license(f).vendorId = 'nobody'))],
  ['an unknown supportPartnerId', variant((f) => (license(f).supportPartnerId = 'nobody'))],
  ['validUntil before validFrom', variant((f) => Object.assign(offer(f), { validFrom: '2026-06-01', validUntil: '2026-05-31' }))],
  ['a date that does not exist', variant((f) => (license(f).maintenancePaidThrough = '2026-02-30'))],
  ['a time zone that does not exist', variant((f) => (f.providers[1].timeZone = 'Mars/Olympus_Mons'))],
  ['business hours that are not opening_hours syntax', variant((f) => (f.providers[1].businessHours = 'weekdays 8 to 5'))],
  [
    'a category committed twice',
    variant((f) => (f.providers[1].firstResponseCommitments = [1, 2].map((businessHours) => ({ category: 'TECHNICAL_SUPPORT', businessHours })))),
  ],
  [
    'a commitment for a category its roles do not serve',
    variant((f) => (f.providers[0].firstResponseCommitments = [{ category: 'USER_SUPPORT', businessHours: 4 }])),
  ],
  ['countries that repeat after normalization', variant((f) => (f.providers[1].serviceCountries = ['de', 'DE']))],
  ['a country code that names no country', variant((f) => (f.providers[1].serviceCountries = ['AT', 'XX']))],
  ['a language code that names no language', variant((f) => (license(f).holder.language = 'zz'))],
  ['a currency code that names no currency', variant((f) => (offer(f).price.currency = 'ABC'))],
  [
    'an access code hashed at a cost of a gigabyte',
    variant((f) => (license(f).accessCode = 'scrypt$20$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLfLoI')),
  ],
  [
    'an access code hashed, its hash not canonical base64url',
    variant((f) => (license(f).accessCode = 'scrypt$15$8$1$oBBllNnwIP5N9a0kOid4fg$GI1d0zj_EaOAz7fCAFQRTRy6cGaMHg7qyWXicjLfLoJ')),
  ],
];

// ---- the tests ----------------------------------------------------------------------------------

test('the schema is a valid draft 2020-12 schema', () => {
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(ajv.validateSchema(schema)).toBe(true);
});

describe('valid files: both accept', () => {
  test.each(VALID)('%s', (_name, file) => {
    expect({ schema: schemaAccepts(file), validator: validatorAccepts(file) }).toEqual({ schema: true, validator: true });
  });

  test('the demo directory (seed/demo-directory.json)', () => {
    const demo = readJson('seed/demo-directory.json');
    expect({ schema: schemaAccepts(demo), validator: validatorAccepts(demo) }).toEqual({ schema: true, validator: true });
  });
});

describe('invalid files: both refuse', () => {
  test.each(INVALID)('%s', (_name, file) => {
    expect({ schema: schemaAccepts(file), validator: validatorAccepts(file) }).toEqual({ schema: false, validator: false });
  });

  test('the README example (examples/bad-directory.json), even against an empty store', () => {
    const bad = readJson('examples/bad-directory.json');
    expect({ schema: schemaAccepts(bad), validator: validatorAccepts(bad) }).toEqual({ schema: false, validator: false });
  });
});

describe('rules beyond the schema (docs/directory-file.md lists them): the schema lets them through, the import does not', () => {
  test.each(BEYOND_THE_SCHEMA)('%s', (_name, file) => {
    expect({ schema: schemaAccepts(file), validator: validatorAccepts(file) }).toEqual({ schema: true, validator: false });
  });
});

test('each variation of the base file changes the verdict only where intended: the base file itself is valid', () => {
  // Guards the tables above: an invalid variant must not be invalid merely because the base broke.
  expect(validatorAccepts(base())).toBe(true);
  expect(schemaAccepts(base())).toBe(true);
});
