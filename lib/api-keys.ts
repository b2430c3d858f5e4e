/**
 * API keys for a provider's integrations (docs/guide.md "Identity and access"): what the providers subgraph,
 * which issues and stores them, and the gateway, which accepts them, must agree on. A key is only
 * ever stored and looked up by its SHA-256 hash; the key itself exists in the answer to
 * `issueApiKey` and in the partner's integration, nowhere else.
 */
import crypto from 'node:crypto';

export const API_KEY_HEADER = 'x-api-key';
/**
 * Served by the providers subgraph to the gateway (signed like /graphql when SUBGRAPH_SECRET is
 * set): `?hash=<hex>` answers `{"apiKey": {"id", "providerId"}}` for a key in force, else
 * `{"apiKey": null}`.
 */
export const API_KEY_IDENTITY_PATH = '/api-key-identity';

/** Recognisable in logs and secret scanners; the 32 random bytes after it are what makes it secret. */
const PREFIX = 'onyx_';
const API_KEY_FORMAT = /^onyx_[A-Za-z0-9_-]{43}$/;
const HASH_FORMAT = /^[0-9a-f]{64}$/;

/** A new key: the prefix and 32 random bytes, base64url (256 bits, so a plain hash is enough: nothing to guess). */
export const newApiKey = () => PREFIX + crypto.randomBytes(32).toString('base64url');

export const hashApiKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

/** Whether `value` has the shape of an issued key: anything else is refused without asking anyone. */
export const looksLikeApiKey = (value: string) => API_KEY_FORMAT.test(value);

export const isApiKeyHash = (value: unknown): value is string => typeof value === 'string' && HASH_FORMAT.test(value);

/** The providers subgraph's answer on API_KEY_IDENTITY_PATH. */
export interface ApiKeyIdentityAnswer {
  apiKey: { id: string; providerId: string } | null;
}
