/**
 * `npm start`: the three subgraphs and the gateway in one process, on SQLite files under DATA_DIR
 * (or PostgreSQL with DATABASE_URL). An empty directory gets the demo directory first.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { databaseSettings, DEMO_DIRECTORY, gatewayPort, subgraphPort } from '../lib/config';
import { importDirectory } from '../lib/directory/import-directory';
import { commandLine, runUntilSignalled } from '../lib/main';
import { startStack } from '../lib/stack';
import { Provider } from '../subgraphs/providers/provider/provider.entity';
import { License } from '../subgraphs/licenses/license/license.entity';
import { jwtSecret } from '../gateway/identity';
import { demoTokens, demoTokensText, showDemoTokens } from '../gateway/demo-tokens';

/** What anyone may read without a token; licenses and supportContact need one (the tokens below). */
const EXAMPLE_QUERY = `{
  providers(country: "DE") { name roles email offers { title price { amount currency } } }
}`;

commandLine('start');

runUntilSignalled('the support directory', async () => {
  const database = databaseSettings();
  // Production refuses to start without JWT_SECRET (naming it); elsewhere a secret is made for this run.
  let generated = false;
  const secret = jwtSecret(process.env, () => (generated = true));
  const stack = await startStack({
    ports: { gateway: gatewayPort(), providers: subgraphPort('providers'), licenses: subgraphPort('licenses'), support: subgraphPort('support') },
    database: () => ({ database }),
    beforeServe: async (orms) => {
      const empty = (await orms.providers.em.fork().count(Provider)) === 0 && (await orms.licenses.em.fork().count(License)) === 0;
      if (!empty) return;
      const result = await importDirectory(JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8')), orms);
      if (!result.ok) throw new Error(`the demo directory is invalid: ${JSON.stringify(result.problems)}`);
      console.log(`empty directory: loaded the demo (${result.providers} providers, ${result.licenses} licenses)`);
    },
    gateway: { jwtSecret: secret },
  });
  const where = database.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite files in ${database.dataDir}`;
  console.log(`subgraphs: ${Object.entries(stack.subgraphs).map(([n, s]) => `${n} ${s.url}`).join(', ')}; data: ${where}`);
  // The tokens first, the ready line last: it is what scripts and tests wait for. Working tokens go
  // to a terminal only, never into a log collector (gateway/demo-tokens.ts).
  if (process.env.NODE_ENV !== 'production') {
    const text = demoTokensText(await demoTokens(stack.orms.licenses, secret), { gatewayUrl: stack.gateway.url, secret, generated });
    console.log(showDemoTokens(text, { toTerminal: process.stdout.isTTY === true, dataDir: database.dataDir }));
  }
  console.log(`\ngateway ready at ${stack.gateway.url}\nIn a browser: ${new URL(stack.gateway.url).origin}/ (support finder), ${stack.gateway.url} (GraphiQL, unless GRAPHIQL=off)\n\nTry (anonymous: the public directory):\ncurl -s ${stack.gateway.url} -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'`);
  return stack;
});
