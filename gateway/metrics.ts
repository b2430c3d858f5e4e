/**
 * The gateway's Prometheus metrics, served at GET /metrics: requests by operation and outcome and
 * their latency (lib/metrics.ts), response cache lookups, every subgraph call's duration and
 * failures (from the fetch wrapper, subgraph-fetch.ts), and process metrics.
 */
import { Counter, Histogram } from 'prom-client';
import { createServiceMetrics, LATENCY_BUCKETS } from '../lib/metrics';

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

export function createGatewayMetrics() {
  // One registry per gateway instance: tests run several gateways in one process.
  const service = createServiceMetrics('gateway');
  const { registry } = service;
  return {
    ...service,
    cacheLookups: new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups by result (hit or miss).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    subgraphFetchDuration: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Calls from the gateway to a subgraph, answer body included, by subgraph and result (ok or the failure code).',
      labelNames: ['subgraph', 'result'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    subgraphFetchErrors: new Counter({
      name: 'gateway_subgraph_fetch_errors_total',
      help: 'Failed calls to a subgraph by subgraph and code (SUBGRAPH_UNAVAILABLE, SUBGRAPH_TIMEOUT, ...).',
      labelNames: ['subgraph', 'code'] as const,
      registers: [registry],
    }),
  };
}
