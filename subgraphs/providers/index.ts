import 'reflect-metadata';
import { runSubgraphMain } from '../../lib/main';
import { providersSubgraph } from './subgraph';

// Runs the providers subgraph alone (containers); `npm start` runs all services in one process.
runSubgraphMain(providersSubgraph, process.env);
