/**
 * Identity at the gateway (docs/guide.md "Identity and access"): `Authorization: Bearer <JWT>`, HS256 with
 * JWT_SECRET, `exp` required, verified with `jose`; or `X-API-Key: <key>`, a key an admin issued to
 * a provider (gateway/identity/api-keys.ts). A bad, forged or expired token, an unknown or revoked key, or
 * both headers at once are refused with 401 UNAUTHENTICATED before the response cache is
 * consulted; no credentials is the anonymous caller. The verified identity is kept per request (identityOf) for the subgraph signer, which
 * forwards it in the signed `x-directory-identity` header.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { API_KEY_HEADER } from '../../lib/api-keys';
import { ANONYMOUS, identityFromClaims, type Identity } from '../../lib/identity';
import type { ApiKeyVerifier } from './api-keys';
import { discoveredKeySet, DiscoveryFailed } from './oidc-discovery';
import { message, type Message } from '../../lib/i18n/message';
import type { SettingValues } from '../../lib/settings';

export const MIN_JWT_SECRET_BYTES = 32;

/**
 * The audience of the holder tokens the gateway mints at sign-in (gateway/identity/holder-sign-in.ts), and
 * of no other token: a token naming it is a sign-in holder token or nothing (role holder, exactly
 * one license, the access code it was signed in with in `codeId`, a `jti`), and is checked against
 * the license's code in force on every request (gateway/identity/holder-standing.ts). So a holder token is
 * never taken for another kind of token, and no other token passes for one.
 */
export const HOLDER_TOKEN_AUDIENCE = 'onyx:license-holder';

const namesHolderAudience = (aud: unknown) => aud === HOLDER_TOKEN_AUDIENCE || (Array.isArray(aud) && aud.includes(HOLDER_TOKEN_AUDIENCE));

/** The identity of a sign-in holder token's claims; throws naming what is missing or wrong. */
function holderTokenIdentity(claims: Record<string, unknown>): Identity {
  const identity = identityFromClaims(claims);
  if (identity.role !== 'holder') throw new Error(`a token for the audience "${HOLDER_TOKEN_AUDIENCE}" is a holder token: its "role" must be holder`);
  if (identity.licenses.length !== 1) throw new Error('a sign-in holder token names exactly one license');
  const { codeId, jti } = claims;
  if (typeof codeId !== 'string' || codeId === '' || codeId.length > 200)
    throw new Error('a sign-in holder token names the access code it was signed in with ("codeId")');
  if (typeof jti !== 'string' || jti === '') throw new Error('a sign-in holder token has a "jti"');
  return { ...identity, codeId };
}
/** JWT_MAX_LIFETIME_SECONDS by default: an identity provider's access tokens live minutes to hours, never more than a day. */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/** Thrown for credentials the gateway refuses; `why` is safe to show the caller (said in the reader's language, front-door.ts). */
export class CredentialsRefused extends Error {
  constructor(readonly why: Message) {
    super(String(why));
  }
}

/**
 * The caller a request's credentials prove. Answered at once (no promise) for no credentials and
 * for a token verified before: on a cache hit every await is a measurable share of the request.
 */
export type IdentityVerifier = (req: Pick<IncomingMessage, 'headers'>) => Identity | Promise<Identity>;

const BEARER = /^Bearer\s+([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*)\s*$/i;

/** Tokens already verified, until their `exp`: a partner's integration sends the same one many times. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** What asymmetric tokens from an identity provider may be signed with (never "none", never HS* by a JWKS). */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/** How far the identity provider's clock may be ahead of ours when it stamps `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface IdentityVerifierOptions {
  /** JWKS_URL: an identity provider's key set. */
  jwksUrl?: URL;
  /** OIDC_ISSUER without JWKS_URL: the key set named by the issuer's discovery document (gateway/identity/oidc-discovery.ts). */
  discoveryIssuer?: string;
  /** JWT_ISSUER and JWT_AUDIENCE: required with jwksUrl or discoveryIssuer. */
  issuer?: string;
  audience?: string;
  /** JWT_MAX_LIFETIME_SECONDS: the longest exp - iat of a JWKS token. */
  maxLifetimeSeconds?: number;
  apiKeys?: ApiKeyVerifier;
}

/**
 * `secret`: JWT_SECRET, the HS256 key. `jwksUrl`: JWKS_URL, an identity provider's key set, the
 * production alternative: tokens signed with one of its keys (RS/PS/ES/EdDSA, chosen by `kid`)
 * are accepted too. jose fetches the set once, keeps it, and fetches again (at most every 30 s)
 * when a token names a `kid` it does not know, so the provider's key rotation needs no restart.
 *
 * An identity provider signs tokens for many applications with the same keys, so a JWKS token
 * counts only when it was issued by JWT_ISSUER for JWT_AUDIENCE (without both the verifier is not
 * built: any application's token with `"role": "admin"` would read every license), carries `iat`
 * not in the future, and lives at most JWT_MAX_LIFETIME_SECONDS (exp - iat). HS256 tokens are the
 * gateway's own (JWT_SECRET never leaves this deployment) and keep the pinned rules: `exp` required.
 *
 * `discoveryIssuer` (OIDC_ISSUER without JWKS_URL): the same, with the key set the issuer's
 * discovery document names; the tokens people get when they sign in at /partner and /admin.
 */
export function createIdentityVerifier(secret: string, options: IdentityVerifierOptions = {}): IdentityVerifier {
  const { apiKeys, issuer, audience } = options;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS;
  if (audience === HOLDER_TOKEN_AUDIENCE)
    throw new Error(`JWT_AUDIENCE must not be "${HOLDER_TOKEN_AUDIENCE}", the audience of the gateway's own holder tokens`);
  if ((options.jwksUrl || options.discoveryIssuer) && (!issuer || !audience)) {
    throw new Error(
      `${options.jwksUrl ? 'JWKS_URL' : 'OIDC_ISSUER'} needs JWT_ISSUER and JWT_AUDIENCE (the "iss" and "aud" this API's tokens carry): without them any application's token of the identity provider would be accepted`,
    );
  }
  const hmacKey = new TextEncoder().encode(secret);
  const keySet = options.jwksUrl
    ? createRemoteJWKSet(options.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 })
    : options.discoveryIssuer
      ? discoveredKeySet(options.discoveryIssuer)
      : undefined;
  const algorithms = keySet ? ['HS256', ...JWKS_ALGORITHMS] : ['HS256'];
  const key: JWTVerifyGetKey = (header, token) => {
    if (header.alg === 'HS256' || !keySet) return hmacKey;
    return keySet(header, token);
  };
  /** The identity provider's claims on top of the signature; its own rules, not the gateway's. */
  const jwksClaims = { issuer, audience, maxTokenAge: maxLifetime, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'iat'] };
  const isGatewayToken = (token: string) => {
    try {
      return decodeProtectedHeader(token).alg === 'HS256';
    } catch {
      return true; // malformed: jwtVerify says so below
    }
  };
  const known = new Map<string, { identity: Identity; expiresAt: number }>();
  const verifyApiKey = async (apiKey: string | string[], authorization: string | undefined): Promise<Identity> => {
    // Two credentials could name two callers: refuse rather than pick one.
    if (authorization !== undefined) throw new CredentialsRefused(message('credentials.twoHeaders'));
    const identity = apiKeys && typeof apiKey === 'string' ? await apiKeys(apiKey.trim()) : undefined;
    if (!identity) throw new CredentialsRefused(message('credentials.unknownApiKey'));
    return identity;
  };
  /** A token not verified before, or whose verification expired. */
  const verifyToken = async (token: string): Promise<Identity> => {
    known.delete(token);
    let claims: Record<string, unknown>;
    let fromIdentityProvider = false;
    try {
      fromIdentityProvider = keySet !== undefined && !isGatewayToken(token);
      ({ payload: claims } = await jwtVerify(token, key, fromIdentityProvider ? { algorithms, ...jwksClaims } : { algorithms, requiredClaims: ['exp'] }));
      if (fromIdentityProvider && Number(claims.exp) - Number(claims.iat) > maxLifetime) {
        throw new CredentialsRefused(message('credentials.lifetimeTooLong', { seconds: maxLifetime }));
      }
    } catch (error) {
      if (error instanceof CredentialsRefused) throw error;
      if (error instanceof joseErrors.JWTExpired)
        throw new CredentialsRefused(error.claim === 'exp' ? message('credentials.expired') : message('credentials.notAcceptable', { detail: error.message }));
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new CredentialsRefused(message('credentials.notAcceptable', { detail: error.message }));
      if (error instanceof joseErrors.JOSEAlgNotAllowed)
        throw new CredentialsRefused(
          keySet ? message('credentials.algorithmOrKeySet', { algorithms: JWKS_ALGORITHMS.join(', ') }) : message('credentials.algorithm'),
        );
      if (error instanceof joseErrors.JWKSNoMatchingKey) throw new CredentialsRefused(message('credentials.unknownKey'));
      if (
        error instanceof joseErrors.JWKSTimeout ||
        error instanceof joseErrors.JWKSInvalid ||
        error instanceof joseErrors.JOSENotSupported ||
        error instanceof DiscoveryFailed
      ) {
        throw new CredentialsRefused(message('credentials.keysUnreadable'));
      }
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new CredentialsRefused(message('credentials.badSignature'));
      throw new CredentialsRefused(message('credentials.malformed'));
    }
    try {
      // Only the gateway's own HS256 tokens can be sign-in holder tokens.
      if (fromIdentityProvider && namesHolderAudience(claims.aud)) throw new Error(`the audience "${HOLDER_TOKEN_AUDIENCE}" is the gateway's own`);
      const identity = namesHolderAudience(claims.aud) ? holderTokenIdentity(claims) : identityFromClaims(claims);
      if (known.size >= VERIFIED_TOKENS_KEPT) known.delete(known.keys().next().value!);
      known.set(token, { identity, expiresAt: Number(claims.exp) * 1000 });
      return identity;
    } catch (error) {
      throw new CredentialsRefused(message('credentials.notAcceptable', { detail: (error as Error).message }));
    }
  };
  /** The identity of a token verified before and not yet expired. */
  const verifiedBefore = (token: string): Identity | undefined => {
    const seen = known.get(token);
    return seen && seen.expiresAt > Date.now() ? seen.identity : undefined;
  };
  // No credentials and a token verified before are answered at once (no promise); every refusal is
  // a rejected promise.
  return (req) => {
    const authorization = req.headers.authorization;
    const apiKey = req.headers[API_KEY_HEADER];
    if (apiKey !== undefined) return verifyApiKey(apiKey, authorization);
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    // The usual spelling of a token verified before is found without the pattern (only tokens
    // that matched it were ever kept).
    const usual = authorization.startsWith('Bearer ') ? verifiedBefore(authorization.slice(7)) : undefined;
    if (usual) return usual;
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return Promise.reject(new CredentialsRefused(message('credentials.notBearer')));
    return verifiedBefore(token) ?? verifyToken(token);
  };
}

/** The identity the front door verified for this request (anonymous when it did not run). */
const VERIFIED = Symbol('verified identity'); // a property of the Node request: cheaper per request than a WeakMap entry
export const rememberIdentity = (req: IncomingMessage, identity: Identity) => void ((req as { [VERIFIED]?: Identity })[VERIFIED] = identity);
export const identityOf = (req: unknown): Identity => (req && typeof req === 'object' ? (req as { [VERIFIED]?: Identity })[VERIFIED] : undefined) ?? ANONYMOUS;

/**
 * JWT_SECRET: at least 32 bytes. Unset in production stops the gateway, naming the variable; unset
 * elsewhere, a random one is made for this process and reported through `onGenerated`.
 */
export function jwtSecret(settings: Pick<SettingValues, 'JWT_SECRET' | 'NODE_ENV'>, onGenerated: (secret: string) => void = () => undefined): string {
  const value = settings.JWT_SECRET;
  if (value === undefined || value === '') {
    if (settings.NODE_ENV === 'production')
      throw new Error(`JWT_SECRET must be set in production (at least ${MIN_JWT_SECRET_BYTES} bytes, e.g. openssl rand -hex 32)`);
    const generated = crypto.randomBytes(32).toString('hex');
    onGenerated(generated);
    return generated;
  }
  if (Buffer.byteLength(value, 'utf8') < MIN_JWT_SECRET_BYTES) {
    throw new Error(`JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes (e.g. openssl rand -hex 32), got ${Buffer.byteLength(value, 'utf8')}`);
  }
  return value;
}

/** A token the gateway accepts (demo tokens of `npm start`, tests). */
export function signIdentityToken(
  secret: string,
  claims: Record<string, unknown> & { sub: string; role: string },
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

/**
 * The holder token of a sign-in: for one license, good until `exp` (seconds) and while the access
 * code `codeId` is the license's code in force; its own audience, and a `jti` of its own.
 */
export function signHolderToken(secret: string, licenseKey: string, codeId: string, exp: number): Promise<string> {
  return new SignJWT({ sub: `holder:${licenseKey}`, role: 'holder', licenses: [licenseKey], codeId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(HOLDER_TOKEN_AUDIENCE)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}
