/**
 * Loads a directory file (CONTRACT.md format) into the providers and licenses databases:
 * validated first as a whole, then written as upserts in one transaction per database, the
 * licenses transaction nested in the providers one so a failure in either rolls back both.
 */
import type { SubgraphORM } from '../orm';
import { ProviderRole } from '../domain';
import { Provider } from '../../subgraphs/providers/provider/provider.entity';
import { Offer } from '../../subgraphs/providers/offer/offer.entity';
import { License } from '../../subgraphs/licenses/license/license.entity';
import { validateDirectoryFile, type DirectoryProblem, type StoredDirectory, type DirectoryFile } from './directory-file';

export interface DirectoryDatabases {
  providers: SubgraphORM;
  licenses: SubgraphORM;
}

export type ImportResult =
  | { ok: true; providers: number; offers: number; licenses: number }
  | { ok: false; problems: DirectoryProblem[] };

async function readStoredDirectory(orm: SubgraphORM): Promise<StoredDirectory> {
  const em = orm.em.fork();
  const providers = await em.find(Provider, {}, { fields: ['id', 'roles'] });
  const offers = await em.find(Offer, {}, { fields: ['id', 'provider'] });
  return {
    providerIds: new Set(providers.map((p) => p.id)),
    manufacturerIds: new Set(providers.filter((p) => p.roles.includes(ProviderRole.MANUFACTURER)).map((p) => p.id)),
    offerOwners: new Map(offers.map((o) => [o.id, o.provider.id])),
  };
}

/** How far an import has got: all records validated (once), then each provider or license written. */
export interface ImportProgress {
  stage: 'validated' | 'written';
  records: number;
  total: number;
}

export async function importDirectory(input: unknown, databases: DirectoryDatabases, onProgress?: (progress: ImportProgress) => void): Promise<ImportResult> {
  const { directory, problems } = validateDirectoryFile(input, await readStoredDirectory(databases.providers));
  if (problems.length > 0) return { ok: false, problems };
  const total = directory.providers.length + directory.licenses.length;
  onProgress?.({ stage: 'validated', records: total, total });
  let written = 0;
  const wrote = () => onProgress?.({ stage: 'written', records: ++written, total });
  await databases.providers.em.fork().transactional(async (providersTx) => {
    await writeProviders(providersTx as any, directory, wrote);
    await databases.licenses.em.fork().transactional((licensesTx) => writeLicenses(licensesTx as any, directory, wrote));
  });
  return {
    ok: true,
    providers: directory.providers.length,
    offers: directory.providers.reduce((n, p) => n + (p.offers?.length ?? 0), 0),
    licenses: directory.licenses.length,
  };
}

async function writeProviders(em: SubgraphORM['em'], { providers }: DirectoryFile, wrote: () => void): Promise<void> {
  for (const { offers, ...provider } of providers) {
    await em.upsert(Provider, provider);
    wrote();
    // A provider's price list is replaced as a whole when the file gives one; kept when it omits it.
    if (offers === null) continue;
    await em.nativeDelete(Offer, { provider: provider.id, id: { $nin: offers.map((o) => o.id) } });
    for (const { price, ...offer } of offers) {
      await em.upsert(Offer, { ...offer, amount: price.amount, currency: price.currency, provider: em.getReference(Provider, provider.id) });
    }
  }
}

async function writeLicenses(em: SubgraphORM['em'], { licenses }: DirectoryFile, wrote: () => void): Promise<void> {
  for (const license of licenses) {
    await em.upsert(License, license);
    wrote();
  }
}
