/**
 * The whole product in one process: the three subgraphs, each on its own database, and the gateway
 * in front of them. `npm start` uses it; so do the end-to-end tests (on port 0).
 */
import { SUBGRAPH_NAMES, type RetentionSettings, type SubgraphName, type WebhookSettings } from '../lib/config';
import type { DirectoryChangeFeed } from '../lib/directory-changes';
import { createGatewayService, type GatewayOptions } from '../gateway/gateway';
import { listen, listenHost, type RunningServer } from '../lib/http';
import type { SettingValues } from '../lib/settings';
import type { SubgraphORM } from '../lib/orm';
import { createSubgraphService, openSubgraphDatabase, subgraphServiceSettings, type DatabaseOptions } from '../lib/subgraph';
import { subgraphs } from './subgraphs';
import { generateSubgraphSecret } from '../lib/subgraph-signature';

export interface RunningStack {
  gateway: RunningServer;
  subgraphs: Record<SubgraphName, RunningServer>;
  orms: Record<SubgraphName, SubgraphORM>;
  /** The providers subgraph's directory change feed (what the gateway's cache follows in one process). */
  directoryChanges: DirectoryChangeFeed;
  /** What the gateway signs its subgraph requests with: SUBGRAPH_SECRET, or one generated for this process. */
  subgraphSecret: string;
  close(): Promise<void>;
}

export interface StackOptions {
  ports: { gateway: number } & Record<SubgraphName, number>;
  database: (name: SubgraphName) => DatabaseOptions;
  /** Runs once every database is migrated and before anything listens (demo data, fixtures). */
  beforeServe?: (orms: Record<SubgraphName, SubgraphORM>) => Promise<void>;
  gateway?: Omit<GatewayOptions, 'subgraphUrls'>;
  /** The instant the subgraphs answer at (tests fix it); default the system clock. */
  clock?: () => Date;
  /** Webhook settings over those of the environment (tests: allowed hosts, a short retry schedule). */
  webhooks?: Partial<WebhookSettings>;
  /** Retention settings over those of the environment (tests: no timer, cleanups run by hand). */
  retention?: Partial<RetentionSettings>;
  /** The gateway's and subgraphs' shared secret; default SUBGRAPH_SECRET, else one made for this process. */
  subgraphSecret?: string;
  /** The process's settings as its entry point parsed them (lib/settings.ts); default: none set (the table's defaults). */
  settings?: SettingValues;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const orms = {} as Record<SubgraphName, SubgraphORM>;
  const running: RunningServer[] = [];
  const served = new Set<SubgraphName>();
  const closeAll = async () => {
    // Gateway first (it is last in the list), then the subgraphs, which close their own databases.
    for (const server of [...running].reverse()) await server.close();
    await Promise.all(SUBGRAPH_NAMES.filter((n) => orms[n] && !served.has(n)).map((n) => orms[n].close(true)));
  };
  // Everything runs in this one process, so a secret made here is shared by all that need it and
  // never has to be written down: the subgraph ports then serve only the gateway's signed requests,
  // and an identity header from anyone else is refused with them (lib/subgraph-signature.ts).
  const environment = options.settings ?? {};
  const settings = subgraphServiceSettings(environment);
  const subgraphSecret = options.subgraphSecret ?? settings.secret ?? generateSubgraphSecret();
  const host = listenHost(environment);
  try {
    for (const name of SUBGRAPH_NAMES) orms[name] = await openSubgraphDatabase(subgraphs[name] as any, options.database(name));
    await options.beforeServe?.(orms);
    const subgraphServers = {} as Record<SubgraphName, RunningServer>;
    let directoryChanges: DirectoryChangeFeed | undefined;
    for (const name of SUBGRAPH_NAMES) {
      const service = await createSubgraphService(subgraphs[name] as any, orms[name], {
        ...settings,
        secret: subgraphSecret,
        clock: options.clock,
        webhooks: { ...settings.webhooks, ...options.webhooks },
        retention: { ...settings.retention, ...options.retention },
        // In one process the licenses subgraph relays its events to the providers subgraph started just before.
        providersUrl: subgraphServers.providers?.url ?? settings.providersUrl,
      });
      if (name === 'providers') directoryChanges = (service.serving as { directoryChanges: DirectoryChangeFeed }).directoryChanges;
      subgraphServers[name] = await listen(service, options.ports[name], host);
      running.push(subgraphServers[name]);
      served.add(name);
    }
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphServers[n].url]));
    const gateway = await listen(
      await createGatewayService({ environment, directoryChanges, ...options.gateway, subgraphSecret, subgraphUrls }),
      options.ports.gateway,
      host,
    );
    running.push(gateway);
    return { gateway, subgraphs: subgraphServers, orms, directoryChanges: directoryChanges!, subgraphSecret, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
