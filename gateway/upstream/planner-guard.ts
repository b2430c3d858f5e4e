/**
 * Hive Router's Rust query planner (router-runtime 1.4.23) aborts the whole process on some valid
 * queries: a Rust panic in merge_path.rs that JavaScript cannot catch (README "Known
 * limitations"). One client could take the gateway down with one request. So an operation the
 * gateway has not planned before is first planned in a small probe process; only what the probe
 * planned reaches the in-process planner. An operation that kills the probe is refused with
 * QUERY_PLANNING_FAILED (and remembered), and the probe is started again for the next one.
 * Known operations cost nothing: the verdict is kept per parsed document, which the engine's
 * document cache hands back for repeated queries. Introspection fields are answered by the
 * gateway (introspection.ts), so only the part the planner is given is probed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, print, type DocumentNode } from 'graphql';
import { PROJECT_ROOT } from '../../lib/config';
import { plannedPart } from '../protection/introspection';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';

/** The probe: plans what it is sent with the same native planner and supergraph, answers ok or why not. */
const PROBE = `
const { QueryPlanner } = require('@graphql-hive/router-query-planner');
let planner;
process.on('message', ({ id, supergraph, query, operationName }) => {
  if (supergraph !== undefined) { planner = new QueryPlanner(supergraph); return; }
  try {
    planner.plan(query, operationName ?? null, new Set(), 0);
    process.send({ id, ok: true });
  } catch (error) {
    process.send({ id, ok: false, message: String(error && error.message || error) });
  }
});
process.on('disconnect', () => process.exit(0));
`;

type Verdict = { ok: true } | { ok: false; reason: string };

class PlannerProbe {
  private child?: ChildProcess;
  private readonly pending = new Map<number, (verdict: Verdict) => void>();
  private nextId = 0;

  constructor(private readonly supergraph: string) {}

  private start(): ChildProcess {
    const child = spawn(process.execPath, ['-e', PROBE], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.on('message', (message: { id: number; ok: boolean; message?: string }) => {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message.ok ? { ok: true } : { ok: false, reason: message.message ?? 'the query planner refused it' });
    });
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      // Whatever it was planning took it down.
      for (const settle of this.pending.values()) settle({ ok: false, reason: 'planning it crashed the query planner' });
      this.pending.clear();
    });
    child.send({ supergraph: this.supergraph });
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    return child;
  }

  plan(query: string, operationName: string | null | undefined): Promise<Verdict> {
    const child = (this.child ??= this.start());
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.send({ id, query, operationName }, (error) => {
        if (error) {
          this.pending.delete(id);
          resolve({ ok: false, reason: 'the query planner probe is unavailable' });
        }
      });
    });
  }

  stop() {
    this.child?.kill();
    this.child = undefined;
  }
}

export function createPlannerGuard(supergraph: string): { plugin: GatewayPlugin; dispose(): void } {
  const probe = new PlannerProbe(supergraph);
  // The verdict itself once it is in, else its promise: a known operation is passed synchronously.
  // A hook that returns a promise, even a settled one, turns the engine's whole remaining chain of
  // hooks asynchronous for that request (measured: a third of the plugins' cost over stock Hive).
  const verdicts = new WeakMap<DocumentNode, Map<string, Verdict | Promise<Verdict>>>();
  const refuse = (known: Verdict, stop: (result: { errors: GraphQLError[] }) => void) => {
    if (known.ok) return;
    stop({
      errors: [
        // The planner's own reason is quoted as it gives it (English).
        localizedError(message('gateway.notPlannable', { reason: known.reason }), { code: 'QUERY_PLANNING_FAILED', http: { status: 400 } }),
      ],
    });
  };
  const plugin: GatewayPlugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = args.operationName ?? '';
      let byOperation = verdicts.get(args.document);
      if (!byOperation) verdicts.set(args.document, (byOperation = new Map()));
      let verdict = byOperation.get(operation);
      if (!verdict) {
        const planned = plannedPart(args.document, args.operationName);
        if (!planned) verdict = { ok: true };
        else {
          const settled = byOperation;
          verdict = probe.plan(print(planned), args.operationName).then((known) => {
            settled.set(operation, known);
            return known;
          });
        }
        byOperation.set(operation, verdict);
      }
      if (!(verdict instanceof Promise)) return refuse(verdict, setResultAndStopExecution);
      return verdict.then((known) => refuse(known, setResultAndStopExecution));
    },
  };
  return { plugin, dispose: () => probe.stop() };
}
