/**
 * REQUEST_DEADLINE_MS, the whole budget of one gateway request: past it the client is answered 504
 * REQUEST_DEADLINE_EXCEEDED (and the connection closed), and the subgraph calls still under way
 * are aborted, so that nothing keeps working for an answer nobody will read.
 *
 * Why not @whatwg-node/server's useRequestDeadline: for every request it composes the request's
 * signal with a new one (abortSignalAny), redefines `request.signal` and wraps the handler in a
 * promise of its own. The CPU profile counted ~21 µs per request for it, and the gateway's RSS
 * under load grew from round to round with it (the composed signals outlive their requests until
 * the collector catches up) and stayed flat without it. Here: a deadline in a shared watch
 * (deadline-watch.ts), dropped when the answer is out; the only work aborted is the subgraph calls,
 * which register with the request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayRequest } from '../http/access-log';
import type { DeadlineWatch } from './deadline-watch';

/** The reason the subgraph calls of a request past its deadline are aborted with. */
export class RequestDeadlinePassed extends Error {
  override name = 'RequestDeadlinePassed';
}

/**
 * Starts the deadline of one request: after `ms`, `record` is marked, its subgraph calls are aborted
 * and `answer` answers the client (when nothing was sent yet; otherwise the connection is cut).
 */
export function startRequestDeadline(
  watch: DeadlineWatch,
  req: IncomingMessage,
  res: ServerResponse,
  record: GatewayRequest | undefined,
  ms: number,
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  const drop = watch.after(ms, () => {
    if (res.writableFinished) return;
    if (record) {
      record.deadlinePassed = true;
      for (const call of record.subgraphCalls ?? []) call.abort(new RequestDeadlinePassed());
    }
    if (!res.headersSent) answer(req, res);
    else res.destroy();
  });
  // The access record's own close listener drops it: one listener less per request.
  if (record) record.onClose = drop;
  else res.once('close', drop);
}

/**
 * Registers a subgraph call of `record`'s request, so that its deadline aborts it; returns the
 * function that unregisters it. A call started after the deadline passed is aborted at once.
 */
export function trackSubgraphCall(record: GatewayRequest | undefined, call: AbortController): () => void {
  if (!record) return () => undefined;
  if (record.deadlinePassed) {
    call.abort(new RequestDeadlinePassed());
    return () => undefined;
  }
  (record.subgraphCalls ??= new Set()).add(call);
  return () => record.subgraphCalls?.delete(call);
}
