/** The three subgraphs, by name (scripts and tests iterate over them). */
import { licensesSubgraph } from '../subgraphs/licenses/subgraph';
import { providersSubgraph } from '../subgraphs/providers/subgraph';
import { supportSubgraph } from '../subgraphs/support/subgraph';

export const subgraphs = { providers: providersSubgraph, licenses: licensesSubgraph, support: supportSubgraph } as const;
