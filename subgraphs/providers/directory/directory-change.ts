import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import type { SubgraphEM } from '../../../lib/orm';
import type { ProvidersContext } from '../context';

/**
 * Runs one change to the directory in one transaction with the change marker (lib/directory-
 * changes.ts), so it is visible at once: at the commit this process's snapshot reloads and the
 * gateway's response cache (keyed by the directory version) stops answering from before it. The
 * request then continues on the snapshot that holds the change, so the mutation's own answer (a
 * Provider with its offers) shows it too. A refusal thrown by `work` rolls everything back.
 * `work` says whether it changed anything.
 */
export async function changeDirectory(context: ProvidersContext, work: (em: SubgraphEM) => Promise<'changed' | 'unchanged'>): Promise<void> {
  let committed: number | undefined;
  await context.em.transactional(async (tx) => {
    // A request that turns out to change nothing (the same values again) leaves the marker alone:
    // no snapshot reload, no emptied cache.
    if ((await work(tx as SubgraphEM)) === 'changed') committed = await bumpDirectoryVersion(tx as SubgraphEM);
  });
  // The answer is read from a snapshot that holds this change (seen with several replicas writing
  // at once: the feed's version can be one a snapshot already had, read before this commit).
  context.directory = committed === undefined ? await context.snapshots.get() : await context.snapshots.holding(committed);
}
