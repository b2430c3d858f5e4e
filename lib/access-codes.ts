/**
 * A license's access code: what a practice finds on its license papers and types, with the license
 * key, to sign in as the license's holder. Shared by the licenses subgraph (issues and checks codes)
 * and the directory import (which may set them).
 *
 * The code is 16 characters of Crockford's base32 (80 random bits), shown in groups of four
 * (`7K3M-QX9D-RT2A-W4HN`) so it can be read over the phone and typed from paper: case, spaces and
 * hyphens do not matter, and O/I/L are read as 0/1/1.
 *
 * Stored only as a slow hash: scrypt (RFC 7914) from node:crypto, with a random salt per code, in
 * the self-describing form `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`. No password-hashing library:
 * Node ships scrypt, a memory-hard function made for exactly this, and the usual alternatives
 * (bcrypt, argon2) are native add-ons that would have to be built for every platform we deploy to.
 * Unlike an API key (256 random bits, where SHA-256 suffices), a code is short enough to type, so
 * each guess must cost the guesser; the sign-in throttle at the gateway limits the guesses as well.
 *
 * A directory file may carry a code in its stored form (a vendor migrating its holders' codes moves
 * hashes, never plain codes): storedAccessCodeProblem checks that form strictly, its cost within
 * STORED_COST_BOUNDS, so a file can neither weaken the codes nor make each sign-in cost the
 * subgraph a gigabyte.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { message, type Message } from './i18n/message';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

/** Crockford's base32: no I, L, O or U, so nothing is mistaken for another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ACCESS_CODE_LENGTH = 16;

/** ~50 ms on one core of the build machine: slow for a guesser, unnoticeable for a sign-in. */
const COST = { log2N: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
const maxmem = (log2N: number, r: number) => 256 * 2 ** log2N * r;

/**
 * The costs a stored form may name. At least ours minus one doubling (older hashes a vendor moves
 * may be a little cheaper, never trivially so); at most what a sign-in can afford: scrypt takes
 * 128·N·r bytes, kept at or under 128 MiB, and p runs serially.
 */
export const STORED_COST_BOUNDS = { log2N: [14, 20], r: [8, 32], p: [1, 4], maxBytes: 128 * 1024 * 1024 } as const;
/** Bytes of memory one scrypt of this cost takes. */
export const scryptMemory = (log2N: number, r: number) => 128 * 2 ** log2N * r;
/** The memory of one hash at the cost new codes get (for callers that bound how many run at once). */
export const ACCESS_CODE_HASH_MEMORY = scryptMemory(COST.log2N, COST.r);

const STORED_FORM = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** A new random code, normalized (formatAccessCode groups it for reading). */
export function newAccessCode(): string {
  const bytes = crypto.randomBytes(ACCESS_CODE_LENGTH);
  // 256 is a multiple of 32: each byte mod 32 is uniform.
  return [...bytes].map((b) => ALPHABET[b % 32]).join('');
}

/** `7K3MQX9DRT2AW4HN` as `7K3M-QX9D-RT2A-W4HN`. */
export const formatAccessCode = (normalized: string) => normalized.match(/.{1,4}/g)!.join('-');

/**
 * The code as compared: upper case, without spaces or hyphens, O read as 0 and I/L as 1; undefined
 * when it cannot be a code (wrong length or characters). Callers treat undefined like a wrong code.
 */
export function normalizeAccessCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== ACCESS_CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return undefined;
  return code;
}

/** Why `typed` is not an access code (for the import's and the API's messages), or undefined. */
export function accessCodeProblem(typed: string): Message | undefined {
  if (normalizeAccessCode(typed) !== undefined) return undefined;
  return message('check.accessCode', { length: ACCESS_CODE_LENGTH, example: '7K3M-QX9D-RT2A-W4HN' });
}

/** Whether `text` is meant as a stored form (then storedAccessCodeProblem says what is wrong with it). */
export const looksStored = (text: string) => text.trimStart().startsWith('scrypt$');

/** base64url without padding that decodes to `min`..`max` bytes and is written the one canonical way. */
function base64urlProblem(text: string, name: string, min: number, max: number): string | undefined {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return `the ${name} must be base64url without padding`;
  if (bytes.length < min || bytes.length > max) return `the ${name} must be ${min === max ? min : `${min} to ${max}`} bytes (got ${bytes.length})`;
  return undefined;
}

/**
 * Why `text` is not an access code's stored form `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (the
 * salt 16 to 64 bytes and the hash 32 bytes, both base64url; the cost within STORED_COST_BOUNDS),
 * or undefined when it is one.
 */
export function storedAccessCodeProblem(text: string): string | undefined {
  const form = 'scrypt$<log2 N>$<r>$<p>$<salt>$<hash> (base64url salt and hash)';
  const match = STORED_FORM.exec(text.trim());
  if (!match) return `a hashed access code has the form ${form}`;
  const [log2N, r, p] = match.slice(1, 4).map(Number);
  const { log2N: n, r: rs, p: ps, maxBytes } = STORED_COST_BOUNDS;
  if (log2N < n[0] || log2N > n[1]) return `its log2 N must be ${n[0]} to ${n[1]} (got ${log2N})`;
  if (r < rs[0] || r > rs[1]) return `its r must be ${rs[0]} to ${rs[1]} (got ${r})`;
  if (p < ps[0] || p > ps[1]) return `its p must be ${ps[0]} to ${ps[1]} (got ${p})`;
  if (scryptMemory(log2N, r) > maxBytes)
    return `its cost takes ${scryptMemory(log2N, r) / 2 ** 20} MiB per sign-in (128·N·r); at most ${maxBytes / 2 ** 20} MiB`;
  return base64urlProblem(match[4], 'salt', SALT_BYTES, 64) ?? base64urlProblem(match[5], 'hash', KEY_LENGTH, KEY_LENGTH);
}

/** The stored form of a (normalized) code. */
export async function hashAccessCode(code: string): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const { log2N, r, p } = COST;
  const hash = await scrypt(code, salt, KEY_LENGTH, { N: 2 ** log2N, r, p, maxmem: maxmem(log2N, r) });
  return ['scrypt', log2N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * Whether `typed` is the code behind `stored`. With no stored hash (an unknown license, or one
 * without a code) a hash is still computed, so the answer takes as long as for a wrong code: the
 * time of the answer must not tell which license keys exist.
 */
export async function verifyAccessCode(typed: string, stored: string | undefined): Promise<boolean> {
  const code = normalizeAccessCode(typed);
  const parts = stored?.split('$');
  const valid = parts?.length === 6 && parts[0] === 'scrypt';
  const [log2N, r, p] = valid ? parts.slice(1, 4).map(Number) : [COST.log2N, COST.r, COST.p];
  const salt = valid ? Buffer.from(parts[4], 'base64url') : crypto.randomBytes(SALT_BYTES);
  const expected = valid ? Buffer.from(parts[5], 'base64url') : crypto.randomBytes(KEY_LENGTH);
  // Something that is no code at all is hashed as a stand-in, never as typed (it may be huge).
  const actual = await scrypt(code ?? '0'.repeat(ACCESS_CODE_LENGTH), salt, expected.length, { N: 2 ** log2N, r, p, maxmem: maxmem(log2N, r) });
  return valid && code !== undefined && crypto.timingSafeEqual(actual, expected);
}
