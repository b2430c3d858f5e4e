/**
 * Who stops the gateway: its entry point (lib/main.ts), in order — /ready says "draining", in-flight
 * requests finish, then the runtime is disposed. Hive Gateway's runtime is built on a server adapter
 * (@whatwg-node/server) that it creates with `disposeOnProcessTerminate: true` (not an option of
 * createGatewayRuntime): the adapter registers its own SIGINT/SIGTERM handler that disposes the
 * runtime at once, which aborts every request in flight ("The operation was aborted", HTTP 500) while
 * the HTTP server is still draining. That handler is removed here.
 *
 * Our own code rather than a built-in because there is none: the adapter registers the handler the
 * first time a disposable stack is created (reading `disposableStack` creates it now), under the
 * function name `terminateHandler`, once per process.
 */

/** The handler's name in @whatwg-node/server (utils.js, ensureEventListenerForDisposableStacks). */
const ADAPTER_HANDLER = 'terminateHandler';
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function leaveShutdownToTheEntryPoint(runtime: { readonly disposableStack: unknown }): void {
  // Creating the stack registers the adapter's handlers now, if they are not registered yet.
  void runtime.disposableStack;
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (listener.name === ADAPTER_HANDLER) process.removeListener(signal, listener);
  }
}

/** The adapter's own signal handlers still registered (none once leaveShutdownToTheEntryPoint ran): for tests. */
export const adapterSignalHandlers = () => SIGNALS.flatMap((signal) => process.listeners(signal).filter((listener) => listener.name === ADAPTER_HANDLER));
