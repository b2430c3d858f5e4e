/**
 * Who is calling (docs/guide.md "Identity and access"): the gateway verifies the caller's credentials and
 * forwards the identity to the subgraphs in the signed `x-directory-identity` header; each subgraph
 * reads it here and enforces docs/rules.md's "Who may see and change what" itself.
 */
import { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { forbidden, signInRequired } from './errors';
import { IDENTITY_HEADER } from './subgraph-signature';
import { message, type Message } from './i18n/message';

export type Role = 'admin' | 'provider' | 'holder';
export const ROLES: readonly Role[] = ['admin', 'provider', 'holder'];

/**
 * `name`: the person's name for people (the token's `name`, else its `preferred_username`), set
 * when a staff member signed in at the organization's identity provider; the audit trail records it
 * beside the subject.
 */
export type Identity =
  | { role: 'anonymous' }
  | { role: 'admin'; sub: string; name?: string }
  /** keyId: set when the provider calls with an API key (docs/guide.md "Identity and access"), so the subgraphs and the audit trail know which key. */
  | { role: 'provider'; sub: string; provider: string; keyId?: string; name?: string }
  /**
   * codeId: set for a holder who signed in with a license's access code (gateway/identity/holder-sign-in.ts):
   * the id of that code, which the token is good for only while it is the license's code in force.
   */
  | { role: 'holder'; sub: string; licenses: string[]; codeId?: string };

export const ANONYMOUS: Identity = Object.freeze({ role: 'anonymous' });

export const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
/**
 * Admin-only work (docs/rules.md "Who may see and change what"): an anonymous caller is UNAUTHENTICATED, any other role FORBIDDEN.
 * `action`: what the caller wanted, a message like action.issueApiKeys ("issue API keys").
 */
export function requireAdmin(caller: Identity, action: Message): asserts caller is Extract<Identity, { role: 'admin' }> {
  // No HTTP 401 here (lib/errors.ts): the subgraph's answer stays a GraphQL answer the gateway passes through.
  if (caller.role === 'anonymous') throw signInRequired(message('access.signInAsAdmin', { action }));
  if (caller.role !== 'admin') throw forbidden(message('access.adminOnly', { action }));
}

/** A change needs a caller: an anonymous one is UNAUTHENTICATED (`action` as for requireAdmin). */
export function signedIn(caller: Identity, action: Message): Exclude<Identity, { role: 'anonymous' }> {
  if (caller.role === 'anonymous') throw signInRequired(message('access.signIn', { action }));
  return caller;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * Whom a person's token names, for the audit trail: OpenID Connect's `name`, else its
 * `preferred_username` (identity providers put one or the other into access tokens). Not a rule of
 * access: a token without either is as good, and the trail shows its subject alone. Control
 * characters are dropped (the name is shown to people and travels in a header).
 */
function personName(claims: Record<string, unknown>): string | undefined {
  for (const claim of [claims.name, claims.preferred_username]) {
    // eslint-disable-next-line no-control-regex
    const cleaned = typeof claim === 'string' ? claim.replace(/[\u0000-\u001f\u007f]/g, '').trim() : '';
    if (cleaned) return cleaned.slice(0, 200);
  }
  return undefined;
}

/**
 * The identity carried by a token's (or the header's) claims; throws a message naming the claim
 * that is missing or wrong. Only the claims the matrix reads are kept.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const { sub, role } = claims;
  if (!isText(sub)) throw new Error('the token has no "sub" claim');
  if (!ROLES.includes(role as Role)) throw new Error(`the token's "role" claim must be one of ${ROLES.join(', ')}`);
  const name = personName(claims);
  if (role === 'admin') return name ? { role, sub, name } : { role, sub };
  if (role === 'provider') {
    if (!isText(claims.provider)) throw new Error('a provider token needs a "provider" claim (the provider id)');
    return name ? { role, sub, provider: claims.provider, name } : { role, sub, provider: claims.provider };
  }
  const licenses = claims.licenses;
  if (!Array.isArray(licenses) || licenses.length > 1000 || !licenses.every(isText))
    throw new Error('a holder token needs a "licenses" claim (a list of license keys)');
  return { role: 'holder', sub, licenses: [...licenses] };
}

/**
 * The caller of one subgraph request. The header is believed only where nobody but the gateway can
 * have set it: with a subgraph secret, the signature check (lib/subgraph-signature.ts) has already
 * refused every request whose identity the gateway did not sign. Without a secret the header is
 * ignored in every mode and every caller is anonymous: anything that reaches a subgraph's port could
 * have written it. (`npm start` runs with a secret generated for its process, app/stack.ts.)
 */
export function subgraphCaller(req: Pick<IncomingMessage, 'headers'> | undefined, secret: string | undefined): Identity {
  const value = req?.headers[IDENTITY_HEADER];
  if (value === undefined || value === '' || !secret) return ANONYMOUS;
  try {
    const parsed: unknown = JSON.parse(Array.isArray(value) ? value.join(', ') : value);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    const identity = identityFromClaims(parsed as Record<string, unknown>);
    // Only the gateway sets keyId (for an API key it verified) and codeId (for a holder token it
    // minted at sign-in and verified); identityFromClaims never takes either from a token's claims.
    const { keyId, codeId } = parsed as { keyId?: unknown; codeId?: unknown };
    if (codeId !== undefined) {
      if (identity.role !== 'holder' || identity.licenses.length !== 1 || !isText(codeId))
        throw new Error('"codeId" must be the id of the access code a holder of one license signed in with');
      return { ...identity, codeId };
    }
    if (keyId === undefined) return identity;
    if (identity.role !== 'provider' || !isText(keyId)) throw new Error('"keyId" must be the id of a provider\'s API key');
    return { ...identity, keyId };
  } catch (error) {
    throw unauthenticated(`Invalid ${IDENTITY_HEADER} header: ${error instanceof Error ? error.message : error}`);
  }
}
