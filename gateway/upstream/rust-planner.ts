/**
 * The gateway must plan with Hive Router's Rust query planner. Hive Gateway's JavaScript planner
 * cannot plan SupportContact's @requires over its composite key, and a gateway that quietly fell
 * back to it would answer the headline question wrongly; so a planner that cannot load stops the
 * gateway at start, saying why.
 */
import { createRequire } from 'node:module';

const load = createRequire(__filename);

export function assertRustQueryPlanner(supergraphSdl: string): void {
  let QueryPlanner: new (sdl: string) => { plan(query: string, operationName: null, labels: Set<string>, percentage: number): { kind: string } };
  try {
    ({ QueryPlanner } = load('@graphql-hive/router-query-planner'));
  } catch (error) {
    throw new Error(
      `the Rust query planner (@graphql-hive/router-query-planner, native module for ${process.platform}-${process.arch}) cannot be loaded: ` +
        `${error instanceof Error ? error.message.split('\n')[0] : error}. The gateway does not fall back to the JavaScript planner.`,
    );
  }
  // A query every supergraph has: nothing here assumes this product's types.
  const plan = new QueryPlanner(supergraphSdl).plan('{ __typename }', null, new Set(), 0);
  if (plan?.kind !== 'QueryPlan') throw new Error('the Rust query planner loaded but did not produce a query plan for the supergraph');
}
