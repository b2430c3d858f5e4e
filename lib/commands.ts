/**
 * Every command of the product, as `--help` describes it: how to call it, what it does, and what it
 * reads from the environment (lib/settings-table.js; also what it checks before it starts). Kept
 * free of heavy imports: scripts/launch.js loads it without a build to answer --help.
 */
import { configurationVariables, SUBGRAPH_NAMES, type ConfigurationScope, type SubgraphName } from './config';

export interface Command {
  /** How to call it, first the npm way when there is one, then the plain node way. */
  usage: string[];
  /** What it does, in a few lines. */
  description: string;
  /** Positional arguments and options besides -h/--help: [name, meaning]. */
  arguments?: [string, string][];
  /** The environment it reads; checked before it starts anything. */
  configuration?: ConfigurationScope;
  /** Its stdout carries a protocol (MCP over stdio): the launcher's own build writes to stderr instead. */
  stdoutIsProtocol?: boolean;
}

const subgraphCommand = (name: SubgraphName, holds: string): Command => ({
  usage: [`node dist/subgraphs/${name}/index.js`],
  description:
    `Runs the ${name} subgraph alone (${holds}), as containers do: migrates its database, then serves ` +
    `/graphql and /health on ${name.toUpperCase()}_PORT until SIGINT/SIGTERM. \`npm start\` runs all services in one process instead.`,
  configuration: { subgraphs: [name], database: true },
});

export const COMMANDS = {
  start: {
    usage: ['npm start', 'node dist/scripts/start.js'],
    description:
      'Runs the three subgraphs and the gateway in one process until SIGINT/SIGTERM, on SQLite files under DATA_DIR ' +
      '(or PostgreSQL with DATABASE_URL). An empty directory gets the demo directory (seed/demo-directory.json) first. ' +
      'Prints the gateway URL and an example request.',
    configuration: { gateway: true, subgraphs: SUBGRAPH_NAMES, database: true, readers: ['start'] },
  },
  import: {
    usage: ['npm run import -- FILE.json', 'node dist/scripts/import.js FILE.json'],
    description:
      'Loads a directory file (docs/directory-file.md) into the providers and licenses databases: validated as a whole first, ' +
      'then written as upserts, the file streamed both times (memory stays flat whatever its size). All or nothing: a file ' +
      "with any invalid record changes nothing and exits 1 naming each record's path and reason. Access codes may be given in " +
      'clear (hashed on as many cores as there are) or in their stored form. Files of more than 5,000 records print progress to stderr.',
    arguments: [['FILE.json', 'the directory file to load']],
    configuration: { database: true, readers: ['import'] },
  },
  schema: {
    usage: ['npm run schema', 'node dist/scripts/schema.js'],
    description:
      'Regenerates schema/: the subgraph SDLs built from the code and the composed supergraph; prints composition hints and errors. ' +
      'Commit the result (the test suite checks for drift).',
  },
  bench: {
    usage: ['npm run bench', 'node dist/scripts/bench.js'],
    description:
      'Benchmarks the headline query on this machine (loopback only, bounded in time), in interleaved rounds: the gateway alone ' +
      'over replayed subgraph answers (ours with the response cache off and on, stock Hive Gateway runtime with the Rust planner, ' +
      "stock Apollo Gateway 2.14; Grafbase's Rust engine when its optional package is installed, on the requests it answers as ours " +
      'does), then end to end over the real subgraphs as separate processes on SQLite. Prints req/s, p50/p99, ' +
      'errors, RSS per round and CPU per request.',
    configuration: { readers: ['bench'] },
  },
  stress: {
    usage: ['npm run stress', 'node dist/scripts/stress.js'],
    description:
      'Measures the hardening figures on this machine (loopback only, bounded): how fast the gateway turns away a request with 1,000 ' +
      'aliases, and two equal passes of generated bad requests mixed with headline queries (answers by status, 5xx, gateway RSS).',
    configuration: { readers: ['stress'] },
  },
  generate: {
    usage: [
      'npm run generate -- [--licenses N] [--providers N] [--access-codes plain|hashed] [--out FILE] [--seed N]',
      'node dist/scripts/generate.js [options]',
    ],
    description:
      'Writes a large, valid directory file for benchmarks: one manufacturer, distributors and support partners across 16 ' +
      'countries with a few offers each, and licenses bought through a distributor or directly. The same seed writes the same file; ' +
      'licenses are streamed to the file, so memory stays flat.',
    arguments: [
      ['--licenses N', 'how many licenses (default 100000)'],
      ['--providers N', 'how many providers, the manufacturer included (default 2000)'],
      [
        '--access-codes plain|hashed',
        'give every license an access code: plain (a random code each, which the import hashes) or hashed (stored forms, as a ' +
          'vendor migrating codes would give; taken from a pool of 64 codes hashed once, as hashing one per license would take as long ' +
          'as the import does with plain codes); default: none',
      ],
      ['--out FILE', 'where to write (default data/generated-directory.json)'],
      ['--seed N', 'the random seed (default 1)'],
    ],
  },
  'bench:analytics': {
    usage: ['npm run bench:analytics -- FILE.json', 'node dist/scripts/bench-analytics.js FILE.json'],
    description:
      'Imports a directory file (e.g. from `npm run generate`) into fresh databases in a child process, reporting its time and peak RSS, ' +
      'then times every aggregation (licenseStats, priceStats) and the headline query through the gateway. SQLite files in a scratch ' +
      'folder, or PostgreSQL with DATABASE_URL (scratch schemas, dropped after).',
    arguments: [['FILE.json', 'the directory file to import']],
    configuration: { readers: ['bench'], database: 'postgresql' },
  },
  'migration:create': {
    usage: ['npm run migration:create -- [SUBGRAPH] [LABEL]', 'node dist/scripts/create-migration.js [SUBGRAPH] [LABEL]'],
    description:
      'Writes the next migration of a subgraph for both dialects (SQLite and PostgreSQL) from the difference between its ' +
      'entities and its migrated schema, under subgraphs/<name>/migrations/. The PostgreSQL half needs DATABASE_URL ' +
      '(it uses a scratch schema and drops it).',
    arguments: [
      ['SUBGRAPH', `one of ${SUBGRAPH_NAMES.join(', ')} (default: all)`],
      ['LABEL', 'a word for the file name (default "migration")'],
    ],
    configuration: { database: 'postgresql' },
  },
  client: {
    usage: ['npm run client -- LICENSE_KEY TOPIC', 'node dist/examples/client/ask.js LICENSE_KEY TOPIC'],
    description:
      'The typed client example (examples/client/ask.ts): asks the gateway at GATEWAY_URL whom to contact for a topic under a ' +
      'license, with the types graphql-codegen generated from schema/api.graphql, and prints the contacts, the escalation, who ' +
      'bills and why. ONYX_TOKEN must be a token that may see the license (npm start prints some).',
    arguments: [
      ['LICENSE_KEY', 'the license, e.g. OC3-DEMO-0001'],
      ['TOPIC', 'the topic id, e.g. server-installation'],
    ],
    configuration: { readers: ['client'] },
  },
  mcp: {
    usage: ['npm run --silent mcp', 'node dist/scripts/mcp.js'],
    description:
      "Serves the gateway's assistant tools (docs/mcp.md) over stdio for a desktop assistant, acting for ONYX_TOKEN (anonymous when unset): " +
      "every tools/list and tools/call is relayed to the gateway's POST /mcp beside GATEWAY_URL, which checks and runs it. Logs go to " +
      'stderr only; stdout carries the protocol. Runs until stdin closes.',
    configuration: { readers: ['client'] },
    stdoutIsProtocol: true,
  },
  gateway: {
    usage: ['node dist/gateway/index.js'],
    description:
      'Runs the gateway alone, as containers do: serves /graphql, /health, /ready (200 only when every subgraph answers) and /metrics ' +
      'on PORT until SIGINT/SIGTERM, in front of the subgraphs at PROVIDERS_URL, LICENSES_URL and SUPPORT_URL.',
    configuration: { gateway: true },
  },
  providers: subgraphCommand('providers', 'the manufacturer, distributors and support partners with their price lists'),
  licenses: subgraphCommand('licenses', 'license packages and their holders'),
  support: subgraphCommand('support', 'the support catalogue and the routing rules'),
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

/** The help text of a command: usage lines, what it does, its arguments and the environment it reads. */
export function helpText(command: Command): string {
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([name]) => name.length));
    return rows.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`);
  };
  const environment = configurationVariables(command.configuration ?? {});
  return [
    ...command.usage.map((line, i) => `${i === 0 ? 'usage:' : '      '} ${line}`),
    '',
    ...wrap(command.description, 100),
    ...(command.arguments ? ['', 'arguments:', ...table(command.arguments)] : []),
    '',
    'options:',
    ...table([['-h, --help', 'print this help and exit (starts nothing)']]),
    ...(environment.length ? ['', 'environment:', ...table(environment)] : []),
    '',
  ].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}
