/** The three subgraphs, by name (scripts and tests iterate over them). */
import { providersSubgraph } from '../subgraphs/providers/subgraph';

export const subgraphs = { providers: providersSubgraph } as const;
