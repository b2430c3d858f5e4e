import { gatewayPort } from '../lib/config';
import { listen, type RunningServer } from '../lib/http';
import { stopOnSignals } from '../lib/main';
import { createGatewayService } from './gateway';

// Runs the gateway alone (containers); `npm start` runs it together with the subgraphs.
let running: RunningServer | undefined;
stopOnSignals(() => (running ? [running] : []));
createGatewayService()
  .then((service) => listen(service, gatewayPort()))
  .then((server) => {
    running = server;
    console.log(`gateway ready at ${server.url}`);
  })
  .catch((error) => {
    console.error(`gateway failed to start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
