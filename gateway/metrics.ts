/** The gateway's Prometheus metrics, served at GET /metrics. */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

export function createGatewayMetrics() {
  // One registry per gateway instance: tests run several gateways in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    cacheLookups: new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups by result (hit or miss).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}
