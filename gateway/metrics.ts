/**
 * The gateway's Prometheus metrics, served at GET /metrics: requests by operation and outcome and
 * their latency (lib/metrics.ts), response cache lookups, every subgraph call's duration and
 * failures (from the fetch wrapper, subgraph-fetch.ts), and process metrics.
 */
import type { RequestListener } from 'node:http';
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
      help: 'Failed calls to a subgraph by subgraph and code (SUBGRAPH_UNAVAILABLE, SUBGRAPH_TIMEOUT, ..., DEADLINE: aborted by the request deadline).',
      labelNames: ['subgraph', 'code'] as const,
      registers: [registry],
    }),
  };
}

/**
 * The listener of METRICS_PORT: GET /metrics and nothing else, so the port can be opened to the
 * Prometheus scraper alone while the public port serves no metrics.
 */
export function metricsOnly(metrics: GatewayMetrics): RequestListener {
  const refuse = (res: Parameters<RequestListener>[1], status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
  };
  return (req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') return refuse(res, 404, 'NOT_FOUND', 'This port serves GET /metrics only.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'GET /metrics only.', { allow: 'GET, HEAD' });
    metrics.registry.metrics().then(
      (text) => void res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'The metrics could not be collected.'),
    );
  };
}
