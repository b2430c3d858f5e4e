import type { SubgraphDefinition } from '../../lib/subgraph';
import { createLicensesContext, type LicensesContext } from './context';
import { LicenseAccessCode, LicenseAccessEvent } from './access-code/access-code.entity';
import { License } from './license/license.entity';
import { LicenseHolder } from './license/license-holder.embeddable';
import { migrations as postgresql } from './migrations/postgresql';
import { migrations as sqlite } from './migrations/sqlite';
import { buildLicensesSchema } from './schema';

/** The licenses subgraph: license packages, their holders, vendors and maintenance. */
export const licensesSubgraph: SubgraphDefinition<LicensesContext> = {
  name: 'licenses',
  entities: [License, LicenseHolder, LicenseAccessCode, LicenseAccessEvent],
  migrations: { sqlite, postgresql },
  buildSchema: buildLicensesSchema,
  createContext: createLicensesContext,
};
