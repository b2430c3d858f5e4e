import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { idArgument, inputCodeList, optionalInputField } from '../../../lib/arguments';
import { badUserInput, conflict, forbidden, notFound } from '../../../lib/errors';
import { commitmentProblems, inCategoryOrder, type FirstResponseCommitment } from '../../../lib/first-response-commitments';
import { ProviderRole } from '../../../lib/domain';
import type { SubgraphEM } from '../../../lib/orm';
import * as checks from '../../../lib/validation';
import { MAX_LENGTH } from '../../../lib/validation';
import { actorOf, differs, providerState, recordAuditEntry } from '../audit/audit-trail';
import type { ProvidersContext } from '../context';
import { requireProviderItself } from '../directory/change-access';
import { requireAdmin } from '../../../lib/identity';
import { changeDirectory } from '../directory/directory-change';
import { FirstResponseCommitmentInput, ProviderUpdateInput } from './provider-update.input';
import { Provider } from './provider.entity';
import { WebhookEventType } from '../webhooks/webhook-event-type';
import { recordWebhookEvent } from '../webhooks/webhook-outbox';
import { message } from '../../../lib/i18n/message';

/** The profile fields an update sets, checked and normalized; the fields left out are absent. */
function profileChanges(input: ProviderUpdateInput): Partial<Provider> {
  const changes: Partial<Provider> = {
    email: optionalInputField(input.email, 'input.email', checks.bounded(checks.emailAddress, MAX_LENGTH.email)),
    phone: optionalInputField(input.phone, 'input.phone', checks.text(MAX_LENGTH.phone)),
    website: optionalInputField(input.website, 'input.website', checks.bounded(checks.webUrl, MAX_LENGTH.website)),
    postalAddress: optionalInputField(input.postalAddress, 'input.postalAddress', checks.text(MAX_LENGTH.postalAddress)),
    languages: inputCodeList(input.languages, 'input.languages', checks.languageCode),
    serviceCountries: inputCodeList(input.serviceCountries, 'input.serviceCountries', checks.countryCode),
    businessHours: optionalInputField(input.businessHours, 'input.businessHours', checks.businessHours),
    timeZone: optionalInputField(input.timeZone, 'input.timeZone', checks.bounded(checks.timeZone, MAX_LENGTH.timeZone)),
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/**
 * A new list of commitments for `provider`, checked against its roles as stored (lib/first-response-
 * commitments.ts, the import's rules); BAD_USER_INPUT naming the first wrong item otherwise.
 */
export function checkedCommitments(list: FirstResponseCommitmentInput[], provider: Pick<Provider, 'roles'>, field: string): FirstResponseCommitment[] {
  const [problem] = commitmentProblems(list, provider.roles);
  if (problem) {
    const at = problem.index === null ? field : `${field}[${problem.index}]${problem.field ? `.${problem.field}` : ''}`;
    throw badUserInput(message('problem.at', { path: at, reason: problem.reason }), at);
  }
  return inCategoryOrder(list);
}

/** The provider as stored now, inside the change's transaction; NOT_FOUND naming the id when there is none. */
export async function storedProvider(em: SubgraphEM, id: string): Promise<Provider> {
  const provider = await em.findOne(Provider, { id });
  if (!provider) throw notFound(message('error.noProvider', { id }));
  return provider;
}

/** A provider's version goes up with every change to its offers too (docs/api.md). */
export async function bumpProviderVersion(em: SubgraphEM, id: string): Promise<void> {
  await em.execute(`update "provider" set "version" = "version" + 1 where "id" = ?`, [id]);
}

/** What a stale change was based on: kind and id, as conflict.stale names them. */
export type Versioned = 'provider' | 'offer';

export const staleVersion = (kind: Versioned, id: string, current: number, given: number) => conflict(message('conflict.stale', { kind, id, current, given }));

/** The version of `table`'s row `id` as committed now (after a conditional update found none to change). */
export async function currentVersion(em: SubgraphEM, table: 'provider' | 'offer', id: string): Promise<number | null> {
  const rows: Array<{ version: number | string }> = await em.execute(`select "version" from "${table}" where "id" = ?`, [id]);
  return rows.length ? Number(rows[0].version) : null;
}

/**
 * The CONFLICT for a conditional change that found no row: another change committed first, since
 * this one read the row (the version it names is the one it read, now stale).
 */
export async function lostRace(em: SubgraphEM, table: 'provider' | 'offer', id: string, given: number) {
  const current = await currentVersion(em, table, id);
  return current === null ? conflict(message('conflict.removed', { kind: table, id })) : staleVersion(table, id, current, given);
}

@Resolver(() => Provider)
export class ProviderMutations {
  @Mutation(() => Provider, { description: 'Own profile (provider) — contact channels, languages, service countries, business hours.' })
  async updateProvider(
    @Arg('id', () => ID, { description: 'The provider (the caller itself).' }) id: string,
    @Arg('version', () => Int, { description: 'The version of the provider this change was based on; a stale one is CONFLICT and changes nothing.' })
    version: number,
    @Arg('input', () => ProviderUpdateInput, { description: 'The fields to change; those left out stay as they are.' }) input: ProviderUpdateInput,
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    idArgument(id, 'id');
    requireProviderItself(context.caller, id, message('action.changeProfile'));
    const changes = profileChanges(input);
    await changeDirectory(context, async (em) => {
      const before = providerState(await storedProvider(em, id));
      if (before.version !== version) throw staleVersion('provider', id, before.version, version);
      // The VAT id is checked in the format of the provider's own country (lib/validation.ts).
      if (input.vatId !== undefined) changes.vatId = optionalInputField(input.vatId, 'input.vatId', checks.vatIdOf(before.country));
      if (input.firstResponseCommitments != null) {
        if (before.roles.includes(ProviderRole.MANUFACTURER)) throw forbidden(message('provider.manufacturerCommitmentsByAdmin'));
        changes.firstResponseCommitments = checkedCommitments(input.firstResponseCommitments, before, 'input.firstResponseCommitments');
      }
      const after = providerState({ ...before, ...changes, version: version + 1 });
      if (!differs(before, after)) return 'unchanged';
      // Conditional on the version: of two concurrent changes based on the same version, the
      // second finds no row to change once the first has committed.
      const updated = await em.nativeUpdate(Provider, { id, version }, { ...changes, version: version + 1 });
      if (updated === 0) throw await lostRace(em, 'provider', id, version);
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'updateProvider',
        providerId: id,
        subjectType: 'provider',
        subjectId: id,
        before,
        after,
      });
      return 'changed';
    });
    return context.directory.providerById.get(id)!;
  }

  @Mutation(() => Provider, { description: 'Admin: activate or deactivate a provider.' })
  async setProviderActive(
    @Arg('id', () => ID, { description: 'The provider.' }) id: string,
    @Arg('active', () => Boolean, { description: 'true: takes part in the network; false: no longer.' }) active: boolean,
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    idArgument(id, 'id');
    requireAdmin(context.caller, message('action.activateProvider'));
    const current = context.directory.providerById.get(id);
    // Nothing to change: no new version, no entry (the answer shows the state asked for).
    if (current && current.active === active) return current;
    await changeDirectory(context, async (em) => {
      const before = providerState(await storedProvider(em, id));
      if (before.active === active) return 'unchanged';
      // No version to check (an admin's switch): the bump is relative, so a concurrent change is not lost.
      await em.nativeUpdate(Provider, { id }, { active });
      await bumpProviderVersion(em, id);
      const after = providerState({ ...before, active, version: (await currentVersion(em, 'provider', id))! });
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'setProviderActive',
        providerId: id,
        subjectType: 'provider',
        subjectId: id,
        before,
        after,
      });
      // The provider's webhooks hear of it: written with the change, delivered in the background.
      await recordWebhookEvent(em, {
        type: WebhookEventType.PROVIDER_ACTIVATION_CHANGED,
        providerIds: [id],
        data: { providerId: id, active, version: after.version },
        occurredAt: new Date(),
      });
      return 'changed';
    });
    context.webhooks.dispatcher.wake();
    return context.directory.providerById.get(id)!;
  }
}
