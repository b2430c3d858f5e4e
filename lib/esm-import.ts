/**
 * Loads an ESM-only package (oauth4webapi, oidc-provider) from this CommonJS build. TypeScript
 * compiles `import()` to `require()` under `"module": "commonjs"`, which cannot load them on every
 * supported Node (require of ESM arrived unflagged only in 20.19/22.12) nor under Jest; a
 * Function body keeps the real dynamic import.
 */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** The module's namespace; the caller names its type with `typeof import('…')` (types only, nothing loaded). */
export const importEsm = <T>(specifier: string): Promise<T> => dynamicImport(specifier) as Promise<T>;
