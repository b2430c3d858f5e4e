import type { SubgraphDefinition } from '../../lib/subgraph';
import { createLicensesContext, type LicensesContext, type LicensesServing } from './context';
import { ProvidersLink } from './directory/providers-link';
import { LicenseEvent } from './events/license-event.entity';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code/access-code.entity';
import { License } from './license/license.entity';
import { LicenseHolder } from './license/license-holder.embeddable';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildLicensesSchema } from './schema';
import { DEFAULT_RETENTION_SETTINGS, DEFAULT_WEBHOOK_SETTINGS, subgraphUrl } from '../../lib/config';
import { CleanupLease, startRetentionCleanup } from '../../lib/retention';
import { startLicenseEventRelay } from './events/license-event-relay';
import { licensesRetentionTasks } from './events/license-event-retention';

/** The licenses subgraph: license packages, their holders, vendors and maintenance, and their lifecycle. */
export const licensesSubgraph: SubgraphDefinition<LicensesContext, LicensesServing> = {
  name: 'licenses',
  entities: [License, LicenseHolder, LicenseEvent, LicenseAccessCode, LicenseAccessEvent, CleanupLease],
  migrations: { sqlite, postgresql },
  buildSchema: buildLicensesSchema,
  createContext: createLicensesContext,
  // License changes check references and record their audit at the providers subgraph; the
  // outbox's events go there too, which delivers the webhooks (events/license-event-relay.ts).
  // Relayed events and the access-code log are cleaned up after their retention (lib/retention.ts).
  async serve(orm, { webhooks = DEFAULT_WEBHOOK_SETTINGS, retention = DEFAULT_RETENTION_SETTINGS, providersUrl = subgraphUrl('providers', {}), secret }) {
    const relay = startLicenseEventRelay(orm, { providersUrl, secret, settings: webhooks });
    const cleanup = startRetentionCleanup(orm, { service: 'licenses', tasks: licensesRetentionTasks(retention), settings: retention });
    return {
      providers: new ProvidersLink(providersUrl, secret),
      retention: cleanup,
      close: async () => {
        await cleanup.close();
        await relay.close();
      },
    };
  },
};
