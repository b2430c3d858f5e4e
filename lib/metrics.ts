/**
 * Prometheus metrics shared by the gateway and the subgraphs (GET /metrics): requests by operation
 * and outcome, request latency, process metrics, and for a subgraph its SQL statements and
 * database pool. One registry per service: tests run several in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubgraphORM } from './orm';

/** Seconds; from a cache hit (well under 1 ms) to a slow routing over a large page. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The label of every operation without one of its own. */
export const OTHER_OPERATIONS = 'other';

/**
 * Operation names come from clients: a label per name would let any caller grow the registry without
 * bound. The first `limit` well-formed names are kept, anything else is counted as "other" (which
 * takes no slot of its own).
 */
export function boundedLabel(limit = 100) {
  const seen = new Set<string>();
  return (name: string | undefined): string => {
    if (!name) return 'anonymous';
    if (name === OTHER_OPERATIONS) return name;
    if (seen.has(name)) return name;
    if (seen.size >= limit || !/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return OTHER_OPERATIONS;
    seen.add(name);
    return name;
  };
}

/**
 * ok: answered without errors; graphql_error: answered (HTTP 200) with errors; rejected: 4xx
 * (bad request, limits, rate limit, signature); failed: 5xx or no answer.
 */
export type Outcome = 'ok' | 'graphql_error' | 'rejected' | 'failed';

export function outcomeOf(status: number, errorCount: number): Outcome {
  if (status >= 500 || status < 200) return 'failed';
  if (status >= 400) return 'rejected';
  return errorCount > 0 ? 'graphql_error' : 'ok';
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

/** `prefix`: "gateway" or "subgraph" (a subgraph's name is its `service` label). */
export function createServiceMetrics(prefix: 'gateway' | 'subgraph', labels: Record<string, string> = {}) {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const operation = boundedLabel();
  const requests = new Counter({
    name: `${prefix}_requests_total`,
    help: 'Requests by GraphQL operation name (or anonymous/other) and outcome (ok, graphql_error, rejected, failed).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}_request_duration_seconds`,
    help: 'Time from the request to the last byte of the answer, by GraphQL operation name.',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    /** Counts a finished request and its duration. */
    observeRequest(operationName: string | undefined, status: number, errorCount: number, seconds: number) {
      const name = operation(operationName);
      requests.inc({ operation: name, outcome: outcomeOf(status, errorCount) });
      duration.observe({ operation: name }, seconds);
    },
  };
}

interface KnexQueryEvent {
  __knexQueryUid?: string;
}

/**
 * SQL statements (count, duration, errors) from knex's query events, and the connection pool's use
 * (in use, idle, waiting) read from its pool at each scrape.
 */
export function observeDatabase(registry: Registry, orm: SubgraphORM): void {
  const queries = new Histogram({
    name: 'subgraph_sql_query_duration_seconds',
    help: 'SQL statements sent to the database and how long each took to answer.',
    labelNames: ['result'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const knex = (orm.em.getConnection() as unknown as { getKnex(): any }).getKnex();
  const started = new Map<string, bigint>();
  const finish = (result: 'ok' | 'error', query: KnexQueryEvent) => {
    const uid = query?.__knexQueryUid;
    const start = uid ? started.get(uid) : undefined;
    if (uid === undefined || start === undefined) return;
    started.delete(uid);
    queries.observe({ result }, Number(process.hrtime.bigint() - start) / 1e9);
  };
  knex.on('query', (query: KnexQueryEvent) => query?.__knexQueryUid && started.set(query.__knexQueryUid, process.hrtime.bigint()));
  knex.on('query-response', (_response: unknown, query: KnexQueryEvent) => finish('ok', query));
  knex.on('query-error', (_error: unknown, query: KnexQueryEvent) => finish('error', query));
  new Gauge({
    name: 'subgraph_db_pool_connections',
    help: 'Database pool connections by state (used, free, pending acquires).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = knex.client?.pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });
}
