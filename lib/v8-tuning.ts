/**
 * V8 settings of the gateway process, set from inside it so that every way of running it
 * (`node dist/gateway/index.js`, the container, the benchmark) gets them.
 *
 * Allocation-site pretenuring off. V8 watches where objects are allocated; a site whose objects
 * outlive a couple of young-generation collections is switched to allocate straight into the old
 * generation. The gateway's first requests are cache misses that wait milliseconds on subgraphs, so
 * Node's and the front door's per-request objects (the request, its headers, the answer, the access
 * record) look long-lived and their sites get switched. Afterwards every request, cache hits
 * included, allocates into the old generation: each young collection then has to scan all those
 * old objects' pointers into the young one, and the old generation fills with garbage that only a
 * full collection clears. Measured under load (docs/benchmarks.md): young collections took 4-7 ms
 * instead of 0.7-0.9 ms, 2 MB were promoted per collection, a fifth of the CPU went to the garbage
 * collector, and a cache hit cost 45 µs instead of 31 µs.
 */
import v8 from 'node:v8';

const V8_FLAGS = ['--no-allocation-site-pretenuring'];

export function keepRequestObjectsYoung(): void {
  for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
}
