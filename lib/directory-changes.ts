/**
 * Directory change notices. Every change to the directory (the import, partner self-service
 * mutations) bumps one version counter in the providers database, in the same transaction as the
 * change (`bumpDirectoryVersion`). Whoever keeps something derived from the directory in memory
 * (the providers subgraph's snapshot, the gateway's response cache) watches that counter through a
 * `DirectoryChangeFeed`:
 *
 * - a change committed in this process, through the same ORM, is seen synchronously: listeners run
 *   after the commit and before the writing call returns;
 * - a change committed by another process (`npm run import`, another replica) is seen by polling
 *   the marker row, a one-row SELECT every 250 ms (within a second);
 * - with Redis (`REDIS_URL`), the writer also publishes on a channel every feed subscribes to, so
 *   replicas learn within milliseconds. A Redis message is only a wake-up call: the feed re-reads
 *   the marker (or the providers subgraph's `/directory-version`), so a stray or foreign message
 *   can cost a check but never a wrong version.
 *
 * The version a feed reports is the marker's value, compared for equality (a restored database may
 * go back): "changed" means "differs from what this feed saw last".
 */
import fs from 'node:fs';
import Redis from 'ioredis';
import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { SubgraphEM, SubgraphORM } from './orm';
import type { SettingValues } from './settings';
import { logEvent } from './log';

export interface DirectoryChangeFeed {
  /**
   * The version as of now, for a reader that must not act on a change it has not heard of yet
   * (the response cache): a feed over the database confirms it against the database (cheaply:
   * a SQLite file is only read again when the file changed); other feeds answer current().
   */
  confirm(): number | Promise<number>;
  /** The newest directory version this process has seen. */
  current(): number;
  /** Reads the version from the source of truth now (listeners run if it changed). */
  refresh(): Promise<void>;
  /** Called after every change this process learns of; returns an unsubscribe function. */
  subscribe(listener: (version: number) => void): () => void;
  close(): Promise<void>;
}

/** Served by the providers subgraph: `{"version": n}`, the version its snapshot follows. */
export const DIRECTORY_VERSION_PATH = '/directory-version';
/** The Redis channel of change notices; the payload is `{"version": n}`. */
export const DIRECTORY_CHANGES_CHANNEL = 'onyx:directory-changes';
export const DEFAULT_POLL_INTERVAL_MS = 250;

/** DIRECTORY_POLL_INTERVAL_MS, for every process that follows the directory version (subgraph or gateway); unset: the default. */
export function directoryPollIntervalMs(settings: Pick<SettingValues, 'DIRECTORY_POLL_INTERVAL_MS'>): number | undefined {
  return settings.DIRECTORY_POLL_INTERVAL_MS;
}

export interface WatchOptions {
  /** Redis for notices between processes; unset: polling alone. */
  redisUrl?: string;
  /** Defaults to DIRECTORY_CHANGES_CHANNEL (tests use their own). */
  channel?: string;
  pollIntervalMs?: number;
  /** Headers for each GET of /directory-version (the gateway signs it when SUBGRAPH_SECRET is set). */
  requestHeaders?: (url: string) => Record<string, string>;
}

const MARKER_TABLE = 'directory_version';
const READ_MARKER = `select version from ${MARKER_TABLE} where id = 1`;

/** The marker's value, read through `em` (inside its transaction, if it has one). */
export async function readDirectoryVersion(em: SubgraphEM): Promise<number> {
  const rows: Array<{ version: number | string }> = await em.execute(READ_MARKER);
  if (rows.length === 0) throw new Error(`the ${MARKER_TABLE} marker row is missing: run the providers migrations`);
  return Number(rows[0].version);
}

// ---- writing side --------------------------------------------------------------------------------

/**
 * Feeds of this process, by the ORM configuration they watch: a commit through an ORM tells the
 * feeds over that same ORM at once. (Another ORM on the same database, in this process or not,
 * learns by polling or Redis.)
 */
const localFeeds = new WeakMap<object, Set<Feed>>();

/**
 * Where changes committed through an ORM are published, by its configuration: REDIS_URL of the
 * process that holds it, given when its feed starts (watchDirectory) or by publishDirectoryChangesTo.
 */
const publishers = new WeakMap<object, string>();

/** Changes committed through `orm` (bumpDirectoryVersion) are published on Redis at `redisUrl` from now on (the import: REDIS_URL). */
export function publishDirectoryChangesTo(orm: { config: object }, redisUrl: string | undefined): void {
  if (redisUrl) publishers.set(orm.config, redisUrl);
}

/** Per transaction: the version it bumped to (the newest, if it bumped more than once). */
const bumpedTransactions = new WeakMap<object, { version: number }>();

/**
 * Marks a change to the directory: bumps the marker inside `em`'s transaction, which must be the
 * outermost transaction of the providers database (its commit is what makes the change visible).
 * After that commit, this process's feeds over the same ORM are told synchronously and, when
 * `redisUrl` (default: where the ORM's changes are published, publishDirectoryChangesTo) is set, the change is published on Redis before the commit call
 * returns; a Redis failure is logged, never thrown (the change is committed; polling catches up).
 */
export async function bumpDirectoryVersion(
  em: SubgraphEM,
  /** notify: the providers ORM whose feeds to tell, when `em` belongs to another ORM on the same database (the import's own connection). */
  options: { redisUrl?: string; channel?: string; notify?: { config: object } } = {},
): Promise<number> {
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('bumpDirectoryVersion must run inside the transaction that changes the directory');
  // MikroORM runs commit hooks for the root transaction only; a savepoint's would never fire.
  if (Object.getOwnPropertySymbols(transaction).some((s) => s.description === 'parentTransaction')) {
    throw new Error('bumpDirectoryVersion must run in the outermost transaction of the providers database, not a nested one');
  }
  const updated = await em.execute(`update ${MARKER_TABLE} set version = version + 1 where id = 1`, [], 'run');
  if (Number((updated as { affectedRows?: number }).affectedRows ?? 1) === 0) {
    throw new Error(`the ${MARKER_TABLE} marker row is missing: run the providers migrations`);
  }
  const version = await readDirectoryVersion(em);
  const events = em.getEventManager();
  const pending = bumpedTransactions.get(events);
  if (pending) {
    pending.version = version;
    return version;
  }
  const bumped = { version };
  bumpedTransactions.set(events, bumped);
  // The transaction's EntityManager has its own event manager (MikroORM clones it per transaction),
  // so this subscriber hears this transaction's commit only.
  const subscriber: EventSubscriber = {
    afterTransactionCommit: async (_args: TransactionEventArgs) => {
      const config = options.notify?.config ?? em.config;
      notifyLocalFeeds(config, bumped.version);
      const redisUrl = options.redisUrl ?? publishers.get(config);
      if (redisUrl) await publishDirectoryChange(redisUrl, options.channel ?? DIRECTORY_CHANGES_CHANNEL, bumped.version);
    },
  };
  events.registerSubscriber(subscriber);
  return version;
}

function notifyLocalFeeds(config: object, version: number): void {
  for (const feed of localFeeds.get(config) ?? []) feed.observe(version, 'local');
}

/** One short-lived connection per change: changes are rare, and nothing stays open in a CLI run. */
async function publishDirectoryChange(redisUrl: string, channel: string, version: number): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below, once
  try {
    await redis.connect();
    await redis.publish(channel, JSON.stringify({ version }));
  } catch (error) {
    logEvent('warn', 'directory_change_not_published', {
      version,
      message: `directory version ${version} not published on Redis (${describe(error)}); other processes learn it by polling`,
    });
  } finally {
    redis.disconnect();
  }
}

// ---- watching side -------------------------------------------------------------------------------

/** What every feed shares: listeners, the poll loop, the Redis wake-up and closing. */
abstract class Feed implements DirectoryChangeFeed {
  protected version: number;
  private readonly listeners = new Set<(version: number) => void>();
  private readonly pollIntervalMs: number;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private checkAgain = false;
  /** Bumped by every notice; a poll that started before a notice must not overwrite it. */
  private notices = 0;
  private failing = false;
  private subscriber?: Redis;
  protected closed = false;

  protected constructor(initial: number, options: WatchOptions) {
    this.version = initial;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /** Reads the version from the source of truth (the marker, or the providers subgraph). */
  protected abstract read(): Promise<number>;
  protected abstract readonly label: string;

  current(): number {
    return this.version;
  }

  confirm(): number | Promise<number> {
    return this.version;
  }

  refresh(): Promise<void> {
    return this.check();
  }

  subscribe(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Takes a version learned from the source of truth; listeners run synchronously on a change. */
  observe(version: number, _source: 'local' | 'poll'): void {
    if (this.closed) return;
    this.notices++;
    if (version === this.version) return;
    this.version = version;
    for (const listener of [...this.listeners]) {
      try {
        listener(version);
      } catch (error) {
        logEvent('error', 'directory_change_listener_failed', { message: describe(error) });
      }
    }
  }

  /** Reads the source now (one read at a time; a request during a read runs one more after it). */
  check(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        const noticesBefore = this.notices;
        try {
          const version = await this.read();
          if (this.failing) logEvent('warn', 'directory_version_readable', { message: `${this.label}: reading the directory version works again` });
          this.failing = false;
          // A notice that arrived while reading is at least as new as what this read saw.
          if (this.notices === noticesBefore) this.observe(version, 'poll');
        } catch (error) {
          if (!this.failing && !this.closed)
            logEvent('warn', 'directory_version_unreadable', { message: `${this.label}: cannot read the directory version (${describe(error)}); retrying` });
          this.failing = true;
        }
      } while (this.checkAgain && !this.closed);
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  protected async start(options: WatchOptions): Promise<void> {
    const tick = () => {
      this.timer = setTimeout(() => void this.check().finally(() => !this.closed && tick()), this.pollIntervalMs);
      this.timer.unref();
    };
    tick();
    if (options.redisUrl) await this.subscribeRedis(options.redisUrl, options.channel ?? DIRECTORY_CHANGES_CHANNEL);
  }

  private async subscribeRedis(redisUrl: string, channel: string): Promise<void> {
    const subscriber = new Redis(redisUrl, { connectTimeout: 2_000 });
    this.subscriber = subscriber;
    let reported = false;
    subscriber.on('error', (error) => {
      if (!reported && !this.closed)
        logEvent('warn', 'directory_notices_unavailable', {
          message: `${this.label}: Redis change notices unavailable (${describe(error)}); polling continues`,
        });
      reported = true;
    });
    subscriber.on('ready', () => (reported = false));
    subscriber.on('message', (_channel: string, message: string) => this.onRedisNotice(message));
    // Queued until connected; ioredis reconnects and resubscribes by itself. Starting waits for
    // the subscription (so a change right after start is not missed) but not for an absent Redis.
    const subscribed = subscriber.subscribe(channel).then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  }

  protected onRedisNotice(_message: string): void {
    void this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.listeners.clear();
    this.subscriber?.disconnect();
    await this.checking;
  }
}

class DatabaseFeed extends Feed {
  protected readonly label = 'directory change feed';

  constructor(
    private readonly orm: SubgraphORM,
    initial: number,
    options: WatchOptions,
  ) {
    super(initial, options);
  }

  protected read(): Promise<number> {
    return readDirectoryVersion(this.orm.em.fork() as SubgraphEM);
  }

  /** mtime and size of the SQLite file when the marker was last read; unset on PostgreSQL or in memory. */
  private fileState?: string;
  private readonly sqliteFile = (() => {
    const dbName = this.orm.config.get('clientUrl') ? undefined : this.orm.config.get('dbName');
    return dbName && dbName !== ':memory:' ? dbName : undefined;
  })();

  override confirm(): number | Promise<number> {
    if (!this.orm.config.get('clientUrl') && !this.sqliteFile) return this.version; // in memory: no other writer
    if (this.sqliteFile) {
      // A commit by another process rewrites the file (rollback journal): unchanged file, unchanged marker.
      const stat = fs.statSync(this.sqliteFile, { throwIfNoEntry: false });
      const state = stat ? `${stat.mtimeMs}:${stat.size}` : '';
      if (state === this.fileState) return this.version;
      return this.check().then(() => {
        this.fileState = state;
        return this.version;
      });
    }
    return this.check().then(() => this.version);
  }

  static async open(orm: SubgraphORM, options: WatchOptions): Promise<DatabaseFeed> {
    const feed = new DatabaseFeed(orm, await readDirectoryVersion(orm.em.fork() as SubgraphEM), options);
    const feeds = localFeeds.get(orm.config) ?? new Set<Feed>();
    localFeeds.set(orm.config, feeds);
    feeds.add(feed);
    publishDirectoryChangesTo(orm, options.redisUrl);
    await feed.start(options);
    return feed;
  }

  override async close(): Promise<void> {
    localFeeds.get(this.orm.config)?.delete(this);
    await super.close();
  }
}

/**
 * A feed over the providers database (the providers subgraph, or anything holding that ORM):
 * changes committed through `orm` in this process at once, others by polling and Redis.
 */
export function watchDirectory(orm: SubgraphORM, options: WatchOptions = {}): Promise<DirectoryChangeFeed> {
  return DatabaseFeed.open(orm, options);
}

class GatewayFeed extends Feed {
  protected readonly label = 'directory change feed (gateway)';
  /** A Redis notice names a version the providers subgraph may not have taken up yet: ask again shortly. */
  private awaited?: { version: number; until: number };

  constructor(
    private readonly endpoint: string,
    private readonly options: WatchOptions,
  ) {
    super(0, options);
  }

  protected async read(): Promise<number> {
    const response = await fetch(this.endpoint, { headers: this.options.requestHeaders?.(this.endpoint) ?? {}, signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`${this.endpoint} answered HTTP ${response.status}`);
    const body = (await response.json()) as { version?: unknown };
    if (typeof body.version !== 'number' || !Number.isInteger(body.version)) throw new Error(`${this.endpoint} gave no integer "version"`);
    return body.version;
  }

  protected override onRedisNotice(message: string): void {
    let version: unknown;
    try {
      version = (JSON.parse(message) as { version?: unknown }).version;
    } catch {
      version = undefined;
    }
    if (typeof version === 'number') this.awaited = { version, until: Date.now() + 1_000 };
    void this.followUp();
  }

  /**
   * The providers subgraph learns of the change through its own feed, maybe a few milliseconds
   * after this one: until it reports the announced version (or a second passes), check every 20 ms.
   */
  private async followUp(): Promise<void> {
    while (!this.closed && this.awaited) {
      await this.check();
      if (!this.awaited || this.version === this.awaited.version || Date.now() > this.awaited.until) break;
      await new Promise((resolve) => setTimeout(resolve, 20).unref());
    }
    this.awaited = undefined;
  }

  static async open(providersUrl: string, options: WatchOptions): Promise<GatewayFeed> {
    const feed = new GatewayFeed(new URL(DIRECTORY_VERSION_PATH, providersUrl).toString(), options);
    // Providers down at start: the version stays 0 until it answers, and the first answer is a change.
    await feed.check();
    await feed.start(options);
    return feed;
  }
}

/**
 * A feed for a process without the providers database (the gateway deployed alone): polls the
 * providers subgraph's `/directory-version` and, with `redisUrl`, wakes up on Redis notices.
 * `providersUrl` is the subgraph's GraphQL URL (PROVIDERS_URL) or any URL on the same server.
 */
export function watchDirectoryFromGateway(options: { providersUrl: string } & WatchOptions): Promise<DirectoryChangeFeed> {
  return GatewayFeed.open(options.providersUrl, options);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
