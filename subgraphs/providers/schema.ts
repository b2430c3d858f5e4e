import { buildFederatedSchema } from '../../lib/federation';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { PriceStatsResolver } from './analytics/price-stats';
import { AuditTrailResolver } from './audit/audit.resolver';
import { OfferMutations } from './offer/offer.mutations';
import { ProviderMutations } from './provider/provider.mutations';
import { ProviderAdminMutations } from './provider/provider-admin.mutations';
import { ProviderResolver } from './provider/provider.resolver';
import { OpeningPreviewResolver } from './provider/opening-preview.resolver';
import { resolveProviderReference } from './provider/provider.reference';
import { ServiceAreaResolver } from './service-area/service-area.resolver';
import { resolveServiceAreaReference } from './service-area/service-area.reference';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhooks/webhook.resolver';

export const buildProvidersSchema = () =>
  buildFederatedSchema(
    {
      resolvers: [
        ProviderResolver,
        OpeningPreviewResolver,
        ProviderMutations,
        ProviderAdminMutations,
        OfferMutations,
        ServiceAreaResolver,
        PriceStatsResolver,
        ApiKeyResolver,
        AuditTrailResolver,
        WebhookEndpointResolver,
        WebhookDeliveryResolver,
      ],
    },
    {
      Provider: { __resolveReference: resolveProviderReference },
      ServiceArea: { __resolveReference: resolveServiceAreaReference },
    },
  );
