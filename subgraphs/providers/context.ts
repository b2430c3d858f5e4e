import type { RetentionCleanup } from '../../lib/retention';
import type { DirectoryChangeFeed } from '../../lib/directory-changes';
import type { Identity } from '../../lib/identity';
import type { SubgraphEM, SubgraphORM } from '../../lib/orm';
import { logEvent, withoutSqlValues } from '../../lib/log';
import type { SubgraphServing } from '../../lib/subgraph';
import type { DirectorySnapshot } from './directory/directory-snapshot';
import type { DirectorySnapshots } from './directory/directory-snapshots';
import { businessHoursAt, type BusinessHoursState } from '../../lib/opening-hours';
import type { Provider } from './provider/provider.entity';
import type { WebhookSettings } from '../../lib/config';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';

/** The webhook side of the service: the settings endpoints are checked against, and the dispatcher to wake. */
export interface WebhookService {
  settings: WebhookSettings;
  dispatcher: WebhookDispatcher;
}

/** What the providers service holds while it serves: the change feed and the snapshot it keeps fresh. */
export interface ProvidersServing extends SubgraphServing {
  directoryChanges: DirectoryChangeFeed;
  snapshots: DirectorySnapshots;
  /** The instant a request is answered at (openNow, nextOpening). */
  clock: () => Date;
  webhooks: WebhookService;
  /** The background cleanup of the delivery log, the events and expired Idempotency-Keys. */
  retention: RetentionCleanup;
}

export interface ProvidersContext {
  /**
   * The directory as of this request: taken once when the request starts, so every lookup in it
   * (providers, offers, service areas) agrees, and no lookup reads the database.
   */
  directory: DirectorySnapshot;
  /** This request's own EntityManager, for figures answered by SQL aggregates (priceStats) and for changes. */
  em: SubgraphEM;
  /** Who is asking: changes, API keys and the audit trail follow docs/rules.md's "Who may see and change what". */
  caller: Identity;
  /** After a change, the request moves on to the snapshot that holds it (see changeDirectory). */
  snapshots: DirectorySnapshots;
  /**
   * What a provider's business hours say at this request's instant (one for the whole request, so
   * every provider's openNow agrees on what "now" is); read once per provider, however many of
   * openNow and nextOpening are asked.
   */
  openingState(provider: Provider): BusinessHoursState;
  /** The request's instant, the one openingState reads at (openingPreview reads at it too). */
  now: Date;
  webhooks: WebhookService;
}

export async function createProvidersContext(orm: SubgraphORM, { snapshots, clock, webhooks }: ProvidersServing, caller: Identity): Promise<ProvidersContext> {
  try {
    const now = clock();
    const states = new WeakMap<Provider, BusinessHoursState>();
    const openingState = (provider: Provider) => {
      let state = states.get(provider);
      if (!state) states.set(provider, (state = businessHoursAt(provider, now)));
      return state;
    };
    return { directory: await snapshots.get(), em: orm.em.fork() as SubgraphEM, caller, snapshots, openingState, now, webhooks };
  } catch (error) {
    // A changed directory that cannot be read must not be answered from the old snapshot. The
    // cause stays in the log; the caller learns the subgraph is unavailable (503), not why.
    logEvent('error', 'directory_unreadable', { service: 'providers', message: error instanceof Error ? withoutSqlValues(error).message : String(error) });
    throw localizedError(message('error.directoryUnreadable'), { code: 'DIRECTORY_UNAVAILABLE', http: { status: 503 } });
  }
}
