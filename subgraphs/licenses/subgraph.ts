import type { SubgraphDefinition } from '../../lib/subgraph';
import { createLicensesContext, type LicensesContext, type LicensesServing } from './context';
import { ProvidersLink } from './directory/providers-link';
import { LicenseEvent } from './events/license-event.entity';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code/access-code.entity';
import { License } from './license/license.entity';
import { MaintenancePayment } from './payment/maintenance-payment.entity';
import { LicenseHolder } from './license/license-holder.embeddable';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildLicensesSchema } from './schema';
import { DEFAULT_RETENTION_SETTINGS, DEFAULT_WEBHOOK_SETTINGS, subgraphUrl } from '../../lib/config';
import { CleanupLease, startRetentionCleanup } from '../../lib/retention';
import { startLicenseEventRelay } from './events/license-event-relay';
import { HOLDER_CREDENTIAL_PATH } from '../../lib/holder-credentials';
import { holderCredential } from './access-code/holder-credential';
import { SignInChecks } from './access-code/sign-in-checks';
import { IdempotencyRecord } from '../../lib/idempotency-record.entity';
import { licensesRetentionTasks } from './events/license-event-retention';
import { idempotencyRetentionTask } from '../../lib/idempotency-retention';

/** The licenses subgraph: license packages, their holders, vendors and maintenance, and their lifecycle. */
export const licensesSubgraph: SubgraphDefinition<LicensesContext, LicensesServing> = {
  name: 'licenses',
  entities: [License, LicenseHolder, LicenseEvent, LicenseAccessCode, LicenseAccessEvent, MaintenancePayment, IdempotencyRecord, CleanupLease],
  migrations: { sqlite, postgresql },
  // Every mutation's Idempotency-Key is settled here, in its transaction; a sign-in is checked
  // afresh each time (its "right" must not outlive the code, e.g. past a transfer).
  idempotency: { rerunSafe: ['signIn'] },
  buildSchema: buildLicensesSchema,
  createContext: createLicensesContext,
  // License changes check references and record their audit at the providers subgraph; the
  // outbox's events go there too, which delivers the webhooks (events/license-event-relay.ts).
  // Relayed events and the access-code log are cleaned up after their retention (lib/retention.ts).
  async serve(orm, { webhooks = DEFAULT_WEBHOOK_SETTINGS, retention = DEFAULT_RETENTION_SETTINGS, providersUrl = subgraphUrl('providers', {}), secret }) {
    const relay = startLicenseEventRelay(orm, { providersUrl, secret, settings: webhooks });
    const cleanup = startRetentionCleanup(orm, {
      service: 'licenses',
      tasks: [...licensesRetentionTasks(retention), idempotencyRetentionTask],
      settings: retention,
    });
    return {
      providers: new ProvidersLink(providersUrl, secret),
      retention: cleanup,
      signInChecks: new SignInChecks(),
      // The gateway asks which access code of a license is in force (gateway/identity/holder-standing.ts).
      routes: { [HOLDER_CREDENTIAL_PATH]: (query) => holderCredential(orm, query) },
      close: async () => {
        await cleanup.close();
        await relay.close();
      },
    };
  },
};
