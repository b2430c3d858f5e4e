import type { SubgraphDefinition } from '../../lib/subgraph';
import { createLicensesContext, type LicensesContext } from './context';
import { License } from './license/license.entity';
import { LicenseHolder } from './license/license-holder.embeddable';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildLicensesSchema } from './schema';
import { DEFAULT_WEBHOOK_SETTINGS, subgraphUrl } from '../../lib/config';
import { LicenseEvent } from './events/license-events';
import { startLicenseEventRelay } from './events/license-event-relay';

/** The licenses subgraph: license packages, their holders, vendors and maintenance. */
export const licensesSubgraph: SubgraphDefinition<LicensesContext> = {
  name: 'licenses',
  entities: [License, LicenseHolder, LicenseEvent],
  migrations: { sqlite, postgresql },
  buildSchema: buildLicensesSchema,
  createContext: createLicensesContext,
  // The outbox's events go to the providers subgraph, which delivers the webhooks (events/license-event-relay.ts).
  async serve(orm, { webhooks = DEFAULT_WEBHOOK_SETTINGS, providersUrl = subgraphUrl('providers', {}), secret }) {
    const relay = startLicenseEventRelay(orm, { providersUrl, secret, settings: webhooks });
    return { close: () => relay.close() };
  },
};
