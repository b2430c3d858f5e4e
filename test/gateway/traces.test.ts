/**
 * Traces: with tracing on, the headline query is one trace: the gateway's server span, a client
 * span per subgraph call, each subgraph's server span under it, and the SQL statements under those.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { startTracing } from '../../lib/tracing';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';

/** Licenses are private: the requests ask as an admin. */
let asAdmin: Record<string, string> = {};
beforeAll(async () => {
  asAdmin = { authorization: `Bearer ${await tokenFor({ sub: 'admin', role: 'admin' })}` };
});

const exporter = new InMemorySpanExporter();
let stopTracing: (() => Promise<void>) | undefined;
let stack: TestStack;
beforeAll(async () => {
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or an exporter is given).
  expect(await startTracing({})).toBeUndefined();
  stopTracing = await startTracing({ exporter });
  // Cache off: a cached answer would (rightly) reach no subgraph.
  stack = await startTestStack({ directory: networkDirectory(), gateway: { responseCache: false } });
});
afterAll(async () => {
  await stack?.close();
  await stopTracing?.();
});

const HEADLINE = `query Headline { supportContact(licenseKey: "L-PARTNER", topic: "training") { contacts { name offers(service: TRAINING) { price { amount } } } billedBy { name } explanation } }`;

test('the headline query is one trace: gateway span -> subgraph call spans -> subgraph spans -> SQL spans', async () => {
  exporter.reset();
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asAdmin },
    body: JSON.stringify({ query: HEADLINE }),
  });
  expect(response.status).toBe(200);
  expect((await response.json()).errors).toBeUndefined();
  // Spans end when each answer is written; the gateway's when its own answer is: wait for that one.
  const spans = await new Promise<ReadableSpan[]>((resolve) => {
    const poll = () => {
      const all = exporter.getFinishedSpans();
      if (all.some((s) => s.name === 'POST /graphql' && s.instrumentationScope.name.endsWith('/gateway'))) resolve(all);
      else setTimeout(poll, 10);
    };
    poll();
  });
  const gateway = spans.filter((s) => s.instrumentationScope.name.endsWith('/gateway') && s.kind === SpanKind.SERVER);
  expect(gateway).toHaveLength(1);
  const root = gateway[0];
  expect(root.parentSpanContext).toBeUndefined();
  expect(root.attributes['graphql.operation.name']).toBe('Headline');
  const traceId = root.spanContext().traceId;
  expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);

  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const parentOf = (s: ReadableSpan) => (s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined);
  const calls = spans.filter((s) => s.name.startsWith('subgraph '));
  expect(new Set(calls.map((s) => s.attributes['graphql.subgraph']))).toEqual(new Set(['providers', 'licenses', 'support']));
  for (const call of calls) expect(parentOf(call)).toBe(root);

  const served = spans.filter((s) => s.kind === SpanKind.SERVER && s !== root);
  expect(served.length).toBe(calls.length);
  for (const span of served) {
    const call = parentOf(span)!;
    expect(call.name).toBe(`subgraph ${span.instrumentationScope.name.split('/')[1]}`);
  }
  // Statements hang under the subgraph request that issued them; the licenses subgraph reads its database.
  const statements = spans.filter((s) => s.name.startsWith('SQL '));
  expect(statements.length).toBeGreaterThan(0);
  for (const statement of statements) {
    const parent = parentOf(statement)!;
    expect(served).toContain(parent);
    expect(statement.instrumentationScope.name).toBe(parent.instrumentationScope.name);
    expect(statement.name).toBe('SQL select');
    expect(String(statement.attributes['db.query.text'])).toMatch(/^select /i);
  }
  expect(statements.some((s) => s.instrumentationScope.name.endsWith('/licenses'))).toBe(true);
});
