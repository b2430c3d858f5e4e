/**
 * Holder sign-in, the licenses subgraph's half: it holds the access codes' hashes, so it issues
 * codes and checks them. It cannot sign tokens (the JWT secret lives in the gateway alone): a
 * successful `signIn` answers with empty `token` and `expiresAt`, which the gateway's sign-in
 * plugin (gateway/identity/holder-sign-in.ts) fills with a holder token it mints for the key the client
 * sent. Only the gateway reaches this subgraph (signed requests), so an answer without an error is
 * the subgraph's word that the code was right. The gateway also limits the attempts per license and
 * per address (it alone sees the client's address and shares Redis across replicas).
 */
import type { Language } from '../../../lib/i18n/languages';
import { translate } from '../../../lib/i18n/translate';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { formatAccessCode, newAccessCode, verifyAccessCode } from '../../../lib/access-codes';
import { idArgument } from '../../../lib/arguments';
import { forbidden, notFound, signInRequired } from '../../../lib/errors';
import type { Identity } from '../../../lib/identity';
import { logEvent } from '../../../lib/log';
import { connectionType, findPage, PageArgs, type Connection } from '../../../lib/pagination';
import type { SubgraphEM } from '../../../lib/orm';
import type { LicensesContext } from '../context';
import { License } from '../license/license.entity';
import { withinAccess } from '../license/license-access';
import { IssuedAccessCode, LicenseAccessCode, LicenseAccessEvent, SignedIn } from './access-code.entity';
import { actorOf, MAX_KEY, recordAccessEvent, replaceAccessCode } from './access-code-store';
import { message, type Message } from '../../../lib/i18n/message';

/** The one answer to a wrong code and to an unknown key alike: nothing tells which it was. */
/** One answer for a wrong code and an unknown key alike, in the reader's language (the code and reason never change). */
export const signInFailed = (language: Language) =>
  new GraphQLError(translate(language, 'error.signInFailed'), { extensions: { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_FAILED' } });

const AccessEventConnection = connectionType(LicenseAccessEvent, 'LicenseAccessEvent', 'access events');

/**
 * Who may issue a license's code and read its trail (the access matrix): an admin, or the
 * distributor that sold it. A license the caller may not see is NOT_FOUND, as if it did not exist;
 * its designated support partner sees it but is refused openly.
 */
async function licenseForCodeWork(em: SubgraphEM, caller: Identity, licenseKey: string, action: Message): Promise<License> {
  if (caller.role === 'anonymous') throw signInRequired(message('access.signInAsSeller', { action }));
  if (caller.role === 'holder') throw forbidden(message('access.sellerOnly', { action }));
  const license = await em.findOne(License, withinAccess(caller, { key: licenseKey }));
  if (!license) throw notFound(message('error.licenseArgumentNotFound', { key: licenseKey }));
  if (caller.role === 'provider' && license.vendorId !== caller.provider) throw forbidden(message('access.sellerOfLicenseOnly', { action, key: licenseKey }));
  return license;
}

@Resolver(() => LicenseAccessEvent)
export class AccessCodeResolver {
  @Mutation(() => IssuedAccessCode, { description: 'Admin, or the distributor that sold the license: a new access code for the holder, shown once.' })
  async issueLicenseAccessCode(
    @Arg('licenseKey', () => ID, { description: 'The license whose holder gets the code; any earlier code of it stops working.' }) licenseKey: string,
    @Ctx() { em, caller, providers }: LicensesContext,
  ): Promise<IssuedAccessCode> {
    const key = idArgument(licenseKey, 'licenseKey');
    const code = newAccessCode();
    const issuedBy = caller.role === 'provider' ? `provider:${caller.provider}` : caller.role === 'admin' ? `admin:${caller.sub}` : 'unknown';
    await em.transactional(async (tx) => {
      await licenseForCodeWork(tx as SubgraphEM, caller, key, message('action.issueAccessCode'));
      const codeId = await replaceAccessCode(tx as SubgraphEM, key, code, issuedBy);
      // The trail names the code by its id, never the code or its hash.
      await recordAccessEvent(tx as SubgraphEM, { licenseKey: key, action: 'issueLicenseAccessCode', ...actorOf(caller), codeId });
    });
    // The earlier code's holder tokens end: the gateway keeps which code is in force per directory
    // version (gateway/identity/holder-standing.ts), so the version moves once the new code is committed.
    await providers.recordChanges([], caller).catch((error: unknown) => {
      logEvent('warn', 'directory_version_not_bumped', { service: 'licenses', message: error instanceof Error ? error.message : String(error) });
    });
    return { licenseKey: key, accessCode: formatAccessCode(code) };
  }

  @Mutation(() => SignedIn, { description: 'A practice: license key and access code give a short-lived holder token for that license.' })
  async signIn(
    @Arg('licenseKey', () => ID, { description: 'The license key, as on the license papers.' }) licenseKey: string,
    @Arg('accessCode', { description: 'The access code on the license papers (hyphens, spaces and case do not matter).' }) accessCode: string,
    @Ctx() { em, caller, signInChecks, language }: LicensesContext,
  ): Promise<SignedIn> {
    const key = licenseKey.trim();
    // One check at a time per place (sign-in-checks.ts), the code read when its turn comes.
    const { current, right } = await signInChecks.run(async () => {
      const current = key.length > 0 && key.length <= MAX_KEY ? await em.findOne(LicenseAccessCode, { licenseKey: key, revokedAt: null }) : null;
      // Always one scrypt, also for an unknown key: the time of the answer tells nothing either.
      return { current, right: await verifyAccessCode(accessCode.slice(0, 64), current?.hash) };
    });
    await em.transactional((tx) =>
      recordAccessEvent(tx as SubgraphEM, { licenseKey: key, action: right ? 'signIn' : 'signInFailed', ...actorOf(caller), codeId: current?.id ?? null }),
    );
    if (!right) throw signInFailed(language);
    // Filled by the gateway, which alone holds the signing secret (see the header).
    return { token: '', expiresAt: '' };
  }

  @Query(() => AccessEventConnection, {
    description:
      "Admin, or the distributor that sold the license: the license's access trail (codes issued, sign-ins, failed sign-ins), newest first, a page at a time.",
  })
  async licenseAccessTrail(
    @Arg('licenseKey', () => ID, { description: 'The license whose trail to read.' }) licenseKey: string,
    @Args() page: PageArgs,
    @Ctx() { em, caller }: LicensesContext,
  ): Promise<Connection<LicenseAccessEvent>> {
    const key = idArgument(licenseKey, 'licenseKey');
    await licenseForCodeWork(em, caller, key, message('action.readAccessTrail'));
    return findPage(em, LicenseAccessEvent, 'id', { licenseKey: key }, page, { descending: true, integerKey: true });
  }

  @FieldResolver(() => String, { description: 'When it happened (ISO 8601, UTC).' })
  at(@Root() event: LicenseAccessEvent): string {
    return new Date(event.at).toISOString();
  }
}
