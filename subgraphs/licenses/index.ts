import 'reflect-metadata';
import { commandLine } from '../../lib/command-line';
import { runSubgraph } from '../../lib/main';

// The environment first (--help, every bad variable at once), then the subgraph's code (import()),
// so that neither waits for the ORM and the schema to load.
const { settings } = commandLine('licenses', process.env);

// Runs the licenses subgraph alone (containers); `npm start` runs all services in one process.
void import('./subgraph').then(({ licensesSubgraph }) => runSubgraph(licensesSubgraph, settings));
