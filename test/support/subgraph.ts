/**
 * One subgraph alone over real HTTP on 127.0.0.1:0, on its own test database holding the network
 * fixture, with the guard settings a test chooses (secret, body limit, timeouts).
 */
import type { SubgraphName } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import { listen, type HttpService, type RunningServer } from '../../lib/http';
import type { SubgraphORM } from '../../lib/orm';
import { createSubgraphService, openSubgraphDatabase, subgraphServiceSettings, type SubgraphServiceSettings } from '../../lib/subgraph';
import { subgraphs } from '../../app/subgraphs';
import { networkDirectory } from '../fixtures/network';
import { dropTestSchemas, testDatabase } from './stack';

export interface TestSubgraph {
  name: SubgraphName;
  server: RunningServer;
  service: HttpService;
  orm: SubgraphORM;
  /** http://127.0.0.1:port (no path). */
  base: string;
  close(): Promise<void>;
}

export async function startTestSubgraph(name: SubgraphName, settings: Partial<SubgraphServiceSettings> = {}): Promise<TestSubgraph> {
  const names: SubgraphName[] = ['providers', 'licenses', 'support'];
  const options = Object.fromEntries(names.map((n) => [n, testDatabase(n)])) as Record<SubgraphName, ReturnType<typeof testDatabase>>;
  const orms = {} as Record<SubgraphName, SubgraphORM>;
  const schemas = names.map((n) => options[n].pgSchema);
  try {
    for (const n of names) orms[n] = await openSubgraphDatabase(subgraphs[n] as any, options[n]);
    const result = await importDirectory(networkDirectory(), orms);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    for (const n of names) if (n !== name) await orms[n].close(true);
    // Defaults as in production, without reading this process's environment.
    const service = await createSubgraphService(subgraphs[name] as any, orms[name], { ...subgraphServiceSettings({}), ...settings });
    const server = await listen(service, 0);
    return {
      name,
      server,
      service,
      orm: orms[name],
      base: server.url.replace(/\/graphql$/, ''),
      close: async () => {
        await server.close();
        await dropTestSchemas(schemas);
      },
    };
  } catch (error) {
    for (const orm of Object.values(orms)) await orm.close(true).catch(() => undefined);
    await dropTestSchemas(schemas);
    throw error;
  }
}
