/**
 * The gateway's question on HOLDER_CREDENTIAL_PATH (lib/holder-credentials.ts): which access code of
 * this license is in force? Read from the database on every call, so a reissue or a transfer
 * committed by any replica counts at once; the gateway keeps the answer until the directory version
 * changes (both bump it).
 */
import type { HolderCredentialAnswer } from '../../../lib/holder-credentials';
import type { SubgraphEM, SubgraphORM } from '../../../lib/orm';
import { LicenseAccessCode } from './access-code.entity';
import { MAX_KEY } from './access-code-store';

/** The id of `licenseKey`'s code in force, or null (none, or no such license). */
export async function accessCodeInForce(em: SubgraphEM, licenseKey: string): Promise<string | null> {
  if (licenseKey === '' || licenseKey.length > MAX_KEY) return null;
  const current = await em.findOne(LicenseAccessCode, { licenseKey, revokedAt: null }, { fields: ['id'] });
  return current?.id ?? null;
}

export async function holderCredential(orm: SubgraphORM, query: Record<string, unknown>): Promise<HolderCredentialAnswer> {
  const licenseKey = typeof query.license === 'string' ? query.license : '';
  return { licenseKey, accessCodeId: await accessCodeInForce(orm.em.fork() as SubgraphEM, licenseKey) };
}
