import { commandLine } from '../lib/command-line';
import { gatewayPort } from '../lib/config';
import { runUntilSignalled } from '../lib/main';
import { writeLogsInBackground } from '../lib/log';
import { keepRequestObjectsYoung } from '../lib/v8-tuning';

// Before the engine allocates anything: see lib/v8-tuning.ts.
keepRequestObjectsYoung();

// The environment, parsed once by the settings table (--help first); everything below gets `settings`.
const { settings } = commandLine('gateway', process.env);
// One access line per request: written from a buffer, not one system call each (lib/log.ts).
writeLogsInBackground();

// Runs the gateway alone (containers); `npm start` runs it together with the subgraphs. The engine
// is loaded only now (import()), so that --help and a bad variable answer without waiting for it.
runUntilSignalled('gateway', settings, async () => {
  const [{ listen, listenHost }, { createGatewayService }] = await Promise.all([import('../lib/http'), import('./gateway')]);
  // Production refuses to start without SUBGRAPH_SECRET (gateway/settings.ts); elsewhere, say what it costs.
  if (!settings.SUBGRAPH_SECRET)
    console.warn(
      'SUBGRAPH_SECRET is not set: the subgraphs believe no identity the gateway forwards, so every caller is served as anonymous (set the same SUBGRAPH_SECRET for the gateway and the subgraphs; npm start needs none)',
    );
  const server = await listen(await createGatewayService({ environment: settings }), gatewayPort(settings), listenHost(settings));
  console.log(`gateway ready at ${server.url}`);
  return server;
});
