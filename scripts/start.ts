/**
 * `npm start`: the three subgraphs and the gateway in one process, on SQLite files under DATA_DIR
 * (or PostgreSQL with DATABASE_URL). An empty directory gets the demo directory first.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { databaseSettings, DEMO_DIRECTORY, gatewayPort, subgraphPort, supergraphFile } from '../lib/config';
import { commandLine } from '../lib/command-line';
import { runUntilSignalled } from '../lib/main';
import type { SettingValues } from '../lib/settings';
import type { DevPerson } from '../app/dev-identity-provider';

/** What anyone may read without a token; licenses and supportContact need one (the tokens below). */
const EXAMPLE_QUERY = `{
  providers(country: "DE") { name roles email offers { title price { amount currency } } }
}`;

// The environment, parsed once by the settings table (--help first); everything below gets `settings`.
const { settings } = commandLine('start', process.env);

// The product is loaded only now (import()), so that --help and a bad variable answer without it.
runUntilSignalled('the support directory', settings, async () => {
  const [
    { importDirectory },
    { startStack },
    { Provider },
    { License },
    { jwtSecret },
    { demoAccessCodes, demoPeople, demoPeopleText, demoTokens, demoTokensText, showDemoTokens },
    { readSupergraph },
    { servesSupportDirectory },
    { subgraphEndpoints },
    { startDevIdentityProvider },
  ] = await Promise.all([
    import('../app/directory/import-directory'),
    import('../app/stack'),
    import('../subgraphs/providers/provider/provider.entity'),
    import('../subgraphs/licenses/license/license.entity'),
    import('../gateway/identity/identity'),
    import('../app/demo-tokens'),
    import('../gateway/gateway'),
    import('../gateway/product'),
    import('../gateway/http/readiness'),
    import('../app/dev-identity-provider'),
  ]);
  const database = databaseSettings(settings);
  // Production refuses to start without JWT_SECRET (naming it); elsewhere a secret is made for this run.
  let generated = false;
  const secret = jwtSecret(settings, () => (generated = true));
  // DEV_IDENTITY_PROVIDER=on: people sign in to /partner and /admin at a development OpenID
  // provider on loopback (app/dev-identity-provider.ts); the gateway is set up as for a real one.
  const people: DevPerson[] = [];
  const identityProvider = settings.DEV_IDENTITY_PROVIDER ? await startDevIdentityProviderFor(settings, people, startDevIdentityProvider) : undefined;
  const stack = await startStack({
    settings: identityProvider ? { ...settings, ...identityProvider.gatewaySettings } : settings,
    ports: {
      gateway: gatewayPort(settings),
      providers: subgraphPort('providers', settings),
      licenses: subgraphPort('licenses', settings),
      support: subgraphPort('support', settings),
    },
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
  console.log(
    `subgraphs: ${Object.entries(stack.subgraphs)
      .map(([n, s]) => `${n} ${s.url}`)
      .join(', ')}; data: ${where}`,
  );
  // The tokens first, the ready line last: it is what scripts and tests wait for. Working tokens
  // (and the demo licenses' access codes) go to a terminal only, never into a log collector
  // (app/demo-tokens.ts). Tokens for this product's roles mean nothing to a gateway serving
  // another supergraph (SUPERGRAPH_FILE).
  const ours = servesSupportDirectory(subgraphEndpoints(readSupergraph(supergraphFile(settings)), {}));
  if (!ours) console.warn('demo tokens: off, the supergraph has no providers subgraph');
  if (ours && settings.NODE_ENV !== 'production') {
    let text = demoTokensText(await demoTokens(stack.orms.licenses, secret), { gatewayUrl: stack.gateway.url, secret, generated });
    // A practice signs in with its license papers instead (docs/sign-in.md): the demo licenses' codes.
    const codes = await demoAccessCodes(stack.orms.licenses, JSON.parse(fs.readFileSync(DEMO_DIRECTORY, 'utf8')));
    if (codes.length) {
      text += `\n\nAccess codes of demo licenses (sign in on the page, or signIn gives a holder token):\n${codes.map((c) => `  ${c.licenseKey}  ${c.accessCode}`).join('\n')}`;
      text += `\ncurl -s ${stack.gateway.url} -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ query: `mutation { signIn(licenseKey: "${codes[0].licenseKey}", accessCode: "${codes[0].accessCode}") { token expiresAt } }` })}'`;
    }
    if (identityProvider) {
      people.push(...(await demoPeople(stack.orms.licenses)));
      text += `\n\n${demoPeopleText(people, { issuer: identityProvider.issuer, pagesOrigin: new URL(stack.gateway.url).origin })}`;
    }
    console.log(showDemoTokens(text, { toTerminal: process.stdout.isTTY === true, dataDir: database.dataDir }));
  }
  console.log(
    `\ngateway ready at ${stack.gateway.url}\nIn a browser: ${new URL(stack.gateway.url).origin}/ (support finder), ${new URL(stack.gateway.url).origin}/partner (partner portal), ${new URL(stack.gateway.url).origin}/admin (network dashboard), ${stack.gateway.url} (GraphiQL, unless GRAPHIQL=off)\n\nTry (anonymous: the public directory):\ncurl -s ${stack.gateway.url} -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'`,
  );
  if (!identityProvider) return stack;
  return { close: () => stack.close().finally(() => identityProvider.close()) };
});

/**
 * The development identity provider for the gateway on PORT: the pages' URLs as its client's
 * redirect URIs (127.0.0.1 and localhost), JWT_AUDIENCE (default: the gateway's /graphql URL) as the
 * audience of its tokens. Refused beside a real identity provider's settings.
 */
async function startDevIdentityProviderFor(
  settings: SettingValues,
  people: DevPerson[],
  start: typeof import('../app/dev-identity-provider').startDevIdentityProvider,
) {
  if (settings.OIDC_ISSUER || settings.JWKS_URL) throw new Error('DEV_IDENTITY_PROVIDER=on runs its own issuer: unset OIDC_ISSUER and JWKS_URL');
  const port = gatewayPort(settings);
  if (port === 0) throw new Error("DEV_IDENTITY_PROVIDER=on needs a fixed PORT: the pages' URLs are registered with it");
  const origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const audience = settings.JWT_AUDIENCE ?? `${origins[0]}/graphql`;
  const clientId = 'onyx-pages';
  const running = await start({
    port: settings.DEV_IDENTITY_PROVIDER_PORT ?? 4004,
    clientId,
    pageUrls: origins.flatMap((origin) => [`${origin}/partner`, `${origin}/admin`]),
    audience,
    people,
    nodeEnv: settings.NODE_ENV,
  });
  console.log(`development identity provider: ${running.issuer} (client ${clientId}, tokens for ${audience})`);
  return { ...running, gatewaySettings: { OIDC_ISSUER: running.issuer, OIDC_CLIENT_ID: clientId, JWT_AUDIENCE: audience } };
}
