/**
 * Signed subgraph requests: the gateway signs every request it sends a subgraph with a secret the
 * two share (SUBGRAPH_SECRET), and a subgraph configured with that secret serves nothing else, so a
 * caller that reaches a subgraph port (another container on the network) reads nothing.
 *
 * The MAC (HMAC-SHA256) covers everything the subgraph acts on: the method, the request target
 * (path and query string), a timestamp, a nonce, the identity the gateway forwards
 * (`x-directory-identity`, signed even when empty, so it can be neither added nor changed) and the
 * exact body bytes. Hive Gateway's stock HMAC covers only the query and its variables, and only
 * Yoga can verify it; this is the Apollo Server (express) side, and the signer the gateway calls.
 *
 * Replays: the timestamp must lie within ±30 s of the subgraph's clock, and a signature seen once is
 * refused for the rest of its window (a bounded in-memory cache per subgraph process). The nonce
 * makes two identical legitimate requests in the same millisecond two different signatures.
 */
import crypto from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { AsyncResource } from 'node:async_hooks';
import type { SettingValues } from './settings';
import { logEvent } from './log';

export const SIGNATURE_HEADER = 'x-directory-signature';
export const TIMESTAMP_HEADER = 'x-directory-timestamp';
export const NONCE_HEADER = 'x-directory-nonce';
/** The caller's identity as the gateway established it, JSON; trustworthy only on a verified request. */
export const IDENTITY_HEADER = 'x-directory-identity';

export const MIN_SECRET_BYTES = 32;
export const DEFAULT_SIGNATURE_WINDOW_MS = 30_000;
const VERSION = 'v1';

export type Secret = string | Uint8Array;

export interface SubgraphRequest {
  method: string;
  /** The request target as sent: path plus query string, e.g. `/graphql` or `/graphql?query=…`. */
  path: string;
  /** The exact body bytes sent (a string is taken as UTF-8); empty for GET. */
  body?: string | Uint8Array;
  /** The identity header's value (JSON text), or the identity itself (serialized here); none: empty. */
  identity?: string | object | null;
}

export type SubgraphSignatureHeaders = Record<string, string>;

/**
 * The secret as an HMAC key, imported once per secret: createHmac given raw bytes imports them on
 * every call (measured 7.6 µs against 3.0 µs with a KeyObject, per subgraph call, between requests).
 */
const stringKeys = new Map<string, crypto.KeyObject>();
const byteKeys = new WeakMap<Uint8Array, crypto.KeyObject>();
function secretKey(secret: Secret): crypto.KeyObject {
  const known = typeof secret === 'string' ? stringKeys.get(secret) : byteKeys.get(secret);
  if (known) return known;
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`the subgraph secret must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length}`);
  const key = crypto.createSecretKey(bytes);
  // A process has one or two secrets (the current one, and the next while it is rotated in).
  if (typeof secret === 'string') {
    if (stringKeys.size >= 16) stringKeys.clear();
    stringKeys.set(secret, key);
  } else byteKeys.set(secret, key);
  return key;
}

/**
 * JSON that is also a valid HTTP header value: characters outside ASCII are written as \u escapes
 * (JSON.parse gives back the same object), since Node and fetch refuse them in headers.
 */
export function identityHeaderValue(identity: SubgraphRequest['identity']): string {
  if (identity === undefined || identity === null) return '';
  if (typeof identity === 'string') return identity;
  return JSON.stringify(identity).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The MAC over the canonical form: one line per header-safe field, then the body bytes. */
function mac(
  secret: crypto.KeyObject,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  identity: string,
  body: string | Uint8Array | undefined,
): Buffer {
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(`onyx-subgraph-${VERSION}\n${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${identity}\n`);
  // A string body is hashed as its UTF-8 bytes without copying it into a Buffer first.
  if (body !== undefined) hmac.update(body);
  return hmac.digest();
}

// Fields are separated by newlines, so none may contain one (headers cannot carry them anyway).
const HEADER_SAFE = /^[^\r\n\0]*$/;

/**
 * The headers that make a request acceptable to a subgraph configured with `secret`. Pure apart from
 * the clock and the random nonce, both of which can be passed in; no HTTP library involved.
 */
export function signSubgraphRequest(request: SubgraphRequest & { secret: Secret; now?: number; nonce?: string }): SubgraphSignatureHeaders {
  const identity = identityHeaderValue(request.identity);
  checkMethod(request.method);
  checkPath(request.path);
  checkIdentity(identity);
  if (request.nonce !== undefined && !NONCE.test(request.nonce)) throw new Error('the nonce must be 16 to 64 lowercase hex digits');
  return signatureHeaders(secretKey(request.secret), request.method, request.path, request.body, identity, request.now, request.nonce);
}

const NONCE = /^[0-9a-f]{16,64}$/;
const checkMethod = (method: string) => {
  if (!/^[A-Za-z]+$/.test(method)) throw new Error(`not an HTTP method: ${JSON.stringify(method)}`);
};
const checkPath = (path: string) => {
  if (!path.startsWith('/') || !HEADER_SAFE.test(path)) throw new Error(`not a request path: ${JSON.stringify(path)}`);
};
const checkIdentity = (identity: string) => {
  if (!HEADER_SAFE.test(identity)) throw new Error('the identity must be a valid header value');
};

/**
 * A signer for one secret that checks each method, path and identity once (they repeat: a handful
 * of subgraph URLs, one identity per caller) rather than on every call, the gateway's hot path.
 */
export function subgraphSigner(
  secret: Secret,
): (method: string, path: string, body: string | Uint8Array | undefined, identity: string) => SubgraphSignatureHeaders {
  const key = secretKey(secret);
  /** A check that remembers the values it passed (up to 10,000 of them). */
  const once = (check: (value: string) => void) => {
    const passed = new Set<string>();
    return (value: string) => {
      if (passed.has(value)) return;
      check(value);
      if (passed.size >= 10_000) passed.clear();
      passed.add(value);
    };
  };
  const [methodChecked, pathChecked, identityChecked] = [once(checkMethod), once(checkPath), once(checkIdentity)];
  return (method, path, body, identity) => {
    methodChecked(method);
    pathChecked(path);
    identityChecked(identity);
    return signatureHeaders(key, method, path, body, identity);
  };
}

function signatureHeaders(
  key: crypto.KeyObject,
  method: string,
  path: string,
  body: string | Uint8Array | undefined,
  identity: string,
  now?: number,
  givenNonce?: string,
): SubgraphSignatureHeaders {
  // randomUUID draws from a cached pool of random bytes (randomBytes asks the system on every call):
  // its 122 random bits, as 32 hex digits, are the nonce.
  const nonce = givenNonce ?? crypto.randomUUID().replace(/-/g, '');
  const timestamp = String(Math.trunc(now ?? Date.now()));
  const signature = mac(key, method, path, timestamp, nonce, identity, body);
  const headers: SubgraphSignatureHeaders = {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: `${VERSION}=${signature.toString('hex')}`,
  };
  if (identity !== '') headers[IDENTITY_HEADER] = identity;
  return headers;
}

export type SignatureFailure = 'missing' | 'expired' | 'invalid' | 'replayed';

export type SignatureCheck = { ok: true; signature: string; expiresAt: number } | { ok: false; reason: SignatureFailure };

type HeaderBag = Record<string, string | string[] | undefined>;
const header = (headers: HeaderBag, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The checks that need no body: all signature headers present, timestamp within the window. */
function checkFreshness(headers: HeaderBag, now: number, windowMs: number): SignatureCheck | undefined {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp || !header(headers, NONCE_HEADER)) return { ok: false, reason: 'missing' };
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > windowMs) return { ok: false, reason: 'expired' };
  return undefined;
}

/**
 * Checks one request against `secret` (no replay memory: see verifySubgraphSignature). The MAC is
 * compared in constant time; a malformed signature is simply invalid.
 */
export function verifySubgraphRequest(
  request: Omit<SubgraphRequest, 'identity'> & { headers: HeaderBag; secret: Secret; now?: number; windowMs?: number },
): SignatureCheck {
  const key = secretKey(request.secret);
  const now = request.now ?? Date.now();
  const windowMs = request.windowMs ?? DEFAULT_SIGNATURE_WINDOW_MS;
  const stale = checkFreshness(request.headers, now, windowMs);
  if (stale) return stale;
  const timestamp = header(request.headers, TIMESTAMP_HEADER)!;
  const signature = header(request.headers, SIGNATURE_HEADER)!;
  const nonce = header(request.headers, NONCE_HEADER)!;
  const identity = header(request.headers, IDENTITY_HEADER) ?? '';
  const expected = mac(key, request.method, request.path, timestamp, nonce, identity, request.body);
  const match = new RegExp(`^${VERSION}=([0-9a-f]{64})$`).exec(signature);
  const given = match ? Buffer.from(match[1], 'hex') : Buffer.alloc(expected.length);
  // Always run the comparison, even for a malformed header, so timing tells nothing either way.
  const equal = crypto.timingSafeEqual(expected, given) && match !== null;
  return equal ? { ok: true, signature: match![1], expiresAt: Number(timestamp) + windowMs } : { ok: false, reason: 'invalid' };
}

/** Signatures already served, each kept until its timestamp leaves the window; oldest dropped first when full. */
class SeenSignatures {
  private readonly seen = new Map<string, number>();
  constructor(private readonly capacity: number) {}

  /** false when the signature was seen before (a replay). */
  remember(signature: string, expiresAt: number, now: number): boolean {
    for (const [old, expiry] of this.seen) {
      if (expiry >= now && this.seen.size < this.capacity) break;
      this.seen.delete(old);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, expiresAt);
    return true;
  }
}

const MESSAGES: Record<SignatureFailure, string> = {
  missing: 'Missing request signature: this subgraph serves only requests signed by the gateway',
  expired: 'Expired request signature: its timestamp is outside the accepted window',
  invalid: 'Invalid request signature',
  replayed: 'Request signature already used',
};

export interface VerifyOptions {
  /** Largest body read to check its MAC (the subgraph's body limit). */
  bodyLimit?: number | string;
  windowMs?: number;
  /** How many served signatures the replay cache holds. */
  replayCacheSize?: number;
  now?: () => number;
}

/**
 * Express middleware: serves only requests signed with `secret`, answering anything else with HTTP
 * 401 UNAUTHENTICATED in GraphQL's error shape. The headers and timestamp are checked before the
 * body is read; the body is then read as raw bytes (req.body becomes a Buffer, or stays undefined
 * when there is none) for the MAC, and parsing is left to what follows.
 */
export function verifySubgraphSignature(secret: Secret, options: VerifyOptions = {}): RequestHandler {
  secretKey(secret); // a short secret stops the start, not the first request
  const windowMs = options.windowMs ?? DEFAULT_SIGNATURE_WINDOW_MS;
  const now = options.now ?? Date.now;
  const seen = new SeenSignatures(options.replayCacheSize ?? 50_000);
  // inflate: false: the MAC is over the bytes as sent, and the gateway never compresses them.
  const readBody = express.raw({ type: () => true, limit: options.bodyLimit ?? '10mb', inflate: false });
  return (req, res, next) => {
    const refuse = (reason: SignatureFailure) => {
      logEvent('warn', 'subgraph_request_refused', {
        reason,
        method: req.method,
        path: req.originalUrl.slice(0, 200),
        remoteAddress: req.socket.remoteAddress,
      });
      res.status(401).json({ errors: [{ message: MESSAGES[reason], extensions: { code: 'UNAUTHENTICATED' } }] });
    };
    const stale = checkFreshness(req.headers, now(), windowMs);
    if (stale && !stale.ok) return refuse(stale.reason);
    // Bound: the body's last chunk arrives outside the request's scope, whose id the log line carries.
    readBody(
      req,
      res,
      AsyncResource.bind((error?: unknown) => {
        if (error) return next(error);
        const body = Buffer.isBuffer(req.body) ? req.body : undefined;
        const check = verifySubgraphRequest({ method: req.method, path: req.originalUrl, body, headers: req.headers, secret, now: now(), windowMs });
        if (!check.ok) return refuse(check.reason);
        if (!seen.remember(check.signature, check.expiresAt, now())) return refuse('replayed');
        next();
      }),
    );
  };
}

/**
 * SUBGRAPH_SECRET: at least 32 bytes when set. Unset, a subgraph serves unsigned requests but
 * believes no identity in them (every caller is anonymous, lib/identity.ts); `npm start`, which runs
 * everything in one process, then signs with a secret it generates (app/stack.ts).
 */
export function subgraphSecret(settings: Pick<SettingValues, 'SUBGRAPH_SECRET'>): string | undefined {
  // Its length (at least MIN_SECRET_BYTES) is checked by the settings table.
  return settings.SUBGRAPH_SECRET;
}

/**
 * SUBGRAPH_SECRET for a process that runs a gateway or a subgraph on its own (containers). In
 * production it is required: without it the subgraphs would believe no identity the gateway
 * forwards, and every signed-in caller would silently be served as anonymous.
 */
export function deployedSubgraphSecret(settings: Pick<SettingValues, 'SUBGRAPH_SECRET' | 'NODE_ENV'>): string | undefined {
  const secret = subgraphSecret(settings);
  if (secret === undefined && settings.NODE_ENV === 'production') {
    throw new Error(
      `SUBGRAPH_SECRET must be set in production (the same value for the gateway and every subgraph, at least ${MIN_SECRET_BYTES} bytes, e.g. openssl rand -hex 32): without it the subgraphs believe no caller's identity`,
    );
  }
  return secret;
}

/** A secret for the gateway and the subgraphs of one process (`npm start`, tests), never written anywhere. */
export const generateSubgraphSecret = (): string => crypto.randomBytes(32).toString('hex');
