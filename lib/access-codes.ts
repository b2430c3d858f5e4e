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
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

/** Crockford's base32: no I, L, O or U, so nothing is mistaken for another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ACCESS_CODE_LENGTH = 16;

/** ~50 ms on one core of the build machine: slow for a guesser, unnoticeable for a sign-in. */
const COST = { log2N: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
const maxmem = (log2N: number, r: number) => 256 * 2 ** log2N * r;

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
export function accessCodeProblem(typed: string): string | undefined {
  if (normalizeAccessCode(typed) !== undefined) return undefined;
  return `an access code has ${ACCESS_CODE_LENGTH} letters and digits (Crockford base32: 0-9 and A-Z without I, L, O, U; hyphens and spaces are ignored), e.g. 7K3M-QX9D-RT2A-W4HN`;
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
