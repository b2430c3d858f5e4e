import type { ProviderStandingAnswer } from '../../../lib/provider-standing';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { Provider } from './provider.entity';

/**
 * The gateway's question on PROVIDER_STANDING_PATH: is this provider active? Read from the database
 * on every call (not from the directory snapshot), so a deactivation committed anywhere counts at
 * once; the gateway keeps the answer until the directory version changes.
 */
export async function providerStanding(orm: SubgraphORM, query: Record<string, unknown>): Promise<ProviderStandingAnswer> {
  const id = query.id;
  if (typeof id !== 'string' || id === '' || id.length > 200) return { provider: null };
  const em = orm.em.fork() as SubgraphEM;
  const found = await em.findOne(Provider, { id }, { fields: ['id', 'active'] });
  return { provider: found ? { id: found.id, active: found.active } : null };
}
