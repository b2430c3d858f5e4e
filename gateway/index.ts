import { commandLine } from '../lib/main';
import { gatewayPort } from '../lib/config';
import { listen } from '../lib/http';
import { runUntilSignalled } from '../lib/main';
import { createGatewayService } from './gateway';
import { subgraphSecret } from '../lib/subgraph-signature';

commandLine('gateway'); // --help, then the configuration check (lib/commands.ts)

// Runs the gateway alone (containers); `npm start` runs it together with the subgraphs.
runUntilSignalled('gateway', async () => {
  // Production refuses to start without SUBGRAPH_SECRET (gateway/settings.ts); elsewhere, say what it costs.
  if (!subgraphSecret())
    console.warn(
      'SUBGRAPH_SECRET is not set: the subgraphs believe no identity the gateway forwards, so every caller is served as anonymous (set the same SUBGRAPH_SECRET for the gateway and the subgraphs; npm start needs none)',
    );
  const server = await listen(await createGatewayService(), gatewayPort());
  console.log(`gateway ready at ${server.url}`);
  return server;
});
