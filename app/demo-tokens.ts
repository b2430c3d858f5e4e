/**
 * Ready-made tokens for the demo directory, printed by `npm start` outside production: an admin, the
 * distributor and the holder of the first license sold through a distributor, and the support
 * partner of the first license that has one, each with a request that shows what that role sees.
 * Read from the licenses database, so they match whatever directory was loaded.
 */
import type { SubgraphORM } from '../lib/orm';
import { License } from '../subgraphs/licenses/license/license.entity';
import { signIdentityToken } from '../gateway/identity';

export interface DemoToken {
  /** Who this is, for people: "admin", "distributor nordkiefer-demo", … */
  label: string;
  claims: { sub: string; role: string } & Record<string, unknown>;
  token: string;
  /** A query showing what this caller may see. */
  query: string;
}

const contactQuery = (key: string) => `{ supportContact(licenseKey: "${key}", topic: "server-installation") { contacts { name email } billedBy { name } explanation } }`;

export async function demoTokens(licenses: SubgraphORM, secret: string, expiresIn = '12h'): Promise<DemoToken[]> {
  const em = licenses.em.fork();
  const sold = await em.findOne(License, { vendorId: { $ne: null } }, { orderBy: { key: 'asc' } });
  const supported = await em.findOne(License, { supportPartnerId: { $ne: null } }, { orderBy: { key: 'asc' } });
  const wanted: Omit<DemoToken, 'token'>[] = [
    { label: 'admin', claims: { sub: 'demo-admin', role: 'admin' }, query: '{ licenses(first: 3) { totalCount edges { node { key holder { name } vendor { name } } } } }' },
  ];
  if (sold) {
    wanted.push({ label: `distributor ${sold.vendorId}`, claims: { sub: `demo-${sold.vendorId}`, role: 'provider', provider: sold.vendorId }, query: '{ licenses { totalCount edges { node { key holder { name } } } } }' });
    wanted.push({ label: `holder of ${sold.key}`, claims: { sub: `demo-holder-${sold.key}`, role: 'holder', licenses: [sold.key] }, query: contactQuery(sold.key) });
  }
  if (supported) {
    wanted.push({
      label: `support partner ${supported.supportPartnerId}`,
      claims: { sub: `demo-${supported.supportPartnerId}`, role: 'provider', provider: supported.supportPartnerId },
      query: contactQuery(supported.key),
    });
  }
  return Promise.all(wanted.map(async (demo) => ({ ...demo, token: await signIdentityToken(secret, demo.claims, expiresIn) })));
}
