import { isApiKeyHash, type ApiKeyIdentityAnswer } from '../../../lib/api-keys';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { ApiKey } from './api-key.entity';

/**
 * The gateway's question on API_KEY_IDENTITY_PATH: which provider does the key with this hash act
 * as? Revoked and unknown keys alike answer null. Read from the database on every call (not from
 * the directory snapshot), so a revocation committed anywhere counts at once.
 */
export async function apiKeyIdentity(orm: SubgraphORM, query: Record<string, unknown>): Promise<ApiKeyIdentityAnswer> {
  if (!isApiKeyHash(query.hash)) return { apiKey: null };
  const em = orm.em.fork() as SubgraphEM;
  const found = await em.findOne(ApiKey, { hash: query.hash, revokedAt: null }, { fields: ['id', 'providerId'] });
  return { apiKey: found ? { id: found.id, providerId: found.providerId } : null };
}
