import { API_KEY_IDENTITY_PATH } from '../../lib/api-keys';
import { PROVIDER_STANDING_PATH } from '../../lib/provider-standing';
import { DIRECTORY_VERSION_PATH, watchDirectory } from '../../lib/directory-changes';
import { LICENSE_CHANGES_PATH, PROVIDER_REFERENCES_PATH } from '../../lib/license-changes';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { providerReferences, recordLicenseChanges } from './directory/license-changes';
import { IdempotencyRecord } from '../../lib/idempotency-record.entity';
import { ApiKey } from './api-key/api-key.entity';
import { apiKeyIdentity } from './api-key/api-key-identity';
import { providerStanding } from './provider/provider-standing';
import { createProvidersContext, type ProvidersContext, type ProvidersServing } from './context';
import { AuditEntry } from './audit/audit-entry.entity';
import { DirectorySnapshots } from './directory/directory-snapshots';
import { DirectoryVersion } from './directory/directory-version.entity';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { Offer } from './offer/offer.entity';
import { Provider } from './provider/provider.entity';
import { buildProvidersSchema } from './schema';
import { DEFAULT_RETENTION_SETTINGS, DEFAULT_WEBHOOK_SETTINGS } from '../../lib/config';
import { CleanupLease, startRetentionCleanup } from '../../lib/retention';
import { idempotencyRetentionTask } from '../../lib/idempotency-retention';
import { webhookRetentionTasks } from './webhooks/webhook-retention';
import { LICENSE_EVENTS_PATH } from '../../lib/license-event-relay';
import { takeLicenseEvents } from './webhooks/license-event-intake';
import { startWebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhooks/webhook.entities';
import { resealWebhookSecrets } from './webhooks/webhook-secret';

/** The providers subgraph: the directory of parties, their contacts, their own price lists and their API keys. */
export const providersSubgraph: SubgraphDefinition<ProvidersContext, ProvidersServing> = {
  name: 'providers',
  entities: [Provider, Offer, DirectoryVersion, ApiKey, AuditEntry, IdempotencyRecord, WebhookEndpoint, WebhookEvent, WebhookDelivery, CleanupLease],
  migrations: { sqlite, postgresql },
  // Every mutation's Idempotency-Key is settled here, in its transaction (lib/idempotent-mutations.ts).
  idempotency: {},
  buildSchema: buildProvidersSchema,
  createContext: createProvidersContext,
  async serve(
    orm,
    { redisUrl, pollIntervalMs, clock = () => new Date(), webhooks = DEFAULT_WEBHOOK_SETTINGS, secretKeys, retention = DEFAULT_RETENTION_SETTINGS },
  ) {
    const settings = { ...webhooks, secretKeys: secretKeys ?? webhooks.secretKeys };
    // Secrets stored before sealing, or sealed with a key older than SECRETS_KEYS's first: sealed with it now.
    await resealWebhookSecrets(orm, settings);
    const directoryChanges = await watchDirectory(orm, { redisUrl, pollIntervalMs });
    try {
      const snapshots = await DirectorySnapshots.open(orm, directoryChanges);
      // Webhook deliveries go out from here, in the background (webhooks/webhook-dispatcher.ts).
      const dispatcher = startWebhookDispatcher(orm, settings);
      // The delivery log, the events and expired Idempotency-Keys are cleaned up after their retention (lib/retention.ts).
      const cleanup = startRetentionCleanup(orm, {
        service: 'providers',
        tasks: [...webhookRetentionTasks(retention), idempotencyRetentionTask],
        settings: retention,
      });
      return {
        retention: cleanup,
        directoryChanges,
        snapshots,
        clock,
        webhooks: { settings, dispatcher },
        // The licenses subgraph relays its license events here (signed like the gateway's requests).
        // The gateway, deployed without this database, follows the directory version here.
        // and asks which provider an API key (by its hash) acts as.
        routes: {
          [DIRECTORY_VERSION_PATH]: () => ({ version: directoryChanges.current() }),
          [API_KEY_IDENTITY_PATH]: (query) => apiKeyIdentity(orm, query),
          // The licenses subgraph checks a license's provider references here (lib/license-changes.ts).
          // ... and whether a provider is active (gateway/identity/provider-standing.ts).
          [PROVIDER_STANDING_PATH]: (query) => providerStanding(orm, query),
          [PROVIDER_REFERENCES_PATH]: (query) => providerReferences(orm, query),
        },
        // ... and records its license changes in the audit trail, with the directory version.
        postRoutes: {
          // The licenses subgraph relays its outbox's events here (webhooks/license-event-intake.ts).
          [LICENSE_EVENTS_PATH]: (body) => takeLicenseEvents(orm, body, dispatcher.wake),
          [LICENSE_CHANGES_PATH]: (body, caller) => recordLicenseChanges(orm, body, caller),
        },
        close: async () => {
          await cleanup.close();
          await dispatcher.close();
          snapshots.close();
          await directoryChanges.close();
        },
      };
    } catch (error) {
      await directoryChanges.close();
      throw error;
    }
  },
};
