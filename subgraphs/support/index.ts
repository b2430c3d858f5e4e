import 'reflect-metadata';
import { runSubgraphMain } from '../../lib/main';
import { supportSubgraph } from './subgraph';

// Runs the support subgraph alone (containers); `npm start` runs all services in one process.
runSubgraphMain(supportSubgraph, process.env);
