/**
 * GET /health: the gateway process is up. GET /ready: every subgraph answers a GraphQL request
 * (503 naming those that do not), and the gateway is not stopping (503 "draining" from the moment
 * it received SIGTERM: lib/http.ts Draining, so that a load balancer stops sending first). GET /metrics: Prometheus text, unless METRICS_PORT serves it
 * apart (then the public port has no /metrics: 404 like any path it does not serve).
 */
import { Kind, parse, type EnumValueDefinitionNode } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Draining } from '../../lib/http';
import type { GatewayMetrics } from '../metrics';
import type { SubgraphRequestSigner } from '../upstream/subgraph-signer';

/** Each subgraph's URL: the override when given, else the one recorded in the supergraph. */
export function subgraphEndpoints(supergraphSdl: string, overrides: Record<string, string | undefined>): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const args = graphDirectiveArguments(value);
      if (args.name) endpoints[args.name] = overrides[args.name] ?? args.url;
    }
  }
  return endpoints;
}

function graphDirectiveArguments(value: EnumValueDefinitionNode): Record<string, string> {
  const directive = value.directives?.find((d) => d.name.value === 'join__graph');
  return Object.fromEntries((directive?.arguments ?? []).flatMap((a) => (a.value.kind === Kind.STRING ? [[a.name.value, a.value.value]] : [])));
}

/** 'ok' when the subgraph answers a GraphQL request, else why not (no internal addresses). */
async function probeSubgraph(url: string, timeoutMs: number, sign: SubgraphRequestSigner): Promise<string> {
  const body = JSON.stringify({ query: '{ __typename }' });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(url, 'POST', body) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? 'ok' : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : 'unreachable';
  }
}

export function useHealthAndReadiness(options: {
  endpoints: Record<string, string>;
  probeTimeoutMs: number;
  metrics?: GatewayMetrics;
  sign: SubgraphRequestSigner;
  /** Set once the gateway begins to stop: /ready answers 503 at once, without probing. */
  draining?: Draining;
}): GatewayPlugin {
  const { metrics } = options;
  const json = (status: number, body: unknown) => Response.json(body, { status });
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/health') return endResponse(json(200, { status: 'ok', service: 'gateway' }));
      if (url.pathname === '/metrics' && metrics) {
        return metrics.registry.metrics().then((text) => endResponse(new Response(text, { headers: { 'content-type': metrics.registry.contentType } })));
      }
      if (url.pathname === '/ready') {
        if (options.draining?.active) return endResponse(json(503, { status: 'draining' }));
        return Promise.all(
          Object.entries(options.endpoints).map(
            async ([name, endpoint]) => [name, await probeSubgraph(endpoint, options.probeTimeoutMs, options.sign)] as const,
          ),
        ).then((checks) => {
          const ready = checks.every(([, answer]) => answer === 'ok');
          endResponse(json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', subgraphs: Object.fromEntries(checks) }));
        });
      }
    },
  };
}
