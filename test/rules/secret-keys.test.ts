/** SECRETS_KEYS (lib/secret-keys.ts, the settings table): the key ring values at rest are sealed with. */
import { secretKeysOf } from '../../lib/secret-keys';
import { startSubgraph } from '../../lib/subgraph';
import { providersSubgraph } from '../../subgraphs/providers/subgraph';
import { licensesSubgraph } from '../../subgraphs/licenses/subgraph';
import { parsedSettings } from '../support/settings';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

test('comma-separated id:key pairs, newest first: the first seals, all open', () => {
  const ring = secretKeysOf(parsedSettings({ SECRETS_KEYS: `k2:${key(2)}, k1:${key(1)}` }))!;
  expect(ring.current.id).toBe('k2');
  expect(ring.current.key).toEqual(Buffer.alloc(32, 2));
  expect([...ring.byId.keys()]).toEqual(['k2', 'k1']);
  // base64url (no padding) is taken too.
  expect(secretKeysOf(parsedSettings({ SECRETS_KEYS: `k3:${Buffer.alloc(32, 3).toString('base64url')}` }))!.current.key).toEqual(Buffer.alloc(32, 3));
});

test('a value that is no key ring is refused at start, naming what is wrong', () => {
  expect(() => parsedSettings({ SECRETS_KEYS: 'just-a-password' })).toThrow(/SECRETS_KEYS="just-a-password": must be comma-separated id:key pairs/);
  expect(() => parsedSettings({ SECRETS_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/key "k1" must be 32 bytes/);
  expect(() => parsedSettings({ SECRETS_KEYS: `k1:${key(1)},k1:${key(2)}` })).toThrow(/names key "k1" twice/);
});

test('development: one key derived from SUBGRAPH_SECRET, the same on every start; production: none without SECRETS_KEYS', () => {
  const a = secretKeysOf({ SUBGRAPH_SECRET: 'a'.repeat(32) })!;
  expect(secretKeysOf({ SUBGRAPH_SECRET: 'a'.repeat(32) })!.current.key).toEqual(a.current.key);
  expect(secretKeysOf({ SUBGRAPH_SECRET: 'b'.repeat(32) })!.current.key).not.toEqual(a.current.key);
  expect(secretKeysOf({})!.current.key).toEqual(secretKeysOf({})!.current.key);
  expect(secretKeysOf({ NODE_ENV: 'production', SUBGRAPH_SECRET: 'a'.repeat(32) })).toBeUndefined();
  expect(secretKeysOf({ NODE_ENV: 'production', SECRETS_KEYS: [['k1', key(1)]] })!.current.id).toBe('k1');
});

test.each([
  ['providers', providersSubgraph],
  ['licenses', licensesSubgraph],
] as const)('production: the %s subgraph alone refuses to start without SECRETS_KEYS, naming it, before it opens its database', async (name, subgraph) => {
  const settings = { NODE_ENV: 'production', SUBGRAPH_SECRET: 's'.repeat(32), [`${name.toUpperCase()}_PORT`]: 0 };
  // A database it cannot open: the refusal comes first.
  const database = { database: { databaseUrl: undefined, dataDir: '/nonexistent' }, sqliteFile: '/nonexistent/never/x.sqlite' };
  await expect(startSubgraph(subgraph as any, settings as any, database)).rejects.toThrow(/SECRETS_KEYS must be set in production/);
});
