/**
 * The directory file that `npm run import` loads (docs/directory-file.md): a pure validator
 * that reads untrusted JSON into normalized records and collects every problem in one pass, each
 * with the path of the offending value (`providers[2] (alpendent-demo).offers[0].price.amount`,
 * `licenses[0] (OC3-0001).vendorId`) and a reason that names the field or id.
 *
 * It reads a file as entries, one record at a time (directory-entries.ts): DirectoryValidator
 * keeps only what the rules across records need (the ids seen, compactly), so the import validates
 * a file of any size in flat memory; validateDirectoryFile does the same for a parsed value and
 * keeps the normalized records.
 */
import { LicenseStatus, LicenseType, PriceUnit, ProviderRole, ServiceKind, SupportCategoryId } from '../domain';
import { commitmentProblems, inCategoryOrder, type FirstResponseCommitment } from '../first-response-commitments';
import * as checks from '../validation';
import { MAX_LENGTH, validityProblem } from '../validation';
import { accessCodeProblem, looksStored, normalizeAccessCode, storedAccessCodeProblem } from '../access-codes';
import { entriesOf, FILE_PATH, type DirectoryEntry, type DirectoryList, type DirectoryProblem } from './directory-entries';
import { message, type Message } from '../i18n/message';

export { FILE_PATH, type DirectoryProblem } from './directory-entries';
export interface OfferRecord {
  id: string;
  service: ServiceKind;
  title: string;
  description: string | null;
  price: { amount: string; currency: string };
  unit: PriceUnit;
  validFrom: string | null;
  validUntil: string | null;
}

export interface ProviderRecord {
  id: string;
  name: string;
  roles: ProviderRole[];
  active: boolean;
  country: string;
  serviceCountries: string[];
  languages: string[];
  email: string | null;
  phone: string | null;
  website: string | null;
  postalAddress: string | null;
  businessHours: string | null;
  timeZone: string | null;
  vatId: string | null;
  /** null: not given, keep the stored ones (none for a new provider); []: it states none (any more). */
  firstResponseCommitments: FirstResponseCommitment[] | null;
  /** null: offers not given, keep stored ones; []: the provider has no offers (any more). */
  offers: OfferRecord[] | null;
}

export interface LicenseRecord {
  key: string;
  packageName: string;
  type: LicenseType;
  programVersion: string;
  status: LicenseStatus;
  holder: { name: string; country: string; language: string; vatId: string | null };
  vendorId: string | null;
  supportPartnerId: string | null;
  maintenancePaidThrough: string | null;
  /**
   * The holder's access code: as printed on the license papers, normalized (`code`; only its hash
   * is stored), or already in its stored form (`hash`, lib/access-codes.ts). null: keep the
   * license's code (if any) as it is.
   */
  accessCode: AccessCodeInFile | null;
}

export type AccessCodeInFile = { code: string } | { hash: string };

export interface DirectoryFile {
  providers: ProviderRecord[];
  licenses: LicenseRecord[];
}

/** What the store already holds, as far as the cross-record rules need it. */
export interface StoredDirectory {
  providerIds: ReadonlySet<string>;
  manufacturerIds: ReadonlySet<string>;
  /** offer id -> provider id */
  offerOwners: ReadonlyMap<string, string>;
}

const PROVIDER_FIELDS = [
  'id',
  'name',
  'roles',
  'active',
  'country',
  'serviceCountries',
  'languages',
  'email',
  'phone',
  'website',
  'postalAddress',
  'businessHours',
  'timeZone',
  'vatId',
  'firstResponseCommitments',
  'offers',
] as const;
const COMMITMENT_FIELDS = ['category', 'businessHours'] as const;
const OFFER_FIELDS = ['id', 'service', 'title', 'description', 'price', 'unit', 'validFrom', 'validUntil'] as const;
const PRICE_FIELDS = ['amount', 'currency'] as const;
const LICENSE_FIELDS = [
  'key',
  'packageName',
  'type',
  'programVersion',
  'status',
  'holder',
  'vendorId',
  'supportPartnerId',
  'maintenancePaidThrough',
  'accessCode',
] as const;
const HOLDER_FIELDS = ['name', 'country', 'language', 'vatId'] as const;

/**
 * Validates and normalizes a parsed directory file. `directory` holds every record that could be
 * read (trimmed strings, upper-case country and currency codes, lower-case languages, two-place
 * amounts, absent or blank optionals as null); it is fit to import only when `problems` is empty.
 */
export function validateDirectoryFile(input: unknown, stored: StoredDirectory): { directory: DirectoryFile; problems: DirectoryProblem[] } {
  const validator = new DirectoryValidator(stored);
  const directory: DirectoryFile = { providers: [], licenses: [] };
  for (const entry of entriesOf(input)) {
    const record = validator.add(entry);
    if (record?.list === 'providers') directory.providers.push(record.record);
    else if (record?.list === 'licenses') directory.licenses.push(record.record);
  }
  return { directory, problems: validator.finish().problems };
}

export type DirectoryRecord = { list: 'providers'; record: ProviderRecord } | { list: 'licenses'; record: LicenseRecord };

/**
 * Validates a directory file entry by entry (directory-entries.ts), in one pass. Memory: the
 * file's provider and offer ids, its license keys (each with its record's position, not its
 * path), the first `maxListed` problems (the rest are counted), and, when licenses come before the
 * providers they name, those references until the providers are read.
 */
export class DirectoryValidator {
  private readonly file: FileContext;
  private readonly lists = new Set<DirectoryList>();
  private providerRecords = 0;
  private fatal = false;
  records = 0;

  constructor(stored: StoredDirectory, maxListed = Infinity) {
    this.file = new FileContext(stored, new ProblemList(maxListed));
  }

  /** Checks one entry; a record that could be read comes back normalized (it is fit to import only if finish() finds no problem). */
  add(entry: DirectoryEntry): DirectoryRecord | undefined {
    switch (entry.kind) {
      case 'problem':
        this.fatal ||= entry.fatal === true;
        if (entry.list) this.lists.add(entry.list);
        this.file.problems.push(entry.problem);
        return undefined;
      case 'list-start':
        this.lists.add(entry.list);
        return undefined;
      case 'list-end':
        if (entry.list === 'providers') this.file.providersRead();
        return undefined;
      case 'record':
        this.records++;
        if (entry.list === 'providers') this.providerRecords++;
        return readRecord(entry.list, entry.index, entry.value, this.file);
    }
  }

  /** The problems of the whole file (`unlisted`: how many more there were beyond `maxListed`). */
  finish(): { problems: DirectoryProblem[]; unlisted: number } {
    const { problems } = this.file;
    if (!this.fatal) {
      if (this.lists.size === 0) problems.push({ path: FILE_PATH, reason: message('directory.noLists') });
      this.file.providersRead();
      this.file.checkSingleManufacturer(this.providerRecords > 0);
    }
    return { problems: problems.listed, unlisted: problems.unlisted };
  }
}

/**
 * One record of a file that has been validated as a whole, normalized (the import's second pass):
 * the rules across records are not checked again. Undefined when it is no longer valid (the file
 * changed between the passes).
 */
export function normalizeDirectoryRecord(list: DirectoryList, index: number, value: unknown): DirectoryRecord | undefined {
  const file = new FileContext(EMPTY_STORE, new ProblemList(0));
  file.trustReferences = true;
  return readRecord(list, index, value, file);
}

const EMPTY_STORE: StoredDirectory = { providerIds: new Set(), manufacturerIds: new Set(), offerOwners: new Map() };

function readRecord(list: DirectoryList, index: number, value: unknown, file: FileContext): DirectoryRecord | undefined {
  if (list === 'providers') {
    const record = readEach([value], 'providers', 'id', PROVIDER_FIELDS, file.problems, (r) => readProvider(r, file), index)[0];
    return record && { list, record };
  }
  const record = readEach([value], 'licenses', 'key', LICENSE_FIELDS, file.problems, (r) => readLicense(r, file, index), index)[0];
  return record && { list, record };
}

function readProvider(r: Reader, file: FileContext): ProviderRecord | undefined {
  const id = r.required('id', text(MAX_LENGTH.id));
  file.providerIds.claim(id, r, 'id');
  const roles = r.list('roles', oneOf(ProviderRole));
  file.noteRoles(id, roles, r.path);
  const name = r.required('name', text(MAX_LENGTH.name));
  const active = r.required('active', boolean);
  const country = r.required('country', countryCode);
  return complete<ProviderRecord>({
    id,
    name,
    roles,
    active,
    country,
    serviceCountries: r.list('serviceCountries', countryCode),
    languages: r.list('languages', languageCode),
    email: r.optional('email', emailAddress),
    phone: r.optional('phone', text(MAX_LENGTH.phone)),
    website: r.optional('website', webUrl),
    postalAddress: r.optional('postalAddress', text(MAX_LENGTH.postalAddress)),
    businessHours: r.optional('businessHours', trimmed(checks.businessHours)),
    timeZone: r.optional('timeZone', timeZone),
    vatId: r.optional('vatId', vatIdOf(country)),
    firstResponseCommitments: readCommitments(r, file, roles),
    offers: readOffers(r, file, id),
  });
}

/**
 * null when the file gives none (the stored ones stay); undefined when one cannot be read. Checked
 * by the same rules as updateProvider (lib/first-response-commitments.ts), against the record's roles.
 */
function readCommitments(r: Reader, file: FileContext, roles: ProviderRole[] | undefined): FirstResponseCommitment[] | null | undefined {
  const items = r.optional('firstResponseCommitments', array);
  if (!items) return items;
  const path = r.at('firstResponseCommitments');
  const read = allOrNothing(
    readEach(items, path, null, COMMITMENT_FIELDS, file.problems, (c) =>
      complete<FirstResponseCommitment>({
        category: c.required('category', oneOf(SupportCategoryId)),
        businessHours: c.required('businessHours', anything),
      }),
    ),
  );
  if (!read) return undefined;
  const problems = commitmentProblems(read, roles);
  for (const { index, field, reason } of problems) {
    file.problems.push({ path: index === null ? path : `${path}[${index}]${field ? `.${field}` : ''}`, reason });
  }
  return problems.length ? undefined : inCategoryOrder(read);
}

/** null when the file gives no offers (the stored ones stay); undefined when one cannot be read. */
function readOffers(r: Reader, file: FileContext, providerId: string | undefined): OfferRecord[] | null | undefined {
  const items = r.optional('offers', array);
  return items && allOrNothing(readEach(items, r.at('offers'), null, OFFER_FIELDS, file.problems, (o) => readOffer(o, file, providerId)));
}

function readOffer(r: Reader, file: FileContext, providerId: string | undefined): OfferRecord | undefined {
  const id = r.required('id', text(MAX_LENGTH.id));
  file.offerIds.claim(id, r, 'id');
  const owner = id === undefined ? undefined : file.stored.offerOwners.get(id);
  if (id !== undefined && owner !== undefined && providerId !== undefined && owner !== providerId) {
    r.report('id', message('directory.offerOfAnother', { id, owner }));
  }
  const offer = {
    id,
    service: r.required('service', oneOf(ServiceKind)),
    title: r.required('title', text(MAX_LENGTH.title)),
    description: r.optional('description', text(MAX_LENGTH.description)),
    price: readPrice(r.object('price', PRICE_FIELDS)),
    unit: r.required('unit', oneOf(PriceUnit)),
    validFrom: r.optional('validFrom', isoDate),
    validUntil: r.optional('validUntil', isoDate),
  };
  const validity = validityProblem(offer.validFrom, offer.validUntil);
  if (validity) r.report('validUntil', validity);
  return complete<OfferRecord>(offer);
}

function readPrice(r: Reader | undefined): OfferRecord['price'] | undefined {
  return r && complete<OfferRecord['price']>({ amount: r.required('amount', amount), currency: r.required('currency', currencyCode) });
}

function readLicense(r: Reader, file: FileContext, index: number): LicenseRecord | undefined {
  const key = r.required('key', text(MAX_LENGTH.id));
  file.licenseKeys.claim(key, r, 'key', index);
  return complete<LicenseRecord>({
    key,
    packageName: r.required('packageName', text(MAX_LENGTH.name)),
    type: r.required('type', oneOf(LicenseType)),
    programVersion: r.required('programVersion', text(MAX_LENGTH.programVersion)),
    status: r.required('status', oneOf(LicenseStatus)),
    holder: readHolder(r.object('holder', HOLDER_FIELDS)),
    vendorId: file.providerReference(r, 'vendorId'),
    supportPartnerId: file.providerReference(r, 'supportPartnerId'),
    maintenancePaidThrough: r.optional('maintenancePaidThrough', isoDate),
    accessCode: r.optional('accessCode', accessCode),
  });
}

function readHolder(r: Reader | undefined): LicenseRecord['holder'] | undefined {
  if (!r) return undefined;
  const name = r.required('name', text(MAX_LENGTH.name));
  const country = r.required('country', countryCode);
  return complete<LicenseRecord['holder']>({ name, country, language: r.required('language', languageCode), vatId: r.optional('vatId', vatIdOf(country)) });
}

// ---------------------------------------------------------------------------------------------
// Rules across records

/**
 * Remembers where each id was first seen in the file, and reports the repeats. For the records of
 * a list (`list` given) it keeps the record's position and writes the path only for a repeat:
 * a million license keys must not hold a million paths.
 */
class FirstSeen {
  private readonly firstAt = new Map<string, string | number>();

  constructor(
    /** What the ids are, as directory.duplicate names them. */
    private readonly kind: 'provider' | 'offer' | 'license',
    private readonly list?: DirectoryList,
  ) {}

  has(id: string): boolean {
    return this.firstAt.has(id);
  }

  claim(id: string | undefined, r: Reader, field: string, index?: number): void {
    if (id === undefined) return;
    const first = this.firstAt.get(id);
    // A copy of the id: a string cut from the parser's read buffer may keep the whole buffer alive.
    if (first === undefined) this.firstAt.set(ownCopy(id), this.list !== undefined && index !== undefined ? index : r.path);
    else r.report(field, message('directory.duplicate', { kind: this.kind, id, first: typeof first === 'number' ? `${this.list}[${first}] (${id})` : first }));
  }
}

/** A flat copy of a string (not a slice or a concatenation that refers to a larger one). */
const ownCopy = (text: string) => (text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8'));

/** The problems of a file: the first `max` listed, the rest counted. */
class ProblemList {
  readonly listed: DirectoryProblem[] = [];
  unlisted = 0;

  constructor(private readonly max: number) {}

  push(problem: DirectoryProblem): void {
    if (this.listed.length < this.max) this.listed.push(problem);
    else this.unlisted++;
  }
}

class FileContext {
  readonly providerIds = new FirstSeen('provider');
  readonly offerIds = new FirstSeen('offer');
  readonly licenseKeys = new FirstSeen('license', 'licenses');
  private readonly manufacturers: { id: string; path: string }[] = [];
  private readonly declaredWithoutManufacturerRole = new Set<string>();
  /** References to providers not seen yet, while the file's providers are still to come: id -> the fields' paths. */
  private readonly pendingReferences = new Map<string, string[]>();
  private allProvidersRead = false;
  /** The second pass of an import: references were checked in the first. */
  trustReferences = false;

  constructor(
    readonly stored: StoredDirectory,
    readonly problems: ProblemList,
  ) {}

  /** From now on every provider of the file is known: references still pending are problems. */
  providersRead(): void {
    if (this.allProvidersRead) return;
    this.allProvidersRead = true;
    for (const [id, paths] of this.pendingReferences) {
      if (this.providerIds.has(id)) continue;
      for (const path of paths)
        this.problems.push({ path, reason: message('directory.unknownProvider', { field: path.slice(path.lastIndexOf('.') + 1), id }) });
    }
    this.pendingReferences.clear();
  }

  noteRoles(id: string | undefined, roles: ProviderRole[] | undefined, path: string): void {
    if (id === undefined || roles === undefined) return;
    if (roles.includes(ProviderRole.MANUFACTURER)) this.manufacturers.push({ id, path });
    else this.declaredWithoutManufacturerRole.add(id);
  }

  /**
   * An optional provider id that must name a provider of the file or of the store. A file whose
   * licenses come before its providers has the check wait until the providers are read.
   */
  providerReference(r: Reader, field: string): string | null | undefined {
    const id = r.optional(field, text(MAX_LENGTH.id));
    if (!id || this.trustReferences || this.providerIds.has(id) || this.stored.providerIds.has(id)) return id;
    if (this.allProvidersRead) {
      r.report(field, message('directory.unknownProvider', { field, id }));
    } else {
      const paths = this.pendingReferences.get(id) ?? [];
      if (paths.length === 0) this.pendingReferences.set(ownCopy(id), paths);
      paths.push(r.at(field));
    }
    return id;
  }

  /**
   * Exactly one manufacturer after the import: the stored ones the file does not strip of the role
   * come first, then the file's in order; every further one is a problem at its record. None at
   * all is a problem when the file declares providers.
   */
  checkSingleManufacturer(fileHasProviders: boolean): void {
    const stored = [...this.stored.manufacturerIds];
    const kept = stored.filter((id) => !this.declaredWithoutManufacturerRole.has(id));
    const newcomers = this.manufacturers.filter((m) => !this.stored.manufacturerIds.has(m.id));
    const theOne = kept[0] ?? newcomers[0]?.id;
    for (const m of newcomers) {
      if (m.id !== theOne) {
        this.problems.push({ path: `${m.path}.roles`, reason: message('directory.secondManufacturer', { id: m.id, manufacturer: theOne }) });
      }
    }
    if (theOne === undefined && fileHasProviders) {
      const stripped = stored.filter((id) => this.declaredWithoutManufacturerRole.has(id));
      this.problems.push({
        path: 'providers',
        reason: stripped.length ? message('directory.manufacturerStripped', { ids: `"${stripped.join('", "')}"` }) : message('directory.noManufacturer'),
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading fields

class Invalid {
  constructor(readonly reason: Message) {}
}

/** Turns a raw JSON value into a normalized one, or says why it cannot. */
type Parser<T> = (value: unknown) => T | Invalid;

/** A record while it is read: undefined marks a field that could not be read (a problem says why). */
type Draft<T> = { [K in keyof T]: T[K] | undefined };

type ProblemSink = { push(problem: DirectoryProblem): void };

/** Reads the fields of one JSON object, reporting problems under its path. */
class Reader {
  private constructor(
    readonly path: string,
    private readonly fields: Record<string, unknown>,
    private readonly problems: ProblemSink,
  ) {}

  /** The object at `path`, allowed to carry only `allowed` fields; undefined when it is not an object. */
  static open(value: unknown, path: string, allowed: readonly string[], problems: ProblemSink): Reader | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ path: path || FILE_PATH, reason: path ? message('directory.notAnObject', { field: path }) : message('directory.fileNotAnObject') });
      return undefined;
    }
    const reader = new Reader(path, value as Record<string, unknown>, problems);
    for (const name of Object.keys(value)) {
      if (!allowed.includes(name)) reader.report(name, message('directory.unknownField', { field: name, allowed: allowed.join(', ') }));
    }
    return reader;
  }

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  report(field: string, reason: Message): void {
    this.problems.push({ path: this.at(field), reason });
  }

  required<T>(field: string, parse: Parser<T>): T | undefined {
    const value = this.present(field);
    return value === undefined ? undefined : this.parse(field, value, parse);
  }

  /** Absent, null and blank strings read as null. */
  optional<T>(field: string, parse: Parser<T>): T | null | undefined {
    const value = this.get(field);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
    return this.parse(field, value, parse);
  }

  /** A required, non-empty list without repeats; the items that could be read. */
  list<T extends string>(field: string, item: Parser<T>): T[] | undefined {
    const values = this.required(field, array);
    if (values === undefined) return undefined;
    if (values.length === 0) this.report(field, message('field.empty', { field }));
    const items: T[] = [];
    values.forEach((value, i) => {
      const parsed = this.parse(`${field}[${i}]`, value, item);
      if (parsed !== undefined && items.includes(parsed)) this.report(`${field}[${i}]`, message('field.repeats', { field: `${field}[${i}]`, value: parsed }));
      else if (parsed !== undefined) items.push(parsed);
    });
    return items;
  }

  /** A required nested object. */
  object(field: string, allowed: readonly string[]): Reader | undefined {
    const value = this.present(field);
    return value === undefined ? undefined : Reader.open(value, this.at(field), allowed, this.problems);
  }

  private get(field: string): unknown {
    return Object.hasOwn(this.fields, field) ? this.fields[field] : undefined;
  }

  /** The value of a required field; undefined (reported) when it is absent or null. */
  private present(field: string): unknown {
    const value = this.get(field);
    if (value !== undefined && value !== null) return value;
    this.report(field, message('field.required', { field }));
    return undefined;
  }

  private parse<T>(field: string, value: unknown, parse: Parser<T>): T | undefined {
    const result = parse(value);
    if (!(result instanceof Invalid)) return result;
    this.report(field, message('field.refused', { field, reason: result.reason }));
    return undefined;
  }
}

/** Opens each element of `items` as a record at `name[i]` (labelled with its id when it has one) and reads it. */
function readEach<T>(
  items: unknown[],
  name: string,
  idField: string | null,
  allowed: readonly string[],
  problems: ProblemSink,
  read: (r: Reader) => T | undefined,
  first = 0,
): (T | undefined)[] {
  return items.map((item, i) => {
    const r = Reader.open(item, recordPath(`${name}[${first + i}]`, item, idField), allowed, problems);
    return r && read(r);
  });
}

function recordPath(path: string, item: unknown, idField: string | null): string {
  const id = idField && typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[idField] : undefined;
  return typeof id === 'string' && id.trim() !== '' ? `${path} (${id.trim()})` : path;
}

function complete<T extends object>(draft: Draft<T>): T | undefined {
  return Object.values(draft).includes(undefined) ? undefined : (draft as T);
}

function allOrNothing<T>(items: (T | undefined)[]): T[] | undefined {
  return items.every(isDefined) ? items : undefined;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Parsers

/** A trimmed string, read by one of the shared checks (lib/validation.ts): the same rules as the API's. */
function trimmed(check: checks.Check, notAString = message('directory.notAString')): Parser<string> {
  return (value) => {
    if (typeof value !== 'string') return new Invalid(notAString);
    const read = checks.readValue(check, value);
    return read.ok ? read.value : new Invalid(read.reason);
  };
}

/** Non-empty text that fits its column. */
const text = (max: number) => trimmed(checks.text(max));
const countryCode = trimmed(checks.countryCode);
const languageCode = trimmed(checks.languageCode);
const currencyCode = trimmed(checks.currencyCode);
const isoDate = trimmed(checks.isoDate);
const emailAddress = trimmed(checks.bounded(checks.emailAddress, MAX_LENGTH.email));
const webUrl = trimmed(checks.bounded(checks.webUrl, MAX_LENGTH.website));
const timeZone = trimmed(checks.bounded(checks.timeZone, MAX_LENGTH.timeZone));
const amount = trimmed(checks.amount, message('directory.amountNotAString'));
/** A VAT id in its country's format (the record's country, read before it). */
const vatIdOf = (country: string | undefined) => trimmed(checks.vatIdOf(country));
/** A code as printed (normalized), or its stored form (`scrypt$…`, checked strictly: lib/access-codes.ts). */
const accessCode: Parser<AccessCodeInFile> = (value) => {
  if (typeof value !== 'string') return new Invalid(message('directory.notAString'));
  if (looksStored(value)) {
    const problem = storedAccessCodeProblem(value);
    // The stored form's problem is the import's own (a file made by our tools): quoted in English.
    return problem ? new Invalid(message('directory.hashedAccessCode', { problem })) : { hash: value.trim() };
  }
  const problem = accessCodeProblem(value);
  return problem ? new Invalid(message('directory.accessCode', { problem })) : { code: normalizeAccessCode(value)! };
};

/** Any present value: its own rule checks it further (commitments' hours, with the API's wording). */
const anything: Parser<number> = (value) => value as number;
const boolean: Parser<boolean> = (value) => (typeof value === 'boolean' ? value : new Invalid(message('directory.notABoolean')));
const array: Parser<unknown[]> = (value) => (Array.isArray(value) ? value : new Invalid(message('directory.notAnArray')));

function oneOf<E extends string>(enumeration: Record<string, E>): Parser<E> {
  const values: readonly unknown[] = Object.values(enumeration);
  return (value) =>
    values.includes(value) ? (value as E) : new Invalid(message('directory.notOneOf', { values: values.join(', '), value: String(JSON.stringify(value)) }));
}
