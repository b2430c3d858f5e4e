import type { SubgraphDefinition } from '../../lib/subgraph';
import { subgraphUrl } from '../../lib/config';
import { createLicensesContext, type LicensesContext, type LicensesServing } from './context';
import { ProvidersLink } from './directory/providers-link';
import { LicenseEvent } from './events/license-event.entity';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code/access-code.entity';
import { License } from './license/license.entity';
import { LicenseHolder } from './license/license-holder.embeddable';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildLicensesSchema } from './schema';

/** The licenses subgraph: license packages, their holders, vendors and maintenance, and their lifecycle. */
export const licensesSubgraph: SubgraphDefinition<LicensesContext, LicensesServing> = {
  name: 'licenses',
  entities: [License, LicenseHolder, LicenseEvent, LicenseAccessCode, LicenseAccessEvent],
  migrations: { sqlite, postgresql },
  buildSchema: buildLicensesSchema,
  createContext: createLicensesContext,
  serve: async (_orm, { providersUrl, secret }) => ({ providers: new ProvidersLink(providersUrl ?? subgraphUrl('providers'), secret) }),
};
