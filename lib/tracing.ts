/**
 * Traces (OpenTelemetry), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: one trace per request from
 * the gateway (a server span, a client span per subgraph call carrying `traceparent`) through each
 * subgraph (a server span per request) down to every SQL statement (a span per statement, its text
 * with placeholders, never the values). Off, the API's no-op tracer makes every span call nearly free.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { context, INVALID_SPAN_CONTEXT, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { SubgraphORM } from './orm';

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing for this process when given OTEL_EXPORTER_OTLP_ENDPOINT's value (OTLP over HTTP;
 * the exporter library reads that and the other OTEL_* variables itself), or with the given exporter (tests). Returns a stop
 * function that sends what is left, or undefined when tracing stays off.
 */
export async function startTracing(options: { exporter?: SpanExporter; endpoint?: string } = {}): Promise<(() => Promise<void>) | undefined> {
  if (provider) throw new Error('tracing is already started in this process');
  let processor;
  if (options.exporter) {
    processor = new SimpleSpanProcessor(options.exporter);
  } else if (options.endpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter());
  } else {
    return undefined;
  }
  const started = new NodeTracerProvider({ spanProcessors: [processor] });
  // Registers the AsyncLocalStorage context manager and the W3C traceparent propagator.
  started.register();
  provider = started;
  return async () => {
    await started.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    provider = undefined;
  };
}

/** True while this process sends traces (startTracing): off, the request paths skip span work altogether. */
export const tracingOn = (): boolean => provider !== undefined;

/** What startServerSpan gives while tracing is off: runs the request as it is, ends nothing. */
export const UNTRACED_SPAN = { span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), run: <T>(fn: () => T): T => fn(), end: () => undefined };

/** The tracer of one service (gateway, providers, licenses, support); its spans say which. */
export const tracerOf = (service: string) => trace.getTracer(`onyx-support-directory/${service}`);

/** The trace context a caller sent (`traceparent`), or the active one. */
export const incomingContext = (headers: IncomingHttpHeaders): Context => propagation.extract(context.active(), headers);

/** Adds `traceparent` (and `tracestate`) for the active span to outgoing headers. */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers);
}

/**
 * A server span for one HTTP request: `run` runs inside it (what it calls becomes its children);
 * the returned function ends it with the answer's status.
 */
export function startServerSpan(
  service: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): { span: Span; run<T>(fn: () => T): T; end(status: number, attributes?: Record<string, string | number | undefined>): void } {
  // Even the no-op tracer's span, context and propagator cost a few µs per request (measured on a cache hit).
  if (!provider) return UNTRACED_SPAN;
  const parent = incomingContext(headers);
  const span = tracerOf(service).startSpan(
    `${method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path, 'service.component': service } },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  return {
    span,
    run: (fn) => context.with(ctx, fn),
    end(status, attributes = {}) {
      span.setAttribute('http.response.status_code', status);
      for (const [key, value] of Object.entries(attributes)) if (value !== undefined) span.setAttribute(key, value);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

interface KnexQuery {
  __knexQueryUid?: string;
  sql?: string;
  method?: string;
}

/** A span per SQL statement, child of whatever span issued it (the subgraph request's). */
export function traceDatabase(orm: SubgraphORM, service: string): void {
  const knex = (orm.em.getConnection() as unknown as { getKnex(): any }).getKnex();
  const dbSystem = knex.client?.config?.client === 'pg' || /postgres/i.test(String(knex.client?.dialect)) ? 'postgresql' : 'sqlite';
  const tracer = tracerOf(service);
  const open = new Map<string, Span>();
  knex.on('query', (query: KnexQuery) => {
    if (!query?.__knexQueryUid || !trace.getSpan(context.active())) return; // no statement spans outside a request
    // MikroORM sends most statements as knex "raw": the statement's first word says what it does.
    const operation = (/^\s*(\w+)/.exec(query.sql ?? '')?.[1] ?? query.method ?? 'query').toLowerCase();
    open.set(
      query.__knexQueryUid,
      tracer.startSpan(`SQL ${operation}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': dbSystem, 'db.operation.name': operation, 'db.query.text': (query.sql ?? '').slice(0, 2000) },
      }),
    );
  });
  const finish = (query: KnexQuery, error?: unknown) => {
    const uid = query?.__knexQueryUid;
    const span = uid ? open.get(uid) : undefined;
    if (!uid || !span) return;
    open.delete(uid);
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    span.end();
  };
  knex.on('query-response', (_response: unknown, query: KnexQuery) => finish(query));
  knex.on('query-error', (error: unknown, query: KnexQuery) => finish(query, error));
}
