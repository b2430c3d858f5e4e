/** The pure parts of Idempotency-Keys (gateway/shared-state/idempotency.ts, lib/idempotency.ts): what counts as the same request, whose key it is, how a kept answer is sealed. */
import { parse } from 'graphql';
import { requestFingerprint, withIdempotentRequest } from '../../gateway/shared-state/idempotency';
import { idempotencyKeyHash, idempotencyKeyProblem, idempotencyScope, idempotentRequestOf, openKeptAnswer, sealKeptAnswer } from '../../lib/idempotency';
import { secretKeyRing } from '../../lib/secret-box';

test('the same document and variables, in any key order, sent as text or parsed, is the same request; other variables or another operation are not', () => {
  const a = requestFingerprint({ document: 'mutation M { x }', operationName: 'M', variables: { a: 1, b: { c: [1, 2], d: null } } });
  expect(requestFingerprint({ variables: { b: { d: null, c: [1, 2] }, a: 1 }, operationName: 'M', document: parse('mutation M { x }') })).toBe(a);
  // The printed document: the same operation with other whitespace is the same request.
  expect(requestFingerprint({ document: parse('mutation   M {\n  x\n}'), operationName: 'M', variables: { a: 1, b: { c: [1, 2], d: null } } })).toBe(a);
  expect(requestFingerprint({ document: 'mutation M { x }', operationName: 'M', variables: { a: 2, b: { c: [1, 2], d: null } } })).not.toBe(a);
  expect(requestFingerprint({ document: 'mutation M { x }', operationName: 'M', variables: { a: 1, b: { c: [2, 1], d: null } } })).not.toBe(a);
  expect(requestFingerprint({ document: 'mutation N { x }', operationName: 'N', variables: { a: 1, b: { c: [1, 2], d: null } } })).not.toBe(a);
});

test('a key belongs to the verified caller', () => {
  expect(idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'p', keyId: '1' })).toBe('provider:p:api-key:1');
  expect(idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'q' })).not.toBe(
    idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'p' }),
  );
  expect(idempotencyScope({ role: 'admin', sub: 'ops' })).toBe('admin:ops');
  expect(idempotencyScope({ role: 'anonymous' })).toBe('anonymous');
});

test('a key is 1 to 255 printable characters; a subgraph believes only a well-formed key and fingerprint', () => {
  expect(idempotencyKeyProblem('order-4711')).toBeUndefined();
  expect(String(idempotencyKeyProblem(''))).toContain('1 to 255');
  expect(String(idempotencyKeyProblem('with space'))).toContain('printable');
  const fingerprint = 'a'.repeat(64);
  const body = JSON.parse(withIdempotentRequest(JSON.stringify({ query: '{ x }', extensions: { other: 1 } }), { key: 'k', fingerprint }));
  expect(body).toEqual({ query: '{ x }', extensions: { other: 1, idempotency: { key: 'k', fingerprint } } });
  expect(idempotentRequestOf(body.extensions)).toEqual({ key: 'k', fingerprint });
  expect(idempotentRequestOf({})).toBeUndefined();
  expect(() => idempotentRequestOf({ idempotency: { key: 'k', fingerprint: 'nope' } })).toThrow(/fingerprint/);
  expect(() => idempotentRequestOf({ idempotency: { key: 'a b', fingerprint } })).toThrow(/key/);
});

describe('a kept answer', () => {
  const old = secretKeyRing([['k1', Buffer.alloc(32, 1)]]);
  const ring = secretKeyRing([
    ['k2', Buffer.alloc(32, 2)],
    ['k1', Buffer.alloc(32, 1)],
  ]);
  const request = { key: 'order-4711', fingerprint: 'f'.repeat(64) };
  const text = JSON.stringify({ data: { issueApiKey: { key: 'onyx_secret' } } });

  test('is sealed: neither the answer nor the key is in what is stored', () => {
    const sealed = sealKeptAnswer(ring, 'admin:ops', request, text);
    expect(sealed).not.toContain('onyx_secret');
    expect(Buffer.from(sealed.split('.')[3], 'base64url').toString('latin1')).not.toContain('onyx_secret');
    expect(idempotencyKeyHash(request.key)).toMatch(/^[0-9a-f]{64}$/);
    expect(openKeptAnswer(ring, 'admin:ops', request, sealed)).toBe(text);
  });

  test('opens only with the server key and the client key, for its own row', () => {
    const sealed = sealKeptAnswer(ring, 'admin:ops', request, text);
    expect(() => openKeptAnswer(ring, 'admin:ops', { ...request, key: 'order-4712' }, sealed)).toThrow();
    expect(() => openKeptAnswer(ring, 'admin:other', request, sealed)).toThrow();
    expect(() => openKeptAnswer(ring, 'admin:ops', { ...request, fingerprint: 'e'.repeat(64) }, sealed)).toThrow();
    expect(() => openKeptAnswer(old, 'admin:ops', request, sealed)).toThrow(/k2/);
  });

  test('sealed with an older key of the ring still opens after a new key was put first', () => {
    const sealed = sealKeptAnswer(old, 'admin:ops', request, text);
    expect(openKeptAnswer(ring, 'admin:ops', request, sealed)).toBe(text);
  });
});
