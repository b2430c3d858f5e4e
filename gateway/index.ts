import { commandLine } from '../lib/main';
import { gatewayPort } from '../lib/config';
import { listen } from '../lib/http';
import { runUntilSignalled } from '../lib/main';
import { createGatewayService } from './gateway';

commandLine('gateway'); // --help, then the configuration check (lib/commands.ts)

// Runs the gateway alone (containers); `npm start` runs it together with the subgraphs.
runUntilSignalled('gateway', async () => {
  const server = await listen(await createGatewayService(), gatewayPort());
  console.log(`gateway ready at ${server.url}`);
  return server;
});
