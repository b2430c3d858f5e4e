/**
 * Loads an ESM-only package (@formatjs/intl, oauth4webapi, oidc-provider) from this CommonJS build,
 * one way for all of them.
 *
 * Node loads ES modules with `require` since 20.19 and 22.12 (`process.features.require_module`).
 * The package is required through Node's own loader (`process.getBuiltinModule('node:module')`),
 * not the `require` in scope: under Jest that is Jest's, which refuses ES modules, and a dynamic
 * `import()` there runs through Jest's vm hooks, which fail once the test file that first loaded
 * this module is torn down ("Test environment has been torn down", seen in a full run). Node's own
 * loader behaves the same in the product and in the tests.
 *
 * A Node without it (an older 20.x or 22.x) gets a real dynamic import for `importEsm` (a Function
 * body keeps TypeScript from compiling `import()` to `require()`); `requireEsm` then says which
 * Node it needs.
 */
import type { Module } from 'node:module';

type NodeModule = typeof Module;
const nodeModule = (process as unknown as { getBuiltinModule?(id: 'node:module'): NodeModule }).getBuiltinModule?.('node:module');
const requiresEsm = (process.features as { require_module?: boolean }).require_module === true && nodeModule !== undefined;
const nodeRequire = requiresEsm ? nodeModule!.createRequire(__filename) : undefined;
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** The module's namespace, at once; the caller names its type with `typeof import('…')` (types only). */
export function requireEsm<T>(specifier: string): T {
  if (!nodeRequire) throw new Error(`loading ${specifier} needs Node 20.19, 22.12 or later (require of ES modules); this is ${process.version}`);
  return nodeRequire(specifier) as T;
}

/** The module's namespace; the caller names its type with `typeof import('…')` (types only, nothing loaded). */
export const importEsm = <T>(specifier: string): Promise<T> =>
  nodeRequire ? Promise.resolve(requireEsm<T>(specifier)) : (dynamicImport(specifier) as Promise<T>);
