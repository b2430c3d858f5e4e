import { bumpDirectoryVersion } from '../../../lib/directory-changes';
import type { SubgraphEM } from '../../../lib/orm';
import type { ProvidersContext } from '../context';

/**
 * Runs one change to the directory in one transaction with the change marker (lib/directory-
 * changes.ts), so it is visible at once: at the commit this process's snapshot reloads and the
 * gateway's response cache (keyed by the directory version) stops answering from before it. The
 * request then continues on the snapshot that holds the change, so the mutation's own answer (a
 * Provider with its offers) shows it too. A refusal thrown by `work` rolls everything back.
 */
export async function changeDirectory<T>(context: ProvidersContext, work: (em: SubgraphEM) => Promise<T>): Promise<T> {
  const result = await context.em.transactional(async (tx) => {
    const value = await work(tx as SubgraphEM);
    await bumpDirectoryVersion(tx as SubgraphEM);
    return value;
  });
  context.directory = await context.snapshots.get();
  return result;
}
