import crypto from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { newApiKey, hashApiKey } from '../../../lib/api-keys';
import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import { badUserInput, notFound } from '../../../lib/errors';
import { requireAdmin } from '../../../lib/identity';
import { encodingProblem } from '../../../lib/validation';
import type { SubgraphEM } from '../../../lib/orm';
import type { ProvidersContext } from '../context';
import { Provider } from '../provider/provider.entity';
import { ApiKey, IssuedApiKey } from './api-key.entity';
import { actorOf, recordAuditEntry } from '../audit/audit-trail';
import { message } from '../../../lib/i18n/message';

const MAX_LABEL_LENGTH = 100;
// Control characters (line breaks included): a label is one line in an admin's list.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function labelArgument(value: string): string {
  const label = value.trim();
  if (label === '') throw badUserInput(message('apiKey.labelEmpty'), 'label');
  if ([...label].length > MAX_LABEL_LENGTH) throw badUserInput(message('apiKey.labelTooLong', { max: MAX_LABEL_LENGTH }), 'label');
  if (CONTROL_CHARACTER.test(label)) throw badUserInput(message('apiKey.labelControlCharacters'), 'label');
  const problem = encodingProblem(label);
  if (problem !== null) throw badUserInput(message('apiKey.labelRefused', { reason: problem }), 'label');
  return label;
}

async function existingProvider(em: SubgraphEM, providerId: string): Promise<void> {
  if (!(await em.count(Provider, { id: providerId }))) throw notFound(message('error.noProviderArgument', { id: providerId, argument: 'providerId' }));
}

/**
 * Admins issue and revoke a provider's API keys (docs/rules.md "Who may see and change what"). Both bump the directory version
 * in their transaction: that empties the gateway's cache of verified keys (a revoked key is refused
 * from the next request on) and moves the response cache past any list of keys an admin read before.
 */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => IssuedApiKey, { description: "Admin: a key for one provider's integration; the key is in the answer once, never again." })
  async issueApiKey(
    @Arg('providerId', () => ID, { description: 'The provider the key acts as.' }) providerId: string,
    @Arg('label', { description: `What the key is for, e.g. "ERP sync" (1 to ${MAX_LABEL_LENGTH} characters).` }) label: string,
    @Ctx() { caller, em }: ProvidersContext,
  ): Promise<IssuedApiKey> {
    requireAdmin(caller, message('action.issueApiKeys'));
    const name = labelArgument(label);
    const key = newApiKey();
    const id = crypto.randomUUID();
    await em.transactional(async (tx) => {
      await existingProvider(tx as SubgraphEM, providerId);
      const createdAt = new Date();
      tx.create(ApiKey, { id, providerId, label: name, hash: hashApiKey(key), createdAt, revokedAt: null });
      await tx.flush();
      // The trail shows the key's id and label, never the key or its hash.
      await recordAuditEntry(tx as SubgraphEM, {
        actor: actorOf(caller),
        action: 'issueApiKey',
        providerId,
        subjectType: 'apiKey',
        subjectId: id,
        before: null,
        after: { label: name, createdAt: createdAt.toISOString(), revokedAt: null },
      });
      await bumpDirectoryVersion(tx as SubgraphEM);
    });
    return { id, key, providerId, label: name };
  }

  @Mutation(() => Boolean, {
    description: 'Admin: revoke an API key; from the next request on it is refused. true: revoked now; false: it was already revoked.',
  })
  async revokeApiKey(
    @Arg('id', () => ID, { description: 'The id of the key (from issueApiKey or apiKeys).' }) id: string,
    @Ctx() { caller, em }: ProvidersContext,
  ): Promise<boolean> {
    requireAdmin(caller, message('action.revokeApiKeys'));
    return em.transactional(async (tx) => {
      const apiKey = await tx.findOne(ApiKey, { id });
      if (!apiKey) throw notFound(message('error.noApiKey', { id }));
      if (apiKey.revokedAt) return false;
      apiKey.revokedAt = new Date();
      await tx.flush();
      const state = (revokedAt: Date | null) => ({
        label: apiKey.label,
        createdAt: apiKey.createdAt.toISOString(),
        revokedAt: revokedAt?.toISOString() ?? null,
      });
      await recordAuditEntry(tx as SubgraphEM, {
        actor: actorOf(caller),
        action: 'revokeApiKey',
        providerId: apiKey.providerId,
        subjectType: 'apiKey',
        subjectId: id,
        before: state(null),
        after: state(apiKey.revokedAt),
      });
      await bumpDirectoryVersion(tx as SubgraphEM);
      return true;
    });
  }

  @Query(() => [ApiKey], { description: "Admin: a provider's API keys, oldest first, revoked ones included; never the keys themselves." })
  async apiKeys(
    @Arg('providerId', () => ID, { description: 'The provider whose keys to list.' }) providerId: string,
    @Ctx() { caller, em }: ProvidersContext,
  ): Promise<ApiKey[]> {
    requireAdmin(caller, message('action.listApiKeys'));
    await existingProvider(em, providerId);
    return em.find(ApiKey, { providerId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @FieldResolver(() => String, { description: 'When the key was issued (ISO 8601, UTC).' })
  createdAt(@Root() apiKey: ApiKey): string {
    return apiKey.createdAt.toISOString();
  }

  @FieldResolver(() => String, { nullable: true, description: 'When the key was revoked (ISO 8601, UTC); null while it is in force.' })
  revokedAt(@Root() apiKey: ApiKey): string | null {
    return apiKey.revokedAt?.toISOString() ?? null;
  }
}
