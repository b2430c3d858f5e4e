/** The pure parts of gateway/idempotency.ts: what counts as the same request, whose key it is, which answers are kept. */
import { idempotencyKeyProblem, idempotencyScope, isConclusive, isMutation, requestFingerprint } from '../../gateway/idempotency';

test('the same operation and variables, in any key order, is the same request; other variables or another operation are not', () => {
  const a = requestFingerprint({ query: 'mutation M { x }', operationName: 'M', variables: { a: 1, b: { c: [1, 2], d: null } } });
  expect(requestFingerprint({ variables: { b: { d: null, c: [1, 2] }, a: 1 }, operationName: 'M', query: 'mutation M { x }' })).toBe(a);
  expect(requestFingerprint({ query: 'mutation M { x }', operationName: 'M', variables: { a: 2, b: { c: [1, 2], d: null } } })).not.toBe(a);
  expect(requestFingerprint({ query: 'mutation M { x }', operationName: 'M', variables: { a: 1, b: { c: [2, 1], d: null } } })).not.toBe(a);
  expect(requestFingerprint({ query: 'mutation N { x }', operationName: 'N', variables: { a: 1, b: { c: [1, 2], d: null } } })).not.toBe(a);
});

test('a key belongs to the verified caller', () => {
  expect(idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'p', keyId: '1' })).toBe('provider:p:api-key:1');
  expect(idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'q' })).not.toBe(
    idempotencyScope({ role: 'provider', sub: 'api-key:1', provider: 'p' }),
  );
  expect(idempotencyScope({ role: 'admin', sub: 'ops' })).toBe('admin:ops');
  expect(idempotencyScope({ role: 'anonymous' })).toBe('anonymous');
});

test('only mutations take part; a key is 1 to 255 printable characters', () => {
  expect(isMutation({ query: 'mutation { a }' })).toBe(true);
  expect(isMutation({ query: 'query Q { a } mutation M { b }', operationName: 'Q' })).toBe(false);
  expect(isMutation({ query: '{ a }' })).toBe(false);
  expect(isMutation({ query: 'mutation {' })).toBe(false);
  expect(idempotencyKeyProblem('order-4711')).toBeUndefined();
  expect(idempotencyKeyProblem('')).toContain('1 to 255');
  expect(idempotencyKeyProblem('with space')).toContain('printable');
});

test('answers that leave open whether the mutation ran are not kept', () => {
  const body = (value: object) => Buffer.from(JSON.stringify(value));
  expect(isConclusive(200, body({ data: { a: 1 } }))).toBe(true);
  expect(isConclusive(200, body({ errors: [{ extensions: { code: 'CONFLICT' } }] }))).toBe(true);
  expect(isConclusive(200, body({ errors: [{ extensions: { code: 'SUBGRAPH_TIMEOUT' } }] }))).toBe(false);
  expect(isConclusive(200, body({ errors: [{ extensions: { code: 'DIRECTORY_UNAVAILABLE' } }] }))).toBe(false);
  expect(isConclusive(503, body({ errors: [] }))).toBe(false);
});
