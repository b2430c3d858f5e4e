/**
 * Loads a directory file (docs/directory-file.md) into the providers and licenses databases, all or
 * nothing: under the import lock, the file is validated as a whole against what is stored, then
 * written as upserts, in one transaction over both databases (see import-session.ts for how one
 * transaction spans two databases, per dialect). The database itself enforces the directory's
 * invariants too (one manufacturer; an offer stays with its provider); should a write slip past the
 * validator, the transaction fails with ImportRefused and nothing changes.
 */
import { bumpDirectoryVersion } from '../../lib/directory-changes';
import { ProviderRole } from '../../lib/domain';
import { Provider, PROVIDER_ONE_MANUFACTURER } from '../../subgraphs/providers/provider/provider.entity';
import { Offer } from '../../subgraphs/providers/offer/offer.entity';
import { differs, importOperator, offerState, providerState, recordAuditEntry, type OfferState } from '../../subgraphs/providers/audit/audit-trail';
import { License } from '../../subgraphs/licenses/license/license.entity';
import { LicenseAccessCode } from '../../subgraphs/licenses/access-code/access-code.entity';
import { recordAccessEvent, replaceAccessCode, revokeAccessCodes } from '../../subgraphs/licenses/access-code/access-code-store';
import { verifyAccessCode } from '../../lib/access-codes';
import type { SubgraphEM } from '../../lib/orm';
import { validateDirectoryFile, type DirectoryProblem, type StoredDirectory, type DirectoryFile, type LicenseRecord } from '../../lib/directory/directory-file';
import { openImportSession, type DirectoryDatabases } from './import-session';

export { ImportLockTimeout, type DirectoryDatabases } from './import-session';

export type ImportResult = { ok: true; providers: number; offers: number; licenses: number } | { ok: false; problems: DirectoryProblem[] };

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
}

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

export async function importDirectory(input: unknown, databases: DirectoryDatabases, options: ImportOptions = {}): Promise<ImportResult> {
  const step = async (name: ImportStep) => options.onStep?.(name);
  const session = await openImportSession(databases, options.lockTimeoutMs ?? DEFAULT_IMPORT_LOCK_TIMEOUT_MS);
  try {
    const result = await session.transactional(async (tx): Promise<ImportResult> => {
      await step('locked');
      // Read under the lock: a concurrent import has committed or not started, never half.
      const { directory, problems } = validateDirectoryFile(input, await readStoredDirectory(tx.providers));
      if (problems.length > 0) return { ok: false, problems };
      // The providers side of the import. It commits together with the licenses side, at the
      // end of this transaction: whatever must change with the providers goes here.
      const total = directory.providers.length + directory.licenses.length;
      options.onProgress?.({ stage: 'validated', records: total, total });
      let written = 0;
      const wrote = () => options.onProgress?.({ stage: 'written', records: ++written, total });
      await writeProviders(tx.providers, directory, wrote);
      await step('providers-written');
      await writeLicenses(tx.licenses, directory, wrote);
      // The change marker commits with the change; the providers subgraph's feeds in this process
      // hear of it at the commit, others through the marker (or Redis).
      await bumpDirectoryVersion(tx.providers, { notify: databases.providers });
      await step('licenses-written');
      return {
        ok: true,
        providers: directory.providers.length,
        offers: directory.providers.reduce((n, p) => n + (p.offers?.length ?? 0), 0),
        licenses: directory.licenses.length,
      };
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
 * Writes the file's licenses. A license the file changes gets its next version (transferLicense and
 * the other lifecycle mutations name the version they were based on); one repeated unchanged keeps it.
 */
async function writeLicenses(em: SubgraphEM, { licenses }: DirectoryFile, wrote: () => void): Promise<void> {
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
  for (const { accessCode, ...license } of licenses) {
    const before = stored.get(license.key);
    const version = !before ? 1 : content(before) === content(license) ? before.version : before.version + 1;
    await em.upsert(License, { ...license, version });
    const actor = { actorRole: 'operator', actorSub: operator.sub, actorProvider: null };
    // Another holder is a transfer: the previous holder's codes, and every token signed in with
    // them, end, as with transferLicense (docs/sign-in.md "What ends when").
    if (before && holderOf(before) !== holderOf(license)) await revokeAccessCodes(em, license.key, actor, 'transferLicense');
    // A code the license already has is left as it is (the import is idempotent); another one
    // replaces it, recorded in the license's access trail like an issued code.
    if (accessCode) {
      const current = await em.findOne(LicenseAccessCode, { licenseKey: license.key, revokedAt: null });
      if (!current || !(await verifyAccessCode(accessCode, current.hash))) {
        const codeId = await replaceAccessCode(em, license.key, accessCode, `import:${operator.sub ?? 'unknown'}`);
        await recordAccessEvent(em, { licenseKey: license.key, action: 'import', ...actor, codeId });
      }
    }
    wrote();
  }
}
