/**
 * The gateway: Apollo Server over @apollo/gateway, reading the committed supergraph (no runtime
 * introspection), with /health (the process is up) and /ready (every subgraph answers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled, ApolloServerPluginSchemaReportingDisabled } from '@apollo/server/plugin/disabled';
import { SUBGRAPH_NAMES, subgraphUrl, type SubgraphName } from '../lib/config';
import { createGraphQLService, type HttpService } from '../lib/http';
import { SCHEMA_DIR } from '../lib/schema-files';
import { SubgraphDataSource } from './subgraph-data-source';

export interface GatewayOptions {
  /** Where each subgraph answers; defaults from PROVIDERS_URL / LICENSES_URL / SUPPORT_URL. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Longest wait for one subgraph call. */
  subgraphTimeoutMs?: number;
  supergraphSdl?: string;
}

export const readSupergraph = () => fs.readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');

export async function createGatewayService(options: GatewayOptions = {}): Promise<HttpService> {
  const urls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, options.subgraphUrls?.[name] ?? subgraphUrl(name)])) as Record<SubgraphName, string>;
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    buildService: ({ name, url }) => new SubgraphDataSource(name, urls[name as SubgraphName] ?? url!, timeoutMs),
  });
  const service = await createGraphQLService({
    name: 'gateway',
    apollo: (plugins) =>
      new ApolloServer({
        gateway: gateway as any,
        introspection: true,
        // Stack traces stay in the logs, never in answers to clients.
        includeStacktraceInErrorResponses: false,
        // CONTRACT.md: plain GET for queries (links, curl). No cookies or sessions are involved, so
        // there is nothing for a cross-site request to ride on; mutations are never run over GET.
        csrfPrevention: false,
        // No Apollo usage or schema reporting: this must run without internet access.
        plugins: [...plugins, ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()],
      }),
    context: async () => ({}),
  });
  service.app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await probeSubgraph(urls[name], Math.min(timeoutMs, 2_000))] as const));
    const ready = checks.every(([, answer]) => answer === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs: Object.fromEntries(checks) });
  });
  return service;
}

/** 'ok' when the subgraph answers a GraphQL request, else why not. */
async function probeSubgraph(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok ? 'ok' : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error ? (error.name === 'TimeoutError' ? 'no answer in time' : error.message) : String(error);
  }
}
