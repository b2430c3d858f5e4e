/**
 * Persisted documents, two kinds, on the Apollo protocol (`extensions.persistedQuery.sha256Hash`):
 *
 * - Automatic persisted queries (PERSISTED_DOCUMENTS=allow, the default): a client sends only the
 *   hash; an unknown one is PERSISTED_QUERY_NOT_FOUND, and the client sends the document with its
 *   hash, which is checked against the document (PERSISTED_QUERY_MISMATCH) and kept: in memory, or
 *   in Redis with REDIS_URL so that replicas share them. Yoga's own APQ plugin (@graphql-yoga/plugin-apq).
 * - Trusted documents (PERSISTED_DOCUMENTS_FILE, a JSON map of id to document, such as the one
 *   `npm run build` writes for the support finder: web/dist/persisted-documents.json): known from
 *   the start. With PERSISTED_DOCUMENTS=only nothing else is answered: no document text, no unknown
 *   id (the runtime's own `persistedDocuments` option, Yoga's usePersistedOperations).
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createInMemoryAPQStore, useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import type { Redis } from 'ioredis';
import { parse } from 'graphql';
import type { SettingValues } from '../../lib/settings';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';
import type { MessageId } from '../../lib/i18n/translate';

export type PersistedDocumentsMode = 'allow' | 'only';

export interface PersistedDocumentsSettings {
  mode: PersistedDocumentsMode;
  /** PERSISTED_DOCUMENTS_FILE: the trusted documents, id -> document. */
  file?: string;
}

/** PERSISTED_DOCUMENTS=allow|only (default allow) and PERSISTED_DOCUMENTS_FILE; `only` needs the file. */
export function persistedDocumentsSettings(settings: Pick<SettingValues, 'PERSISTED_DOCUMENTS' | 'PERSISTED_DOCUMENTS_FILE'>): PersistedDocumentsSettings {
  const mode = settings.PERSISTED_DOCUMENTS ?? 'allow';
  const file = settings.PERSISTED_DOCUMENTS_FILE;
  // The table refuses this combination first; a programmatic caller gets the same answer.
  if (mode === 'only' && !file)
    throw new Error(
      'PERSISTED_DOCUMENTS=only needs PERSISTED_DOCUMENTS_FILE, the trusted documents (e.g. web/dist/persisted-documents.json from `npm run build`)',
    );
  return { mode, file };
}

/** The SHA-256 of a document in hex: its id for APQ and in the trusted documents file. */
export const documentHash = (document: string) => createHash('sha256').update(document).digest('hex');

/** Reads the trusted documents; a file that is not a map of id to a parsable document stops the gateway, naming the id. */
export function readTrustedDocuments(file: string): Map<string, string> {
  let content: unknown;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_DOCUMENTS_FILE ${file} cannot be read as JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (!content || typeof content !== 'object' || Array.isArray(content))
    throw new Error(`PERSISTED_DOCUMENTS_FILE ${file} must be a JSON object of id to document`);
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(content)) {
    if (typeof document !== 'string') throw new Error(`PERSISTED_DOCUMENTS_FILE ${file}: the document of "${id}" is not a string`);
    try {
      parse(document);
    } catch (error) {
      throw new Error(`PERSISTED_DOCUMENTS_FILE ${file}: the document of "${id}" is not GraphQL: ${error instanceof Error ? error.message : error}`);
    }
    documents.set(id, document);
  }
  return documents;
}

/** How long a document registered by a client is kept (memory and Redis). */
const APQ_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Registered documents in Redis, shared by the replicas, and in this replica's memory as well: while
 * Redis is away (gateway/shared-state/shared-redis.ts fails its commands at once) a hash this replica registered
 * is still known here, and a new registration is kept here until Redis is back.
 */
function redisStore(redis: Redis): APQStore {
  const memory = createInMemoryAPQStore({ max: 10_000, ttl: APQ_TTL_MS });
  return {
    get: async (hash) => (await redis.get(`apq:${hash}`).catch(() => null)) ?? memory.get(hash),
    set: async (hash, document) => {
      await memory.set(hash, document);
      await redis.set(`apq:${hash}`, document, 'PX', APQ_TTL_MS).catch(() => undefined);
    },
  };
}

/** A refusal made afresh for each request, said in the reader's language where the answer is written (request-guard.ts). */
const refusal = (why: MessageId, code: string) => () => localizedError(message(why), { code, http: { status: 400 } });

/**
 * The runtime's `persistedDocuments` option (only in `only` mode) and the plugins (APQ in `allow`
 * mode). Trusted documents count as registered for APQ, so their ids are answered from the start.
 */
export function persistedDocuments(settings: PersistedDocumentsSettings, redis?: Redis) {
  const trusted = settings.file ? readTrustedDocuments(settings.file) : new Map<string, string>();
  if (settings.mode === 'only') {
    return {
      runtimeOption: {
        getPersistedOperation: (id: string) => trusted.get(id) ?? null,
        allowArbitraryDocuments: false,
        customErrors: {
          notFound: refusal('persisted.notInList', 'PERSISTED_QUERY_NOT_IN_LIST'),
          keyNotFound: refusal('persisted.idRequired', 'PERSISTED_QUERY_ID_REQUIRED'),
          persistedQueryOnly: refusal('persisted.only', 'PERSISTED_DOCUMENTS_ONLY'),
        },
      },
      plugins: [] as GatewayPlugin[],
    };
  }
  const registered = redis ? redisStore(redis) : createInMemoryAPQStore({ max: 10_000, ttl: APQ_TTL_MS });
  const store: APQStore = {
    get: (hash) => trusted.get(hash) ?? registered.get(hash),
    set: (hash, document) => (trusted.has(hash) ? undefined : registered.set(hash, document)),
  };
  return { runtimeOption: undefined, plugins: [useAPQ({ store }) as GatewayPlugin] };
}
