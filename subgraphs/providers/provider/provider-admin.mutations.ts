/**
 * The admin's changes to the directory of providers (docs/rules.md, "Who may see and change what":
 * providers: create, change roles, activate/deactivate; setProviderActive is in
 * provider.mutations.ts). A new provider is validated by the directory file's rules
 * (lib/directory/directory-file.ts, on lib/validation.ts), exactly as `npm run import` would, and
 * the one-manufacturer rule is checked before the database's own index would refuse it.
 */
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { idArgument } from '../../../lib/arguments';
import { validateDirectoryFile, type DirectoryProblem } from '../../../lib/directory/directory-file';
import { ProviderRole } from '../../../lib/domain';
import { badUserInput, conflict, localizedError } from '../../../lib/errors';
import { requireAdmin } from '../../../lib/identity';
import { actorOf, differs, providerState, recordAuditEntry } from '../audit/audit-trail';
import type { ProvidersContext } from '../context';
import { changeDirectory } from '../directory/directory-change';
import { Provider } from './provider.entity';
import { checkedCommitments, lostRace, staleVersion, storedProvider } from './provider.mutations';
import { FirstResponseCommitmentInput } from './provider-update.input';
import { message, type Message } from '../../../lib/i18n/message';

@InputType({ description: "A new provider: the directory file's provider fields (its offers are its own to create, with saveOffer)." })
export class ProviderCreateInput {
  @Field(() => ID, { description: 'Stable id (slug), e.g. "alpendent"; unique.' }) id!: string;
  @Field({ description: 'Company name.' }) name!: string;
  @Field(() => [ProviderRole], { description: 'The roles it holds (at most one MANUFACTURER in the directory).' }) roles!: ProviderRole[];
  @Field(() => Boolean, { nullable: true, description: 'Whether it takes part in the network from the start (default true).' }) active?: boolean | null;
  @Field({ description: 'Home country (ISO 3166-1 alpha-2).' }) country!: string;
  @Field(() => [String], { description: 'Countries it serves (ISO 3166-1 alpha-2), non-empty.' }) serviceCountries!: string[];
  @Field(() => [String], { description: 'Languages it works in (ISO 639-1), non-empty.' }) languages!: string[];
  @Field(() => String, { nullable: true, description: 'Contact e-mail address.' }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'Contact phone number.' }) phone?: string | null;
  @Field(() => String, { nullable: true, description: 'Website, an http(s) URL.' }) website?: string | null;
  @Field(() => String, { nullable: true, description: 'Postal address.' }) postalAddress?: string | null;
  @Field(() => String, { nullable: true, description: 'Business hours (OpenStreetMap opening_hours syntax).' }) businessHours?: string | null;
  @Field(() => String, { nullable: true, description: 'IANA time zone of the business hours.' }) timeZone?: string | null;
  @Field(() => String, { nullable: true, description: 'VAT identification number.' }) vatId?: string | null;
}

/** Every problem of the new provider, each reason said in the reader's language (in the message and in `extensions.problems`). */
const refused = (problems: DirectoryProblem[]) =>
  localizedError(
    message('provider.refused', {
      problems: problems.map((p) => message('problem.at', { path: p.path.replace(/^providers\[0\](?: \([^)]*\))?/, 'input'), reason: p.reason })),
    }),
    {
      code: 'BAD_USER_INPUT',
      problems: problems.map((p) => ({ field: p.path.replace(/^providers\[0\](?: \([^)]*\))?\.?/, ''), reason: p.reason })),
    },
  );

/** The one-manufacturer rule for a change of roles: why `roles` cannot be `id`'s, or null. */
export function manufacturerProblem(id: string, roles: readonly ProviderRole[], currentManufacturer: string | null): Message | null {
  const wants = roles.includes(ProviderRole.MANUFACTURER);
  if (wants && currentManufacturer !== null && currentManufacturer !== id)
    return message('provider.otherIsManufacturer', { manufacturer: currentManufacturer });
  if (!wants && currentManufacturer === id) return message('provider.keepsManufacturerRole', { id });
  return null;
}

@Resolver(() => Provider)
export class ProviderAdminMutations {
  @Mutation(() => Provider, { description: 'Admin: adds a provider to the directory (its version starts at 1).' })
  async createProvider(
    @Arg('input', () => ProviderCreateInput, { description: 'The new provider.' }) input: ProviderCreateInput,
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    requireAdmin(context.caller, message('action.createProvider'));
    const record = { ...input, active: input.active ?? true };
    const manufacturers = [...context.directory.providerById.values()].filter((p) => p.roles.includes(ProviderRole.MANUFACTURER)).map((p) => p.id);
    const { directory, problems } = validateDirectoryFile(
      { providers: [record] },
      { providerIds: new Set(), manufacturerIds: new Set(manufacturers), offerOwners: new Map() },
    );
    if (problems.length > 0) throw refused(problems);
    const { offers: _none, firstResponseCommitments, ...fields } = directory.providers[0];
    const provider = { ...fields, firstResponseCommitments: firstResponseCommitments ?? [] };
    await changeDirectory(context, async (em) => {
      if (await em.findOne(Provider, { id: provider.id }, { fields: ['id'] })) throw conflict(message('provider.exists', { id: provider.id }));
      await em.insert(Provider, { ...provider, version: 1 });
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'createProvider',
        providerId: provider.id,
        subjectType: 'provider',
        subjectId: provider.id,
        before: null,
        after: providerState({ ...provider, version: 1 }),
      });
      return 'changed';
    });
    return context.directory.providerById.get(provider.id)!;
  }

  @Mutation(() => Provider, { description: "Admin: replaces a provider's roles (at least one; exactly one MANUFACTURER in the directory)." })
  async setProviderRoles(
    @Arg('id', () => ID, { description: 'The provider.' }) id: string,
    @Arg('version', () => Int, { description: 'The version of the provider this change was based on; a stale one is CONFLICT and changes nothing.' })
    version: number,
    @Arg('roles', () => [ProviderRole], { description: 'Its roles from now on.' }) roles: ProviderRole[],
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    idArgument(id, 'id');
    requireAdmin(context.caller, message('action.changeProviderRoles'));
    if (roles.length === 0) throw badUserInput(message('provider.noRoles'), 'roles');
    if (new Set(roles).size !== roles.length) throw badUserInput(message('provider.repeatedRole', { roles: roles.join(', ') }), 'roles');
    await changeDirectory(context, async (em) => {
      const before = providerState(await storedProvider(em, id));
      if (before.version !== version) throw staleVersion('provider', id, before.version, version);
      const manufacturer = (await em.find(Provider, {}, { fields: ['id', 'roles'] })).find((p) => p.roles.includes(ProviderRole.MANUFACTURER))?.id ?? null;
      const problem = manufacturerProblem(id, roles, manufacturer);
      if (problem) throw badUserInput(message('provider.rolesRefused', { reason: problem }), 'roles');
      const sorted = Object.values(ProviderRole).filter((r) => roles.includes(r));
      if (JSON.stringify(sorted) === JSON.stringify(before.roles)) return 'unchanged';
      const updated = await em.nativeUpdate(Provider, { id, version }, { roles: sorted, version: version + 1 });
      if (updated === 0) throw await lostRace(em, 'provider', id, version);
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'setProviderRoles',
        providerId: id,
        subjectType: 'provider',
        subjectId: id,
        before,
        after: { ...before, roles: sorted, version: version + 1 },
      });
      return 'changed';
    });
    return context.directory.providerById.get(id)!;
  }

  @Mutation(() => Provider, {
    description:
      "Admin: replaces the manufacturer's first-response commitments (Level 1 technical support, software maintenance) as a whole; partners state their own with updateProvider.",
  })
  async setManufacturerFirstResponses(
    @Arg('id', () => ID, { description: 'The manufacturer.' }) id: string,
    @Arg('version', () => Int, { description: 'The version of the provider this change was based on; a stale one is CONFLICT and changes nothing.' })
    version: number,
    @Arg('commitments', () => [FirstResponseCommitmentInput], { description: 'Its commitments from now on; [] states none.' })
    commitments: FirstResponseCommitmentInput[],
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    idArgument(id, 'id');
    requireAdmin(context.caller, message('action.setManufacturerFirstResponses'));
    await changeDirectory(context, async (em) => {
      const before = providerState(await storedProvider(em, id));
      if (!before.roles.includes(ProviderRole.MANUFACTURER)) throw badUserInput(message('provider.notManufacturer', { id }), 'id');
      if (before.version !== version) throw staleVersion('provider', id, before.version, version);
      const firstResponseCommitments = checkedCommitments(commitments, before, 'commitments');
      const after = { ...before, firstResponseCommitments, version: version + 1 };
      if (!differs(before, after)) return 'unchanged';
      const updated = await em.nativeUpdate(Provider, { id, version }, { firstResponseCommitments, version: version + 1 });
      if (updated === 0) throw await lostRace(em, 'provider', id, version);
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'setManufacturerFirstResponses',
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
}
