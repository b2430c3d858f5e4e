/**
 * Identity at the gateway (CONTRACT.md "Identity"): `Authorization: Bearer <JWT>`, HS256 with
 * JWT_SECRET, `exp` required, verified with `jose`; or `X-API-Key: <key>`, a key an admin issued to
 * a provider (gateway/api-keys.ts). A bad, forged or expired token, an unknown or revoked key, or
 * both headers at once are refused with 401 UNAUTHENTICATED before the response cache is
 * consulted; no credentials is the anonymous caller. The verified identity is kept per request (identityOf) for the subgraph signer, which
 * forwards it in the signed `x-directory-identity` header.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { API_KEY_HEADER } from '../lib/api-keys';
import { ANONYMOUS, identityFromClaims, type Identity } from '../lib/identity';
import type { ApiKeyVerifier } from './api-keys';

export const MIN_JWT_SECRET_BYTES = 32;

/** Thrown for credentials the gateway refuses; the message is safe to show the caller. */
export class CredentialsRefused extends Error {}

export type IdentityVerifier = (req: Pick<IncomingMessage, 'headers'>) => Promise<Identity>;

const BEARER = /^Bearer\s+([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*)\s*$/i;

/** Tokens already verified, until their `exp`: a partner's integration sends the same one many times. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** apiKeys: how an X-API-Key is checked; without it every key is refused. */
export function createIdentityVerifier(secret: string, apiKeys?: ApiKeyVerifier): IdentityVerifier {
  const key = new TextEncoder().encode(secret);
  const known = new Map<string, { identity: Identity; expiresAt: number }>();
  return async (req) => {
    const authorization = req.headers.authorization;
    const apiKey = req.headers[API_KEY_HEADER];
    if (apiKey !== undefined) {
      // Two credentials could name two callers: refuse rather than pick one.
      if (authorization !== undefined) throw new CredentialsRefused('Send either an Authorization header or an X-API-Key header, not both');
      const identity = apiKeys && typeof apiKey === 'string' ? await apiKeys(apiKey.trim()) : undefined;
      if (!identity) throw new CredentialsRefused('Unknown or revoked API key');
      return identity;
    }
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new CredentialsRefused('The Authorization header must be "Bearer <JWT>"');
    const seen = known.get(token);
    if (seen && seen.expiresAt > Date.now()) return seen.identity;
    if (seen) known.delete(token);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new CredentialsRefused('The token has expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new CredentialsRefused(`The token is not acceptable: ${error.message}`);
      if (error instanceof joseErrors.JOSEAlgNotAllowed) throw new CredentialsRefused('The token must be signed with HS256');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new CredentialsRefused('The token signature is invalid');
      throw new CredentialsRefused('The token is malformed');
    }
    try {
      const identity = identityFromClaims(claims);
      if (known.size >= VERIFIED_TOKENS_KEPT) known.delete(known.keys().next().value!);
      known.set(token, { identity, expiresAt: Number(claims.exp) * 1000 });
      return identity;
    } catch (error) {
      throw new CredentialsRefused(`The token is not acceptable: ${(error as Error).message}`);
    }
  };
}

/** The identity the front door verified for this request (anonymous when it did not run). */
const verified = new WeakMap<object, Identity>();
export const rememberIdentity = (req: IncomingMessage, identity: Identity) => void verified.set(req, identity);
export const identityOf = (req: unknown): Identity => (req && typeof req === 'object' ? verified.get(req) : undefined) ?? ANONYMOUS;

/**
 * JWT_SECRET: at least 32 bytes. Unset in production stops the gateway, naming the variable; unset
 * elsewhere, a random one is made for this process and reported through `onGenerated`.
 */
export function jwtSecret(env: Record<string, string | undefined> = process.env, onGenerated: (secret: string) => void = () => undefined): string {
  const value = env.JWT_SECRET;
  if (value === undefined || value === '') {
    if (env.NODE_ENV === 'production') throw new Error(`JWT_SECRET must be set in production (at least ${MIN_JWT_SECRET_BYTES} bytes, e.g. openssl rand -hex 32)`);
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
export function signIdentityToken(secret: string, claims: Record<string, unknown> & { sub: string; role: string }, expiresIn: string | number = '12h'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}
