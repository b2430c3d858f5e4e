/**
 * Loads an ESM-only package (@formatjs/intl, oauth4webapi, oidc-provider) from this CommonJS build.
 *
 * `importEsm`: a real dynamic import (TypeScript compiles `import()` to `require()` under
 * `"module": "commonjs"`; a Function body keeps it). The package then lives in the caller's realm,
 * which oidc-provider needs: it takes its configuration only from plain objects of its own realm
 * (`constructor === Object`), and under Jest every test file is a realm of its own. The Function's
 * source is made unique per load of this module: V8 caches a compiled Function by its source, and
 * a cached one kept the import hooks of the first test file of a Jest worker that made it, so a
 * later file's import failed with "Test environment has been torn down" (seen in a full run).
 *
 * `requireEsm`: at once, for a module needed synchronously (@formatjs/intl's message formatting):
 * Node's own `require` of ES modules (20.19+, 22.12+), taken from `process.getBuiltinModule` rather
 * than the `require` in scope, which under Jest is Jest's and refuses ES modules.
 */
import { randomUUID } from 'node:crypto';
import type { Module } from 'node:module';

type NodeModule = typeof Module;
const nodeModule = (process as unknown as { getBuiltinModule?(id: 'node:module'): NodeModule }).getBuiltinModule?.('node:module');
const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true && nodeModule !== undefined;
const nodeRequire = canRequireEsm ? nodeModule!.createRequire(__filename) : undefined;
const dynamicImport = new Function('specifier', `return import(specifier); // ${randomUUID()}`) as (specifier: string) => Promise<unknown>;

/** The module's namespace; the caller names its type with `typeof import('…')` (types only, nothing loaded). */
export const importEsm = <T>(specifier: string): Promise<T> => dynamicImport(specifier) as Promise<T>;

/** The module's namespace, at once (Node's require of ES modules). */
export function requireEsm<T>(specifier: string): T {
  if (!nodeRequire) throw new Error(`loading ${specifier} needs Node 20.19, 22.12 or later (require of ES modules); this is ${process.version}`);
  return nodeRequire(specifier) as T;
}
