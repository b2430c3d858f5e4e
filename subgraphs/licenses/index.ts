import 'reflect-metadata';
import { runSubgraphMain } from '../../lib/main';
import { licensesSubgraph } from './subgraph';

// Runs the licenses subgraph alone (containers); `npm start` runs all services in one process.
runSubgraphMain(licensesSubgraph, process.env);
