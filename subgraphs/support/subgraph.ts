import type { SubgraphDefinition } from '../../lib/subgraph';
import { SupportCategory } from './category/support-category.entity';
import { createSupportContext, type SupportContext } from './context';
import { EuMembership, VatAreaMembership, VatRate } from './fee/vat-rate.entity';
import { ensureVatRates, loadVatTable } from './fee/vat-rates';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildSupportSchema } from './schema';
import { ensureSupportCatalogue } from './topic/support-catalogue';
import { loadSupportCatalogue, type SupportServing } from './topic/support-catalogue-snapshot';
import { SupportTopic } from './topic/support-topic.entity';

/** The support subgraph: categories, topics and the routing rules behind SupportContact, the VAT table and maintenance fee lines. */
export const supportSubgraph: SubgraphDefinition<SupportContext, SupportServing> = {
  name: 'support',
  entities: [SupportCategory, SupportTopic, VatRate, EuMembership, VatAreaMembership],
  migrations: { sqlite, postgresql },
  buildSchema: buildSupportSchema,
  createContext: createSupportContext,
  ensureReferenceData: async (orm) => {
    await ensureSupportCatalogue(orm);
    await ensureVatRates(orm);
  },
  serve: async (orm, { clock = () => new Date() }) => ({ catalogue: await loadSupportCatalogue(orm), vat: await loadVatTable(orm), clock }),
};
