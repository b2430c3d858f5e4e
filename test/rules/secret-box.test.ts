import crypto from 'node:crypto';
import { derivedKey, isSealedSecret, openSealedSecret, sealSecret, sealedKeyId, secretKeyRing, SealedSecretUnreadable } from '../../lib/secret-box';

const keyA = crypto.randomBytes(32);
const keyB = crypto.randomBytes(32);

describe('secret box', () => {
  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const ring = secretKeyRing([['a', keyA]]);
    const sealed = sealSecret('whsec_c2VjcmV0', ring, 'endpoint-1');
    expect(sealed).not.toContain('whsec_');
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealedKeyId(sealed)).toBe('a');
    expect(openSealedSecret(sealed, ring, 'endpoint-1').toString()).toBe('whsec_c2VjcmV0');
  });

  it('opens a value sealed with an older key after rotation, and seals new values with the newest', () => {
    const old = sealSecret('s', secretKeyRing([['a', keyA]]));
    const rotated = secretKeyRing([
      ['b', keyB],
      ['a', keyA],
    ]);
    expect(openSealedSecret(old, rotated).toString()).toBe('s');
    expect(sealedKeyId(sealSecret('s', rotated))).toBe('b');
  });

  it('refuses a retired key, another row, a changed byte and plain text', () => {
    const sealed = sealSecret('s', secretKeyRing([['a', keyA]]), 'row-1');
    expect(() => openSealedSecret(sealed, secretKeyRing([['b', keyB]]), 'row-1')).toThrow(SealedSecretUnreadable);
    expect(() => openSealedSecret(sealed, secretKeyRing([['a', keyA]]), 'row-2')).toThrow(SealedSecretUnreadable);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    expect(() => openSealedSecret(parts.join('.'), secretKeyRing([['a', keyA]]), 'row-1')).toThrow(SealedSecretUnreadable);
    expect(() => openSealedSecret('whsec_plain', secretKeyRing([['a', keyA]]))).toThrow(SealedSecretUnreadable);
    expect(isSealedSecret('whsec_plain')).toBe(false);
  });

  it('derives different keys for different purposes from one secret', () => {
    expect(derivedKey('s'.repeat(32), 'webhook secrets').equals(derivedKey('s'.repeat(32), 'idempotency answers'))).toBe(false);
    expect(derivedKey('s'.repeat(32), 'x')).toHaveLength(32);
  });

  it('refuses a key of the wrong size or an empty ring', () => {
    expect(() => secretKeyRing([['a', Buffer.alloc(16)]])).toThrow(/32 bytes/);
    expect(() => secretKeyRing([])).toThrow();
  });
});
