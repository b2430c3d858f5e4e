/**
 * The gateway's response cache: whole HTTP answers to queries, keyed by the directory version, the
 * caller's scope, what the client accepts, the language the answer is written in (lib/i18n) and the
 * request itself (POST body or GET query string).
 * A hit is written straight from the cache, before any GraphQL work (parsing, planning). It is
 * never stale:
 * - every directory change (import, partner change) moves the version, so older answers are no
 *   longer reachable (the in-memory store is emptied at once; Redis entries expire on their own);
 * - no answer outlives the UTC midnight after it was computed, because validity and maintenance
 *   dates are judged per day;
 * - answers that depend on the moment (Provider.openNow, nextOpening, a first response's expectedBy, the webhook delivery log) are not kept at all.
 * Only answers to queries without errors are kept (the plugin marks them while the GraphQL engine
 * runs). In memory by default; in Redis when REDIS_URL is set, so gateway replicas share it.
 */
import { sha256Base64url } from '../../lib/digest';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import { BREAK, getOperationAST, visit, type DocumentNode } from 'graphql';
import type { Identity } from '../../lib/identity';
import { negotiateLanguage } from '../../lib/i18n/languages';

/** What the cache needs to know of directory changes (lib/directory-changes.ts provides it). */
export interface DirectoryVersionSource {
  current(): number;
  /** The version as of now (see lib/directory-changes.ts); asked before every lookup. */
  confirm?(): number | Promise<number>;
  subscribe(listener: (version: number) => void): () => void;
  /**
   * Reads the version from its source now: called once a mutation this gateway relayed has been
   * answered, so that the caller's very next request is not answered from before its own change
   * (a gateway apart from the providers subgraph would otherwise learn of it only by Redis or the
   * next poll).
   */
  refresh?(): Promise<unknown>;
}

export interface ResponseCacheOptions {
  directory: DirectoryVersionSource;
  /** Shared store; in memory when absent. */
  redis?: Redis;
  /** Most answers kept in memory (least recently used go first). */
  maxEntries?: number;
  /** Counts hits and misses (label `result`). */
  lookups?: Counter<'result'>;
  /**
   * The settings that decide what may be answered at all (introspection, trusted documents only):
   * part of every key, so that a gateway sharing Redis with one set otherwise never answers from it.
   */
  partition?: string;
  now?: () => number;
}

/** An answer as it went out: its status is always 200. */
export interface CachedAnswer {
  contentType: string;
  body: Buffer;
  /**
   * The access record's names of the request that computed it (the client's name and the name of
   * the operation that ran): a hit reports them without reading the request body.
   */
  operation?: { operationName?: string; executedOperation?: string };
}

/**
 * Fields whose answer changes with the moment, not the day (a provider's business hours against the
 * clock, and openingPreview's dry run of them; webhook deliveries, which the providers' background dispatcher updates without a directory
 * change; a license's access trail, which every sign-in attempt extends without one): a query asking
 * for any of them, on any type, in any fragment, is answered afresh each time.
 */
const MOMENT_FIELDS = new Set(['openNow', 'nextOpening', 'openingPreview', 'webhookDeliveries', 'webhookEndpoints', 'licenseAccessTrail']);
// A first response's expected time is counted from the moment of the request (docs/rules.md "Response-time commitments").
MOMENT_FIELDS.add('expectedBy');

/** Per parsed document (the engine keeps and reuses them), so a document is walked once, not on every miss. */
const momentAsked = new WeakMap<DocumentNode, boolean>();

function asksForTheMoment(document: DocumentNode): boolean {
  let found = momentAsked.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    Field(node) {
      if (!MOMENT_FIELDS.has(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  momentAsked.set(document, found);
  return found;
}

/** Milliseconds from `now` to the next UTC midnight. */
export function untilUtcMidnight(now: number): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return midnight.getTime() - now;
}

interface AnswerStore {
  get(key: string): Promise<CachedAnswer | undefined> | CachedAnswer | undefined;
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<unknown> | void;
}

/**
 * An LRU map with per-entry expiry; emptied whenever the directory version moves. A hit moves its
 * entry to the recent end at most once a second (a Map delete and insert on every hit cost more
 * than the rest of the lookup); an entry used within the last second is recent enough.
 */
const TOUCH_EVERY_MS = 1_000;
class MemoryAnswerStore implements AnswerStore {
  private readonly entries = new Map<string, { answer: CachedAnswer; expires: number; touched: number }>();
  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}
  get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (now - entry.touched >= TOUCH_EVERY_MS) {
      entry.touched = now;
      this.entries.delete(key);
      this.entries.set(key, entry); // most recently used last
    }
    return entry.answer;
  }
  set(key: string, answer: CachedAnswer, ttlMs: number) {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { answer, expires: now + ttlMs, touched: now });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
  clear() {
    this.entries.clear();
  }
}

/**
 * Answers in Redis, shared by the replicas. While Redis is away (gateway/shared-state/shared-redis.ts fails its
 * commands at once, and logs the outage once) a lookup is a miss and a store is skipped, without an
 * error logged per request; a command that fails while connected is still reported.
 */
class RedisAnswerStore implements AnswerStore {
  constructor(private readonly redis: Redis) {}
  private readonly whileAway =
    <T>(fallback: T) =>
    (error: unknown) => {
      if (this.redis.status === 'ready') throw error;
      return fallback;
    };
  async get(key: string) {
    const [contentType, body, operation] = await this.redis
      .hmgetBuffer(`response-cache:${key}`, 'type', 'body', 'operation')
      .catch(this.whileAway<(Buffer | null)[]>([null, null, null]));
    if (!contentType || !body) return undefined;
    return { contentType: contentType.toString(), body, ...(operation ? { operation: parseOperation(operation.toString()) } : {}) };
  }
  async set(key: string, answer: CachedAnswer, ttlMs: number) {
    await this.redis
      .multi()
      .hset(`response-cache:${key}`, 'type', answer.contentType, 'body', answer.body, 'operation', JSON.stringify(answer.operation ?? {}))
      .pexpire(`response-cache:${key}`, Math.max(1, Math.floor(ttlMs)))
      .exec()
      .catch(this.whileAway(null));
  }
}

/** An entry's operation names as kept in Redis; anything unreadable is no names (the hit reads them from the body). */
function parseOperation(text: string): CachedAnswer['operation'] {
  try {
    const { operationName, executedOperation } = JSON.parse(text) as Record<string, unknown>;
    return typeof executedOperation === 'string' ? { executedOperation, ...(typeof operationName === 'string' ? { operationName } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** Longest request kept in memory under its own text rather than its digest (10,000 entries: 20 MB at most). */
const RAW_KEY_CHARACTERS = 2048;

/** Per verified identity object (the verifier hands the same one back for a known token): hashed once. */
const scopes = new WeakMap<Identity, string>();

/**
 * The caller's scope: answers are shared only between requests of the same verified identity, the
 * very object the subgraphs are sent (role, subject, provider, API key, a holder's licenses), so two
 * spellings of one Authorization header, or two tokens with the same claims, share answers, and
 * anything that could change an answer separates them.
 */
export function callerScope(identity: Identity): string {
  if (identity.role === 'anonymous') return 'anonymous';
  let scope = scopes.get(identity);
  if (scope === undefined) scopes.set(identity, (scope = sha256Base64url(JSON.stringify(identity))));
  return scope;
}

export interface ResponseCache {
  /** Makes sure the version is the directory's as of now, before a key is computed. */
  confirmVersion(): number | Promise<number>;
  /** The cache key of a request (its body for POST, its query string for GET) by the caller it was verified to be. */
  keyOf(request: { headers: { get(name: string): string | null } }, content: string | Buffer, caller: Identity): string;
  lookup(key: string): Promise<CachedAnswer | undefined> | CachedAnswer | undefined;
  store(key: string, answer: CachedAnswer): Promise<unknown> | void;
  /** Marks, while the GraphQL engine runs, the requests whose answers may be kept. */
  plugin: GatewayPlugin;
  isCacheable(request: Request): boolean;
  dispose(): void;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const now = options.now ?? Date.now;
  const memory = options.redis ? undefined : new MemoryAnswerStore(options.maxEntries ?? 10_000, now);
  const answers: AnswerStore = memory ?? new RedisAnswerStore(options.redis!);
  const unsubscribe = memory ? options.directory.subscribe(() => memory.clear()) : undefined;
  const cacheable = new WeakSet<Request>();
  const changes = new WeakSet<Request>();
  const count = (answer: CachedAnswer | undefined) => {
    options.lookups?.inc({ result: answer ? 'hit' : 'miss' });
    return answer;
  };
  return {
    confirmVersion: () => options.directory.confirm?.() ?? options.directory.current(),
    keyOf(request, content, caller) {
      // A body's bytes one for one as latin1 characters: exactly what was sent.
      // Keyed by the language the answer is written in (not the header's spelling): "de-CH" and "de" share.
      const language = negotiateLanguage(request.headers.get('accept-language'));
      const text = `${options.partition ?? ''}\n${callerScope(caller)}\n${request.headers.get('accept') ?? ''}\n${language}\n${request.headers.get('x-expose-query-plan') ?? ''}\n${typeof content === 'string' ? content : content.toString('latin1')}`;
      // In memory a short request is its own key (a digest was a twentieth of a hit's work); a long
      // one, and every key in Redis, is its digest.
      const id = memory && text.length <= RAW_KEY_CHARACTERS ? text : sha256Base64url(text);
      // The version at the start: an answer computed across a change is filed under the old one.
      return `v${options.directory.current()}:${id}`;
    },
    lookup(key) {
      const found = answers.get(key);
      return found instanceof Promise ? found.then(count) : count(found);
    },
    store(key, answer) {
      return answers.set(key, answer, untilUtcMidnight(now()));
    },
    plugin: {
      onExecute({ args, context }) {
        const request = (context as { request?: Request }).request;
        const operation = request && getOperationAST(args.document, args.operationName);
        if (!operation) return;
        if (operation.operation === 'query' && !asksForTheMoment(args.document)) cacheable.add(request);
        if (operation.operation === 'mutation') changes.add(request);
      },
      onResultProcess({ request, result }) {
        const clean =
          !!result &&
          typeof result === 'object' &&
          !Array.isArray(result) &&
          !(Symbol.asyncIterator in result) &&
          !(result as { errors?: unknown[] }).errors?.length;
        if (!clean) cacheable.delete(request);
        // The answer goes out once the version is read again: whatever the client asks next is
        // looked up under the version that holds its change (the memory store empties at once).
        if (changes.has(request) && options.directory.refresh)
          return options.directory.refresh().then(
            () => undefined,
            () => undefined,
          );
      },
    },
    isCacheable: (request) => cacheable.has(request),
    dispose: () => unsubscribe?.(),
  };
}
