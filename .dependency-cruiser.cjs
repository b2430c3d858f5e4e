/**
 * The floors of this repository and which way imports may point (`npm run depcheck`, and
 * test/repo/layers.test.ts in `npm test`):
 *
 *   scripts/, examples/   entry points: may import anything below
 *   app/                  composition: knows the gateway and every subgraph (stack, schema files,
 *                         directory import, demo tokens)
 *   gateway/  subgraphs/  side by side, never importing each other (nor one subgraph another)
 *   lib/                  plumbing and domain rules shared by both; imports nothing above it
 *
 * Cycles are refused too, except among ORM entities: MikroORM relations are declared on both
 * sides (Provider.offers / Offer.provider), so entity files import each other by design.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-imports-nothing-above',
      comment: 'lib/ is the floor gateway/, subgraphs/ and app/ stand on; it must not import them (move the code up to app/, or the shared part down).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(app|gateway|subgraphs|scripts|examples|test|web)/' },
    },
    {
      name: 'gateway-and-subgraphs-side-by-side',
      comment: 'The gateway talks to subgraphs over HTTP only; what both need lives in lib/, what composes both in app/.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(subgraphs|app|scripts|examples)/' },
    },
    {
      name: 'subgraphs-do-not-know-the-gateway',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^(gateway|app|scripts|examples)/' },
    },
    {
      name: 'subgraphs-do-not-import-each-other',
      comment: 'Each subgraph is deployed alone; a shared rule belongs in lib/.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'app-is-not-imported-by-the-parts',
      comment: 'app/ composes; only entry points (scripts/, examples/) and tests use it.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: '^(scripts|examples|test)/' },
    },
    {
      name: 'no-cycles',
      comment: 'A cycle makes load order matter and hides which module is the lower one. ORM entities may refer to each other (both sides of a relation).',
      severity: 'error',
      from: {},
      to: { circular: true, viaSomeNot: '\\.(entity|embeddable)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // Type-only imports count: they tie the modules together just as much for a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
