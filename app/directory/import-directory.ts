/**
 * Loads a directory file (docs/directory-file.md) into the providers and licenses databases, all or
 * nothing: under the import lock, the file is validated as a whole against what is stored, then
 * written as upserts, in one transaction over both databases (see import-session.ts for how one
 * transaction spans two databases, per dialect). The database itself enforces the directory's
 * invariants too (one manufacturer; an offer stays with its provider); should a write slip past the
 * validator, the transaction fails with ImportRefused and nothing changes.
 *
 * In flat memory, whatever the file's size: the file is read twice as a stream of records
 * (lib/directory/directory-entries.ts), once to validate it, once to write it in batches (each
 * batch one read of what is stored and a few statements; the ORM's identity map emptied after it).
 * A file read from disk must have the same bytes both times (SHA-256), or nothing is imported.
 * Plain access codes are hashed a batch at a time, `hashConcurrency` at once on libuv's thread pool.
 */
import { bumpDirectoryVersion } from '../../lib/directory-changes';
import { ProviderRole } from '../../lib/domain';
import { Provider, PROVIDER_ONE_MANUFACTURER } from '../../subgraphs/providers/provider/provider.entity';
import { Offer } from '../../subgraphs/providers/offer/offer.entity';
import { differs, importOperator, offerState, providerState, recordAuditEntry, type OfferState } from '../../subgraphs/providers/audit/audit-trail';
import { License } from '../../subgraphs/licenses/license/license.entity';
import { LicenseAccessCode } from '../../subgraphs/licenses/access-code/access-code.entity';
import { replaceAccessCodes, revokeAccessCodes } from '../../subgraphs/licenses/access-code/access-code-store';
import { ACCESS_CODE_HASH_MEMORY, hashAccessCode, verifyAccessCode } from '../../lib/access-codes';
import type { SubgraphEM } from '../../lib/orm';
import {
  DirectoryValidator,
  normalizeDirectoryRecord,
  type DirectoryProblem,
  type StoredDirectory,
  type DirectoryFile,
  type LicenseRecord,
  type ProviderRecord,
} from '../../lib/directory/directory-file';
import { entriesOf, readDirectoryEntries, type DirectoryEntry } from '../../lib/directory/directory-entries';
import { openImportSession, type DirectoryDatabases } from './import-session';

export { ImportLockTimeout, type DirectoryDatabases } from './import-session';
export { DirectoryFileUnreadable } from '../../lib/directory/directory-entries';

/** `unlisted`: problems beyond the first MAX_LISTED_PROBLEMS, counted only (a broken file of a million records lists a thousand). */
export type ImportResult = { ok: true; providers: number; offers: number; licenses: number } | { ok: false; problems: DirectoryProblem[]; unlisted: number };

/** A directory file on disk, read as a stream (twice: validated, then written). Any other input is a parsed directory file. */
export class DirectoryFileOnDisk {
  constructor(readonly path: string) {}
}

/** The most problems an import lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 1000;
/** Records written per batch: one read of what is stored and a few statements each. */
const BATCH = 500;
/**
 * Memory that hashing codes may take at once: scrypt at our cost takes 32 MiB a hash, so four run
 * at a time at most, whatever the cores (within the import's 300 MiB).
 */
const HASHING_MEMORY = 128 * 1024 * 1024;
export const MAX_HASH_CONCURRENCY = Math.max(1, Math.floor(HASHING_MEMORY / ACCESS_CODE_HASH_MEMORY));

/** The file changed on disk between the import's two passes: nothing is imported. */
export class DirectoryFileChanged extends Error {
  constructor() {
    super('the file changed while it was imported (its bytes differ between validating and writing); nothing imported');
  }
}

/**
 * The moments of an import, in order: the lock is held (nothing written yet); the providers side
 * is written; the licenses side is written (the transaction is not committed yet); committed.
 */
export const IMPORT_STEPS = ['locked', 'providers-written', 'licenses-written', 'committed'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

export interface ImportOptions {
  /** How long to wait for another import's lock before failing with ImportLockTimeout. */
  lockTimeoutMs?: number;
  /** Called as each step is reached (the CLI's test hook pauses here, see scripts/import.ts). */
  onStep?: (step: ImportStep) => Promise<void> | void;
  /** Called once all records are validated, then as each provider or license is written. */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * How many access codes are hashed (or checked) at once: at most the threads of libuv's pool
   * (UV_THREADPOOL_SIZE, set by the entry point) and MAX_HASH_CONCURRENCY. Default 2.
   */
  hashConcurrency?: number;
  /**
   * Called every GARBAGE_EVERY records in each pass. V8 lets its heap grow well past what is live
   * before it collects (a pass over a million records leaves ~200 MB of garbage behind before V8
   * acts), so an entry point that bounds the import's memory collects here (scripts/import.ts).
   */
  collectGarbage?: () => void;
}

export const GARBAGE_EVERY = 10_000;

/** How far an import has got: all records validated (once), then each provider or license written. */
export interface ImportProgress {
  stage: 'validated' | 'written';
  records: number;
  total: number;
}

export const DEFAULT_IMPORT_LOCK_TIMEOUT_MS = 60_000;

/** The database refused a write that would break one of the directory's invariants. */
export class ImportRefused extends Error {}

async function readStoredDirectory(em: SubgraphEM): Promise<StoredDirectory> {
  const providers = await em.find(Provider, {}, { fields: ['id', 'roles'] });
  const offers = await em.find(Offer, {}, { fields: ['id', 'provider'] });
  return {
    providerIds: new Set(providers.map((p) => p.id)),
    manufacturerIds: new Set(providers.filter((p) => p.roles.includes(ProviderRole.MANUFACTURER)).map((p) => p.id)),
    offerOwners: new Map(offers.map((o) => [o.id, o.provider.id])),
  };
}

/** The first pass: every entry checked, no record kept. */
async function validate(entries: AsyncIterable<DirectoryEntry> | Iterable<DirectoryEntry>, stored: StoredDirectory, options: ImportOptions) {
  const validator = new DirectoryValidator(stored, MAX_LISTED_PROBLEMS);
  for await (const entry of entries) {
    validator.add(entry);
    if (entry.kind === 'record' && validator.records % GARBAGE_EVERY === 0) options.collectGarbage?.();
  }
  return { ...validator.finish(), records: validator.records };
}

/** One pass over the input: its entries, and (for a file on disk) the digest of the bytes read. */
function readInput(input: unknown): { entries: AsyncIterable<DirectoryEntry> | Iterable<DirectoryEntry>; digest?: Promise<string> } {
  return input instanceof DirectoryFileOnDisk ? readDirectoryEntries(input.path) : { entries: entriesOf(input) };
}

export async function importDirectory(input: unknown, databases: DirectoryDatabases, options: ImportOptions = {}): Promise<ImportResult> {
  const step = async (name: ImportStep) => options.onStep?.(name);
  const session = await openImportSession(databases, options.lockTimeoutMs ?? DEFAULT_IMPORT_LOCK_TIMEOUT_MS);
  try {
    const result = await session.transactional(async (tx): Promise<ImportResult> => {
      await step('locked');
      // Read under the lock: a concurrent import has committed or not started, never half.
      // First pass: validate, keeping no record.
      const validating = readInput(input);
      const { problems, unlisted, records: total } = await validate(validating.entries, await readStoredDirectory(tx.providers), options);
      if (problems.length > 0) return { ok: false, problems, unlisted };
      // What the validator kept (every id of the file) is garbage now: collected before writing.
      options.collectGarbage?.();
      options.onProgress?.({ stage: 'validated', records: total, total });

      // Second pass: write, in batches, in this one transaction.
      let written = 0;
      const writer = new DirectoryWriter(tx, Math.max(1, Math.min(options.hashConcurrency ?? 2, MAX_HASH_CONCURRENCY)), () =>
        options.onProgress?.({ stage: 'written', records: ++written, total }),
      );
      const writing = readInput(input);
      let providersDone = false;
      let read = 0;
      for await (const entry of writing.entries) {
        if (entry.kind === 'record') {
          const record = normalizeDirectoryRecord(entry.list, entry.index, entry.value);
          if (!record) throw new DirectoryFileChanged();
          await writer.add(record);
          if (++read % GARBAGE_EVERY === 0) options.collectGarbage?.();
        } else if (entry.kind === 'list-end' && entry.list === 'providers') {
          await writer.providersEnd();
          // The providers side of the import. It commits together with the licenses side, at the
          // end of this transaction: whatever must change with the providers is written by now.
          await step('providers-written');
          providersDone = true;
        }
      }
      if (!providersDone) {
        await writer.providersEnd();
        await step('providers-written');
      }
      await writer.licensesEnd();
      if (writing.digest && (await writing.digest) !== (await validating.digest)) throw new DirectoryFileChanged();
      // The change marker commits with the change; the providers subgraph's feeds in this process
      // hear of it at the commit, others through the marker (or Redis).
      await bumpDirectoryVersion(tx.providers, { notify: databases.providers });
      await step('licenses-written');
      return { ok: true, providers: writer.providers, offers: writer.offers, licenses: writer.licenses };
    });
    if (result.ok) await step('committed');
    return result;
  } catch (error) {
    throw refusal(error) ?? error;
  } finally {
    await session.close();
  }
}

/** A violation of a directory invariant, from either dialect, as a message naming the rule. */
function refusal(error: unknown): ImportRefused | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes(PROVIDER_ONE_MANUFACTURER)) {
    return new ImportRefused(`the database refused a second MANUFACTURER (index ${PROVIDER_ONE_MANUFACTURER}): the directory has exactly one`);
  }
  if (message.includes('offer_provider_fixed')) {
    return new ImportRefused('the database refused to move an offer to another provider (trigger offer_provider_fixed): an offer belongs to its provider');
  }
  return undefined;
}

/**
 * Writes a validated file's records as they come, a batch at a time. Providers with the
 * MANUFACTURER role are held back until the other providers are written (see writeProviders).
 */
class DirectoryWriter {
  providers = 0;
  offers = 0;
  licenses = 0;
  private providerBatch: ProviderRecord[] = [];
  private readonly manufacturers: ProviderRecord[] = [];
  private licenseBatch: LicenseRecord[] = [];

  constructor(
    private readonly tx: { providers: SubgraphEM; licenses: SubgraphEM },
    private readonly hashConcurrency: number,
    private readonly wrote: () => void,
  ) {}

  async add(record: ReturnType<typeof normalizeDirectoryRecord> & object): Promise<void> {
    if (record.list === 'providers') {
      this.providers++;
      this.offers += record.record.offers?.length ?? 0;
      if (record.record.roles.includes(ProviderRole.MANUFACTURER)) this.manufacturers.push(record.record);
      else this.providerBatch.push(record.record);
      if (this.providerBatch.length >= BATCH) await this.flushProviders(this.providerBatch.splice(0));
    } else {
      this.licenses++;
      this.licenseBatch.push(record.record);
      if (this.licenseBatch.length >= BATCH) await this.flushLicenses();
    }
  }

  /** Every provider of the file has been read: the rest of them, then the manufacturer(s). */
  async providersEnd(): Promise<void> {
    await this.flushProviders(this.providerBatch.splice(0));
    await this.flushProviders(this.manufacturers.splice(0));
  }

  async licensesEnd(): Promise<void> {
    await this.flushLicenses();
  }

  private async flushProviders(batch: ProviderRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await writeProviders(this.tx.providers, { providers: batch, licenses: [] }, this.wrote);
    // What was written stays in the database, not in the ORM's identity map.
    this.tx.providers.clear();
  }

  private async flushLicenses(): Promise<void> {
    const batch = this.licenseBatch.splice(0);
    if (batch.length === 0) return;
    await writeLicenses(this.tx.licenses, batch, this.hashConcurrency, this.wrote);
    this.tx.licenses.clear();
  }
}

/**
 * Writes the file's providers and offers. Like a partner's change, an import is a change: each
 * provider or offer it changes gets its next version, and each change an audit entry (the operator
 * as the actor, before and after). Records the file repeats unchanged keep their version and get no
 * entry, so importing the same file again changes nothing.
 */
async function writeProviders(em: SubgraphEM, { providers }: DirectoryFile, wrote: () => void): Promise<void> {
  const ids = providers.map((p) => p.id);
  const storedProviders = new Map((await em.find(Provider, { id: { $in: ids } })).map((p) => [p.id, providerState(p)]));
  const storedOffers = new Map<string, Map<string, OfferState>>();
  for (const offer of await em.find(Offer, { provider: { $in: ids } })) {
    const list = storedOffers.get(offer.provider.id) ?? new Map<string, OfferState>();
    storedOffers.set(offer.provider.id, list);
    list.set(offer.id, offerState(offer));
  }
  const actor = importOperator();
  const entry = (providerId: string, subjectType: 'provider' | 'offer', subjectId: string, before: object | null, after: object | null) =>
    recordAuditEntry(em, { actor, action: 'import', providerId, subjectType, subjectId, before, after });

  // The manufacturer index is checked row by row: a file that hands the role from one provider to
  // another must take it away before giving it, so providers without the role are written first.
  const isManufacturer = (p: DirectoryFile['providers'][number]) => p.roles.includes(ProviderRole.MANUFACTURER);
  for (const { offers, firstResponseCommitments, ...fields } of [...providers.filter((p) => !isManufacturer(p)), ...providers.filter(isManufacturer)]) {
    const before = storedProviders.get(fields.id) ?? null;
    // Commitments, like offers, are kept when the file omits them (a partner may have set its own since).
    const provider = { ...fields, firstResponseCommitments: firstResponseCommitments ?? before?.firstResponseCommitments ?? [] };
    const oldOffers = storedOffers.get(provider.id) ?? new Map<string, OfferState>();
    // A provider's price list is replaced as a whole when the file gives one; kept when it omits it.
    const offerRows = (offers ?? []).map(({ price, ...offer }) => {
      const old = oldOffers.get(offer.id) ?? null;
      const content = offerState({ ...offer, amount: price.amount, currency: price.currency, version: old?.version ?? 0 });
      const version = old === null ? 1 : differs(old, content) ? old.version + 1 : old.version;
      return { id: offer.id, old, state: { ...content, version } };
    });
    const changedOffers = offerRows.filter((o) => o.old === null || o.old.version !== o.state.version);
    const removedOffers = offers === null ? [] : [...oldOffers].filter(([id]) => !offerRows.some((o) => o.id === id));
    const profile = providerState({ ...provider, version: before?.version ?? 0 });
    const profileChanged = before === null || differs(before, profile);
    const offersChanged = changedOffers.length > 0 || removedOffers.length > 0;
    // The provider's version goes up with any change to it or its offers (docs/api.md), once per import.
    const version = before === null ? 1 : profileChanged || offersChanged ? before.version + 1 : before.version;

    await em.upsert(Provider, { ...provider, version });
    if (profileChanged) await entry(provider.id, 'provider', provider.id, before, { ...profile, version });
    wrote();
    if (offers === null) continue;
    await em.nativeDelete(Offer, { provider: provider.id, id: { $nin: offerRows.map((o) => o.id) } });
    for (const [id, old] of removedOffers) await entry(provider.id, 'offer', id, old, null);
    for (const { id, state } of offerRows) {
      await em.upsert(Offer, { id, ...state, provider: em.getReference(Provider, provider.id) });
    }
    for (const { id, old, state } of changedOffers) await entry(provider.id, 'offer', id, old, state);
  }
}

/**
 * Writes a batch of the file's licenses. A license the file changes gets its next version
 * (transferLicense and the other lifecycle mutations name the version they were based on); one
 * repeated unchanged keeps it.
 */
async function writeLicenses(em: SubgraphEM, licenses: LicenseRecord[], hashConcurrency: number, wrote: () => void): Promise<void> {
  const stored = new Map((await em.find(License, { key: { $in: licenses.map((l) => l.key) } })).map((l) => [l.key, l]));
  const content = (l: Omit<LicenseRecord, 'accessCode'> | License) =>
    JSON.stringify([
      l.packageName,
      l.type,
      l.programVersion,
      l.status,
      l.holder.name,
      l.holder.country,
      l.holder.language,
      l.holder.vatId ?? null,
      l.vendorId ?? null,
      l.supportPartnerId ?? null,
      l.maintenancePaidThrough ?? null,
    ]);
  const operator = importOperator();
  const holderOf = (l: { holder: { name: string; country: string; language: string; vatId?: string | null } }) =>
    JSON.stringify([l.holder.name, l.holder.country, l.holder.language, l.holder.vatId ?? null]);
  const actor = { actorRole: 'operator', actorSub: operator.sub, actorProvider: null };
  const rows = licenses.map(({ accessCode: _code, ...license }) => {
    const before = stored.get(license.key);
    return { ...license, version: !before ? 1 : content(before) === content(license) ? before.version : before.version + 1 };
  });
  await em.upsertMany(License, rows);
  for (const license of licenses) {
    const before = stored.get(license.key);
    // Another holder is a transfer: the previous holder's codes, and every token signed in with
    // them, end, as with transferLicense (docs/sign-in.md "What ends when").
    if (before && holderOf(before) !== holderOf(license)) await revokeAccessCodes(em, license.key, actor, 'transferLicense');
  }
  // A code the license already has is left as it is (the import is idempotent: the same stored
  // form, or a plain code that matches it); another one replaces it, recorded in the license's
  // access trail like an issued code. Checking and hashing run `hashConcurrency` at once.
  const withCode = licenses.filter((l) => l.accessCode !== null);
  if (withCode.length > 0) {
    const inForce = await em.find(LicenseAccessCode, { licenseKey: { $in: withCode.map((l) => l.key) }, revokedAt: null }, { fields: ['licenseKey', 'hash'] });
    const current = new Map(inForce.map((c) => [c.licenseKey, c.hash]));
    const hashes = await mapBounded(withCode, hashConcurrency, async ({ key, accessCode }) => {
      const hash = current.get(key);
      if ('hash' in accessCode!) return accessCode.hash === hash ? undefined : accessCode.hash;
      return hash !== undefined && (await verifyAccessCode(accessCode!.code, hash)) ? undefined : hashAccessCode(accessCode!.code);
    });
    const replaced = withCode.flatMap(({ key }, i) => (hashes[i] === undefined ? [] : [{ licenseKey: key, hash: hashes[i] }]));
    await replaceAccessCodes(em, replaced, `import:${operator.sub ?? 'unknown'}`, actor, 'import');
  }
  for (let i = 0; i < licenses.length; i++) wrote();
}

/**
 * `work` over `items`, at most `limit` at once, results in order. A dozen lines rather than a
 * package: p-limit, the usual one, is ESM only, which this CommonJS build cannot load.
 */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
