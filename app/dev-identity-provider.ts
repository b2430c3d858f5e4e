/**
 * A development identity provider: the certified `oidc-provider` package on loopback, so that the
 * pages' sign-in (docs/portal.md "Signing in") can be tried, and is tested, without an identity
 * provider of one's own. `npm start` runs it with DEV_IDENTITY_PROVIDER=on (never with
 * NODE_ENV=production: the settings table refuses it, and so does startDevIdentityProvider), the
 * browser tests start their own.
 *
 * What it does, as a real provider registered per docs/portal.md would:
 * - one public client (no secret), the pages' URLs as its redirect and post-logout redirect URIs,
 *   Authorization Code with PKCE (S256) only;
 * - access tokens for one audience (resourceIndicators, `resource` = JWT_AUDIENCE) as JWTs signed
 *   RS256 with a key made for this run, carrying `role`, `provider`, `name` and `preferred_username`
 *   (extraTokenClaims), refresh tokens (rotated: a public client's);
 * - a login form of its own (username and password, checked), and its own sign-out confirmation and
 *   error pages: oidc-provider's built-in ones load a web font from the internet, and its
 *   devInteractions accept any password;
 * - the pages are a first-party client: their grant is given without a consent screen.
 *
 * A development tool, not product code: everything lives in memory and ends with the process.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { importEsm } from '../lib/esm-import';

/** One person who can sign in, with the claims their access tokens carry. */
export interface DevPerson {
  /** Who this is, for people: "admin", "staff of nordkiefer-demo". */
  label: string;
  username: string;
  password: string;
  claims: { sub: string; name: string; role: 'admin' | 'provider'; provider?: string };
}

export interface DevIdentityProviderOptions {
  clientId: string;
  /** The pages' own URLs (…/partner, …/admin): the redirect and post-logout redirect URIs. */
  pageUrls: string[];
  /** JWT_AUDIENCE: the only resource tokens are issued for. */
  audience: string;
  /** Read at every sign-in: `npm start` fills it once the directory is loaded (the people act for its partners). */
  people: readonly DevPerson[];
  /** Lifetime of an access token (default 10 minutes; tests shorten it to see it renewed). */
  accessTokenSeconds?: number;
  /** NODE_ENV: 'production' is refused. */
  nodeEnv?: string;
}

export interface RunningDevIdentityProvider {
  /** The issuer: OIDC_ISSUER for the gateway. */
  issuer: string;
  close(): Promise<void>;
}

/**
 * Listening, its issuer known, not yet serving (503): the gateway needs the issuer before it starts,
 * the provider the pages' URLs, which a gateway on port 0 knows only once it listens.
 */
export interface OpenDevIdentityProvider extends RunningDevIdentityProvider {
  serve(options: DevIdentityProviderOptions): Promise<void>;
}

/** oidc-provider ships no types; the little of its API used here. */
interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: { InvalidTarget: new (description?: string) => Error };
}
interface OidcProvider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionFinished(req: http.IncomingMessage, res: http.ServerResponse, result: Record<string, unknown>, options?: Record<string, unknown>): Promise<void>;
  Grant: new (properties: { clientId: string; accountId: string }) => Grant;
}
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface ProviderContext {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: { Grant: { find(id: string): Promise<Grant | undefined> } & (new (properties: { clientId: string; accountId: string }) => Grant) };
  };
  host: string;
  type: string;
  body: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** The scope of the directory API at the resource server; a token for the audience carries it. */
const API_SCOPE = 'directory';
const OIDC_SCOPES = 'openid profile offline_access';

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One small page of the provider's own: no script, nothing loaded from elsewhere. */
const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box;margin:.3rem 0}input,button{padding:.5rem;font-size:1rem}.error{color:#a00}.hint{color:#555;font-size:.9rem}</style>
</head><body><main><h1>${html(title)}</h1>${body}</main></body></html>`;

/** The provider's own error page: what went wrong, in the protocol's words. */
async function renderError(ctx: ProviderContext, out: Record<string, string>) {
  ctx.type = 'html';
  ctx.body = page(
    'Sign-in failed',
    Object.entries(out)
      .map(([key, value]) => `<p><strong>${html(key)}</strong>: ${html(String(value))}</p>`)
      .join(''),
  );
}

async function logoutSource(ctx: ProviderContext, form: string) {
  ctx.body = page(
    'Sign out',
    `<p>Sign out of the development identity provider at ${html(ctx.host)}?</p>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx: ProviderContext) {
  ctx.body = page('Signed out', '<p>You are signed out of the development identity provider.</p>');
}

const loginForm = (uid: string, error?: string, username = '') =>
  page(
    'Sign in',
    `<p class="hint">Development identity provider of the OnyxCeph³ support directory: the demo users and their passwords are printed by <code>npm start</code>.</p>
${error ? `<p class="error" role="alert">${html(error)}</p>` : ''}
<form method="post" action="/interaction/${html(uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" value="${html(username)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${html(uid)}/abort"><button type="submit">Cancel</button></form>`,
  );

const sameText = (a: string, b: string) => {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
};

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

/** `port` 0: any free port (tests). Loopback only (127.0.0.1 by default); refused with NODE_ENV=production. */
export async function openDevIdentityProvider(where: { port: number; host?: string; nodeEnv?: string }): Promise<OpenDevIdentityProvider> {
  if (where.nodeEnv === 'production') throw new Error('the development identity provider is refused with NODE_ENV=production');
  const host = where.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the development identity provider listens on loopback only, not on ${host}`);
  let handle: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  const server = http.createServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    issuer,
    serve: async (options) => {
      if (options.nodeEnv === 'production') throw new Error('the development identity provider is refused with NODE_ENV=production');
      handle = await identityProviderHandler(issuer, options);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Listening and serving: npm start's. */
export async function startDevIdentityProvider(options: DevIdentityProviderOptions & { port: number; host?: string }): Promise<RunningDevIdentityProvider> {
  const open = await openDevIdentityProvider(options);
  try {
    await open.serve(options);
  } catch (error) {
    await open.close();
    throw error;
  }
  return { issuer: open.issuer, close: open.close };
}

/** oidc-provider for `issuer`, with the login form in front of it. */
async function identityProviderHandler(issuer: string, options: DevIdentityProviderOptions) {
  const { default: Provider, errors } = await importEsm<OidcProviderModule>('oidc-provider');

  const personWith = (sub: string) => options.people.find((person) => person.claims.sub === sub);
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' };
  const accessTokenSeconds = options.accessTokenSeconds ?? 600;
  const pageOrigins = new Set(options.pageUrls.map((url) => new URL(url).origin));

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_name: 'OnyxCeph³ partner portal and network dashboard',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.pageUrls,
        post_logout_redirect_uris: options.pageUrls,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'offline_access', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    // The ID token names the person (the pages' "Signed in as"), as Keycloak's, Entra ID's, Auth0's and Okta's do.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== options.audience) throw new errors.InvalidTarget(`this provider issues tokens for ${options.audience} only`);
          return {
            scope: API_SCOPE,
            audience: options.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: (_ctx: unknown, sub: string) => {
      const person = personWith(sub);
      return person && { accountId: sub, claims: () => ({ sub, name: person.claims.name, preferred_username: person.username }) };
    },
    // The claims the gateway reads (lib/identity.ts), in every access token.
    extraTokenClaims: (_ctx: unknown, token: { kind: string; accountId?: string }) => {
      const person = token.kind === 'AccessToken' && token.accountId ? personWith(token.accountId) : undefined;
      return person && { ...person.claims, preferred_username: person.username };
    },
    // Refresh tokens for the pages (renewal before expiry) without asking for consent to offline access.
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    // A first-party client: its grant is given, never asked for (oidc-provider's documented recipe).
    loadExistingGrant: async (ctx: ProviderContext) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(OIDC_SCOPES);
      grant.addOIDCClaims(['name', 'preferred_username']);
      grant.addResourceScope(options.audience, API_SCOPE);
      await grant.save();
      return grant;
    },
    // The pages call the token endpoint from their own origin.
    clientBasedCORS: (_ctx: unknown, origin: string) => pageOrigins.has(origin),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError,
    ttl: {
      AccessToken: accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 8 * 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  });
  const protocol = provider.callback();

  /** The login form (GET), its answer (POST …/login) and its cancel button (POST …/abort). */
  const interaction = async (req: http.IncomingMessage, res: http.ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('this sign-in has expired; start again from the page');
    if (req.method === 'GET' && !action) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginForm(uid));
      return;
    }
    if (req.method === 'POST' && action === 'abort') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await formBody(req);
      const username = form.get('username')?.trim() ?? '';
      const person = options.people.find((p) => p.username === username);
      // Both compared whatever the username, so that a wrong username takes as long as a wrong password.
      const passwordRight = sameText(form.get('password') ?? '', person?.password ?? crypto.randomUUID());
      if (!person || !passwordRight) {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(loginForm(uid, 'Unknown username or wrong password.', username));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: person.claims.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(405).end();
  };

  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return protocol(req, res);
    interaction(req, res, match[1], match[2]).catch((error: unknown) => {
      if (res.headersSent) return res.end();
      res
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(page('Sign-in failed', `<p>${html(error instanceof Error ? error.message : String(error))}</p>`));
    });
  };
}

/** A password for a demo person, made for this run. */
export const demoPassword = () => crypto.randomBytes(9).toString('base64url');
