/**
 * Secrets at rest: a value that would give a working credential to whoever copies the database (a
 * webhook endpoint's signing secret, a kept answer that carries an API key or an access code) is
 * stored sealed with AES-256-GCM under a key the database does not hold.
 *
 * A sealed value names the key it was sealed with (`v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url),
 * so keys can be rotated: seal with the newest, open with any key still in the ring, re-seal at
 * leisure. `associatedData` binds a sealed value to its row (an endpoint id, a claim), so a value
 * copied into another row does not open there. Node's own crypto: GCM is authenticated, so a changed
 * byte or a wrong key is an error, never garbage.
 */
import crypto from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** The keys a process may seal and open with; the first is the one new values are sealed with. */
export interface SecretKeyRing {
  readonly current: { readonly id: string; readonly key: Buffer };
  readonly byId: ReadonlyMap<string, Buffer>;
}

/** A sealed value could not be opened: unknown key id, wrong key, changed bytes or not a sealed value. */
export class SealedSecretUnreadable extends Error {
  readonly code = 'SEALED_SECRET_UNREADABLE';
}

/** A ring from `[id, key]` pairs, newest first; every key must be 32 bytes and every id a plain word. */
export function secretKeyRing(keys: ReadonlyArray<readonly [string, Buffer]>): SecretKeyRing {
  if (keys.length === 0) throw new Error('a key ring needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const [id, key] of keys) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`key id "${id}" must be 1 to 32 letters, digits, "-" or "_"`);
    if (key.length !== KEY_BYTES) throw new Error(`key "${id}" must be ${KEY_BYTES} bytes, not ${key.length}`);
    if (byId.has(id)) throw new Error(`key id "${id}" is named twice`);
    byId.set(id, key);
  }
  const [id, key] = keys[0];
  return { current: { id, key }, byId };
}

/**
 * A 32-byte key derived from a secret and a purpose (HKDF-SHA-256): one configured secret serves
 * several uses without one use's key opening another's values.
 */
export function derivedKey(secret: string | Buffer, purpose: string, salt: string | Buffer = ''): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, salt, purpose, KEY_BYTES));
}

export function sealSecret(plaintext: string | Buffer, ring: SecretKeyRing, associatedData = ''): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, ring.current.id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

export function openSealedSecret(sealed: string, ring: SecretKeyRing, associatedData = ''): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SealedSecretUnreadable('not a sealed value');
  const [, keyId, iv, ciphertext, tag] = parts;
  const key = ring.byId.get(keyId);
  if (!key) throw new SealedSecretUnreadable(`sealed with key "${keyId}", which is not in the key ring`);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new SealedSecretUnreadable(`does not open with key "${keyId}" (changed, or sealed for another row)`);
  }
}

/** Whether a stored value is sealed (rows written before sealing was introduced are not). */
export function isSealedSecret(value: string): boolean {
  return value.startsWith(`${VERSION}.`) && value.split('.').length === 5;
}

/** The key id a sealed value names, to find values still sealed with a retired key. */
export function sealedKeyId(sealed: string): string | undefined {
  return isSealedSecret(sealed) ? sealed.split('.')[1] : undefined;
}
