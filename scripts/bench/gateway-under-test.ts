/**
 * Benchmark helper process: one gateway, of the kind named by BENCH_GATEWAY, on PORT, over the
 * subgraph URLs in PROVIDERS_URL / LICENSES_URL / SUPPORT_URL. Prints `ready <url>` when it listens.
 * - ours:        this project's gateway, response cache off
 * - ours-cached: this project's gateway, response cache on (in memory; no directory change during a run)
 * - hive:        stock Hive Gateway runtime with the Rust query planner, default settings
 * - apollo:      stock Apollo Gateway 2.14 on Apollo Server (the previous engine)
 */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBGRAPH_NAMES, subgraphUrl, supergraphFile } from '../../lib/config';
import { parseSettings } from '../../lib/settings';
import { createGatewayService, readSupergraph } from '../../gateway/gateway';
import { listen } from '../../lib/http';

// An entry point of its own (scripts/bench.ts starts it): the environment parsed once by the settings
// table; BENCH_GATEWAY is the benchmark's protocol with its children, not a setting.
const settings = parseSettings(['gateway'], process.env);
const kind = process.env.BENCH_GATEWAY;
const port = settings.PORT ?? 0;
const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphUrl(name, settings)]));
const supergraph = () => readSupergraph(supergraphFile(settings));

async function start(): Promise<string> {
  if (kind === 'ours' || kind === 'ours-cached') {
    const unchanging = { current: () => 0, subscribe: () => () => undefined };
    const service = await createGatewayService({ subgraphUrls: urls, responseCache: kind === 'ours-cached', directoryChanges: unchanging, rateLimit: false });
    return (await listen(service, port)).url;
  }
  if (kind === 'hive') {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
    const { unifiedGraphHandler } = await import('@graphql-hive/router-runtime');
    const httpTransport = await import('@graphql-mesh/transport-http');
    const runtime = createGatewayRuntime({
      supergraph: supergraph(),
      unifiedGraphHandler,
      transports: { http: httpTransport },
      transportEntries: Object.fromEntries(Object.entries(urls).map(([name, location]) => [name, { location }])),
      logging: false,
    });
    const server = http.createServer(runtime);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  if (kind === 'apollo') {
    const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const { ApolloServerPluginUsageReportingDisabled } = await import('@apollo/server/plugin/disabled');
    const gateway = new ApolloGateway({ supergraphSdl: supergraph(), buildService: ({ name }) => new RemoteGraphQLDataSource({ url: urls[name] }) });
    const server = new ApolloServer({ gateway, plugins: [ApolloServerPluginUsageReportingDisabled()] });
    const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
    return `${url.replace(/\/$/, '')}/graphql`.replace('localhost', '127.0.0.1');
  }
  throw new Error(`BENCH_GATEWAY must be ours, ours-cached, hive or apollo, got "${kind}"`);
}

// Exit normally on the benchmark's SIGTERM, so a --cpu-prof profile is written.
process.on('SIGTERM', () => process.exit(0));

start().then(
  (url) => console.log(`ready ${url}`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
