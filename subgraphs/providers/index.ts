import 'reflect-metadata';
import { commandLine } from '../../lib/command-line';
import { runSubgraph } from '../../lib/main';

// The environment first (--help, every bad variable at once); the subgraph's code is loaded after it.
const { settings } = commandLine('providers', process.env);

// Runs the providers subgraph alone (containers); `npm start` runs all services in one process.
runSubgraph('providers', settings, async () => (await import('./subgraph')).providersSubgraph);
