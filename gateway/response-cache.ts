/**
 * The gateway's response cache: whole answers to queries, keyed by the directory version, the
 * caller's scope, the operation and its variables. It is never stale:
 * - every directory change (import, partner change) moves the version, so older answers are no
 *   longer reachable (the in-memory store is emptied at once; Redis entries expire on their own);
 * - no answer outlives the UTC midnight after it was computed, because validity and maintenance
 *   dates are judged per day.
 * Answers with errors and mutations are never cached. In memory by default; in Redis when
 * REDIS_URL is set, so gateway replicas share it.
 */
import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';

/** What the cache needs to know of directory changes (lib/directory-changes.ts provides it). */
export interface DirectoryVersionSource {
  current(): number;
  subscribe(listener: (version: number) => void): () => void;
}

export interface ResponseCacheOptions {
  directory: DirectoryVersionSource;
  /** Shared store; in memory when absent. */
  redis?: Redis;
  /** Most answers kept in memory (least recently used go first). */
  maxEntries?: number;
  /** Counts hits and misses (label `result`). */
  lookups?: Counter<'result'>;
  now?: () => number;
}

/** Milliseconds from `now` to the next UTC midnight. */
export function untilUtcMidnight(now: number): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return midnight.getTime() - now;
}

interface AnswerStore {
  get(key: string): Promise<ExecutionResult | undefined> | ExecutionResult | undefined;
  set(key: string, value: ExecutionResult, ttlMs: number): Promise<unknown> | void;
}

/**
 * An LRU map with per-entry expiry; emptied whenever the directory version moves. It keeps the
 * answers themselves (nothing changes them after execution), so a hit costs no parsing.
 */
class MemoryAnswerStore implements AnswerStore {
  private readonly entries = new Map<string, { value: ExecutionResult; expires: number }>();
  constructor(private readonly maxEntries: number, private readonly now: () => number) {}
  get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }
  set(key: string, value: ExecutionResult, ttlMs: number) {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
  clear() {
    this.entries.clear();
  }
}

class RedisAnswerStore implements AnswerStore {
  constructor(private readonly redis: Redis) {}
  async get(key: string) {
    const stored = await this.redis.get(`response-cache:${key}`);
    return stored === null ? undefined : (JSON.parse(stored) as ExecutionResult);
  }
  set(key: string, value: ExecutionResult, ttlMs: number) {
    return this.redis.set(`response-cache:${key}`, JSON.stringify(value), 'PX', Math.max(1, Math.floor(ttlMs)));
  }
}

/** The caller's scope: answers are shared only between requests with the same credentials. */
export function callerScope(request: Request): string {
  const credentials = `${request.headers.get('authorization') ?? ''}\n${request.headers.get('x-api-key') ?? ''}`;
  return credentials === '\n' ? 'anonymous' : createHash('sha256').update(credentials).digest('base64url');
}

export function useDirectoryResponseCache(options: ResponseCacheOptions) {
  const now = options.now ?? Date.now;
  const memory = options.redis ? undefined : new MemoryAnswerStore(options.maxEntries ?? 10_000, now);
  const store: AnswerStore = memory ?? new RedisAnswerStore(options.redis!);
  const unsubscribe = memory ? options.directory.subscribe(() => memory.clear()) : undefined;
  const cache: Cache = {
    get(key) {
      const hit = store.get(key);
      const count = (answer: ExecutionResult | undefined) => {
        options.lookups?.inc({ result: answer === undefined ? 'miss' : 'hit' });
        return answer;
      };
      return hit instanceof Promise ? hit.then(count) : count(hit);
    },
    set(key, result, _entities, ttl) {
      // The key names the version it was computed at; a change during execution makes it unreachable.
      return store.set(key, result, Math.min(ttl, untilUtcMidnight(now()))) as Promise<void> | void;
    },
    invalidate() {
      // Entity-level invalidation is not used: every change moves the directory version instead.
    },
  };
  const plugin = useResponseCache({
    cache,
    session: callerScope,
    ttl: Number.POSITIVE_INFINITY,
    invalidateViaMutation: false,
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) =>
      `v${options.directory.current()}:${createHash('sha256')
        .update(`${sessionId}\n${operationName ?? ''}\n${documentString}\n${JSON.stringify(variableValues ?? {})}`)
        .digest('base64url')}`,
  });
  return { plugin, dispose: () => unsubscribe?.() };
}
