import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../../lib/arguments';
import { connectionType, findPage, PageArgs, type Connection } from '../../../lib/pagination';
import type { ProvidersContext } from '../context';
import { auditScope, mayIdentifyActor } from '../directory/change-access';
import { Provider } from '../provider/provider.entity';
import { AuditEntry } from './audit-entry.entity';

const AuditEntryConnection = connectionType(AuditEntry, 'AuditEntry', 'audit entries');

@Resolver(() => AuditEntry)
export class AuditTrailResolver {
  @Query(() => AuditEntryConnection, {
    description:
      "Recorded changes to the directory, newest first, a page at a time: an admin sees all (or one provider's, with providerId), a provider its own entries only.",
  })
  auditTrail(
    @Ctx() { em, caller }: ProvidersContext,
    @Args() page: PageArgs,
    @Arg('providerId', () => ID, { nullable: true, description: "Only the entries of this provider's records." }) providerId?: string | null,
  ): Promise<Connection<AuditEntry>> {
    const scope = auditScope(caller, providerId == null ? null : idArgument(providerId, 'providerId'));
    const where: FilterQuery<AuditEntry> = scope === null ? {} : { providerId: scope };
    return findPage(em, AuditEntry, 'id', where, page, { descending: true, integerKey: true });
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Who made the change: the token's subject, or the operating-system user who ran the import. Shown to admins, and to a provider for the changes made as that provider; null otherwise (actorRole still says who: an admin, the operator).",
  })
  actorSub(@Root() entry: AuditEntry, @Ctx() { caller }: ProvidersContext): string | null {
    return mayIdentifyActor(caller, { role: entry.actorRole, provider: entry.actorProvider ?? null }) ? (entry.actorSub ?? null) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The name of the person who made the change, from the token of their organization's identity provider (its `name`, else `preferred_username`); null for API keys and tokens without one. Shown like actorSub.",
  })
  actorName(@Root() entry: AuditEntry, @Ctx() { caller }: ProvidersContext): string | null {
    return mayIdentifyActor(caller, { role: entry.actorRole, provider: entry.actorProvider ?? null }) ? (entry.actorName ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The API key the caller used, when it used one; shown like actorSub.' })
  actorKeyId(@Root() entry: AuditEntry, @Ctx() { caller }: ProvidersContext): string | null {
    return mayIdentifyActor(caller, { role: entry.actorRole, provider: entry.actorProvider ?? null }) ? (entry.actorKeyId ?? null) : null;
  }

  @FieldResolver(() => String, { description: 'When the change was committed (ISO 8601, UTC).' })
  at(@Root() entry: AuditEntry): string {
    return new Date(entry.at).toISOString();
  }

  @FieldResolver(() => Provider, { nullable: true, description: 'The provider the changed record belongs to; null when it is no longer in the directory.' })
  provider(@Root() entry: AuditEntry, @Ctx() { directory }: ProvidersContext): Provider | null {
    return directory.providerById.get(entry.providerId) ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The record before the change, as JSON text; null when the change created it.' })
  before(@Root() entry: AuditEntry): string | null {
    return entry.before == null ? null : JSON.stringify(entry.before);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The record after the change, as JSON text; null when the change removed it.' })
  after(@Root() entry: AuditEntry): string | null {
    return entry.after == null ? null : JSON.stringify(entry.after);
  }
}
