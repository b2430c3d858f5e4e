import type { DirectoryChangeFeed } from '../../../lib/directory-changes';
import type { SubgraphORM } from '../../../lib/orm';
import { logEvent, withoutSqlValues } from '../../../lib/log';
import { loadDirectorySnapshot, type DirectorySnapshot } from './directory-snapshot';

/**
 * The providers subgraph's current snapshot, rebuilt when the change feed reports a new version.
 *
 * A snapshot is fresh for feed version v when its load *started* after the feed reported v: the
 * change behind v was committed before the feed heard of it, so that load read it. A request asks
 * for the snapshot once (see createProvidersContext) and keeps it, so it sees one consistent
 * directory; while a newer one loads, requests wait for it rather than answer from the old one.
 */
export class DirectorySnapshots {
  private snapshot: DirectorySnapshot;
  /** The feed version the installed snapshot's load started at. */
  private snapshotFor: number;
  private loading?: { for: number; promise: Promise<DirectorySnapshot> };
  private loads = 0;
  private installedLoad = 0;
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly orm: SubgraphORM,
    private readonly feed: DirectoryChangeFeed,
    first: DirectorySnapshot,
    firstFor: number,
  ) {
    this.snapshot = first;
    this.snapshotFor = firstFor;
    // Start the reload at once, so the first request after a change rarely has to wait for it.
    this.unsubscribe = feed.subscribe(() => {
      Promise.resolve(this.get()).catch((error) =>
        logEvent('error', 'directory_reload_failed', {
          service: 'providers',
          message: error instanceof Error ? withoutSqlValues(error).message : String(error),
        }),
      );
    });
  }

  static async open(orm: SubgraphORM, feed: DirectoryChangeFeed): Promise<DirectorySnapshots> {
    const wanted = feed.current();
    return new DirectorySnapshots(orm, feed, await loadDirectorySnapshot(orm), wanted);
  }

  /** The snapshot for the feed's current version: at once when it is loaded, else once it is. */
  get(): DirectorySnapshot | Promise<DirectorySnapshot> {
    const wanted = this.feed.current();
    if (this.snapshotFor === wanted) return this.snapshot;
    if (this.loading?.for === wanted) return this.loading.promise;
    const load = ++this.loads;
    const promise = loadDirectorySnapshot(this.orm).then(
      (snapshot) => {
        // Loads may overlap; the one started last wins (it read the newest state).
        if (load > this.installedLoad) {
          this.installedLoad = load;
          this.snapshot = snapshot;
          this.snapshotFor = wanted;
        }
        if (this.loading?.promise === promise) this.loading = undefined;
        return snapshot;
      },
      (error) => {
        if (this.loading?.promise === promise) this.loading = undefined;
        throw error;
      },
    );
    this.loading = { for: wanted, promise };
    return promise;
  }

  /**
   * A snapshot that holds the change committed at marker `version` or a later one: the current
   * snapshot when it does, else one loaded now (for the asking request; the current one is
   * replaced by the feed's next change as usual).
   */
  async holding(version: number): Promise<DirectorySnapshot> {
    const current = await this.get();
    return current.version >= version ? current : loadDirectorySnapshot(this.orm);
  }

  close(): void {
    this.unsubscribe();
  }
}
