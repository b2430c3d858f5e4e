/**
 * The providers subgraph's side of license lifecycle changes (lib/license-changes.ts): which
 * referenced providers exist, and recording a license change in the audit trail with a directory
 * version bump, in one transaction of the providers database.
 */
import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import { ProviderRole } from '../../../lib/domain';
import { GraphQLError } from 'graphql';
import type { Identity } from '../../../lib/identity';
import type { LicenseChange, LicenseChangesAnswer, ProviderReferencesAnswer } from '../../../lib/license-changes';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { MAX_LENGTH } from '../../../lib/validation';
import { actorOf, recordAuditEntry } from '../audit/audit-trail';
import { Provider } from '../provider/provider.entity';

const MAX_IDS = 1000;

/** GET ?ids=a,b: read from the database (not the snapshot), so a provider created a moment ago counts. */
export async function providerReferences(orm: SubgraphORM, query: Record<string, unknown>): Promise<ProviderReferencesAnswer> {
  const ids =
    typeof query.ids === 'string' && query.ids !== '' ? [...new Set(query.ids.split(','))].filter((id) => id.length <= MAX_LENGTH.id).slice(0, MAX_IDS) : [];
  const em = orm.em.fork() as SubgraphEM;
  const found = ids.length ? await em.find(Provider, { id: { $in: ids } }, { fields: ['id', 'roles', 'active', 'country'] }) : [];
  const all = await em.find(Provider, {}, { fields: ['id', 'roles'] });
  const manufacturer = all.find((p) => p.roles.includes(ProviderRole.MANUFACTURER));
  return {
    providers: found.map((p) => ({ id: p.id, roles: p.roles, active: p.active, country: p.country })),
    manufacturerId: manufacturer?.id ?? null,
  };
}

/** A malformed call of this internal route (only the licenses subgraph makes them): said in English, for the log. */
const internalBadInput = (text: string) => new GraphQLError(text, { extensions: { code: 'BAD_USER_INPUT' } });

function changesOf(body: unknown): LicenseChange[] {
  const changes = (body as { changes?: unknown } | null)?.changes;
  if (!Array.isArray(changes)) throw internalBadInput('"changes" must be a list of license changes');
  for (const change of changes as LicenseChange[]) {
    if (
      typeof change?.action !== 'string' ||
      typeof change.licenseKey !== 'string' ||
      !Array.isArray(change.providerIds) ||
      !change.providerIds.every((id) => typeof id === 'string')
    ) {
      throw internalBadInput('each change needs action, licenseKey and providerIds');
    }
  }
  return changes as LicenseChange[];
}

/**
 * POST: one audit entry per license change and provider concerned (a license bought directly goes
 * into the manufacturer's trail), and the directory version bumped, in one transaction. The actor
 * is the caller the licenses subgraph forwarded. An empty list only bumps the version (the licenses
 * subgraph asks again once its own transaction has committed; see license-lifecycle.ts).
 */
export async function recordLicenseChanges(orm: SubgraphORM, body: unknown, caller: Identity): Promise<LicenseChangesAnswer> {
  const changes = changesOf(body);
  const actor = actorOf(caller);
  let version = 0;
  await orm.em.fork().transactional(async (tx) => {
    const em = tx as SubgraphEM;
    let manufacturerId: string | undefined;
    for (const change of changes) {
      let trails = [...new Set(change.providerIds)];
      if (trails.length === 0) {
        manufacturerId ??= (await em.find(Provider, {}, { fields: ['id', 'roles'] })).find((p) => p.roles.includes(ProviderRole.MANUFACTURER))?.id;
        if (!manufacturerId) throw new Error('the directory has no manufacturer, whose trail holds changes to licenses bought directly');
        trails = [manufacturerId];
      }
      for (const providerId of trails) {
        await recordAuditEntry(em, {
          actor,
          action: change.action,
          providerId,
          subjectType: 'license',
          subjectId: change.licenseKey,
          before: change.before,
          after: change.after,
        });
      }
    }
    version = await bumpDirectoryVersion(em);
  });
  return { version };
}
