// `npm run test:slow`: the layer `npm test` leaves out, the pages in Chromium (test/web) and the load
// tests (test/load), with the rest of package.json's jest settings. A file of its own rather than
// `--testPathIgnorePatterns` on the command line: that option takes a list and swallowed the file
// named after it (`npm run test:slow -- test/web/portal.test.ts` ran every slow file but that one).
'use strict';
const { jest } = require('./package.json');

module.exports = {
  ...jest,
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/(?!web/|load/)'],
};
