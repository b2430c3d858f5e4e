/**
 * `npm run test:replicas`: the multi-replica suite alone (test/replicas), which `npm test` leaves out
 * (package.json testPathIgnorePatterns): it needs HAProxy, redis-server and PostgreSQL's server
 * binaries, and starts a dozen processes. The rest is package.json's jest configuration.
 */
const path = require('node:path');
const base = require('../../package.json').jest;
const root = path.resolve(__dirname, '../..');

module.exports = {
  ...base,
  rootDir: root,
  roots: ['<rootDir>/test/replicas'],
  testPathIgnorePatterns: ['/node_modules/'],
  // One cluster of processes at a time: the tests stop and restart its parts in order.
  maxWorkers: 1,
  // Generous: on a machine shared with other work, starting a replica alone can take tens of seconds.
  testTimeout: 600_000,
};
