/**
 * How a person signs in to /partner and /admin (docs/portal.md "Signing in"). The gateway says how
 * at GET /sign-in-settings.json (gateway/identity/page-sign-in.ts):
 *
 * - with an OpenID Connect provider (OIDC_ISSUER): Authorization Code with PKCE from the page itself,
 *   a public client (no secret in the browser), through oauth4webapi (bundled by Vite, nothing
 *   loaded from elsewhere). The page asks for an access token for the API's audience (`resource`,
 *   or the parameter the gateway names for providers that read another),
 *   keeps the tokens in sessionStorage (this tab only, gone when it closes), renews the access token
 *   with the refresh token before it expires, and "Sign out" forgets them and ends the provider's
 *   session through its end_session_endpoint when it names one;
 * - a pasted API key or token, as before: without OIDC_ISSUER, or beside it with OIDC_PASTED_CREDENTIALS=on.
 *
 * Every word the pages show about signing in is in the shared catalogue (web/common/words.ts), in
 * the page's language.
 */
import * as oauth from 'oauth4webapi';
import { say, type Credentials, type Session } from './api';
import { shared } from './words';

export interface SignInSettings {
  oidc: { issuer: string; clientId: string; resource: string; scope: string; audienceParameter: 'resource' | 'audience' | 'none' } | null;
  pastedCredentials: boolean;
}

/** What the gateway says; an older gateway without the answer: pasted credentials, as before. */
export async function readSignInSettings(): Promise<SignInSettings | null> {
  try {
    const response = await fetch('/sign-in-settings.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as SignInSettings;
    return { oidc: body.oidc ?? null, pastedCredentials: body.pastedCredentials !== false };
  } catch {
    return null;
  }
}

/** The tokens of a signed-in tab, as sessionStorage keeps them. */
interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  /** Whom the ID token names, for the page's "Signed in as". */
  name?: string;
}

/** A sign-in begun on this tab and not yet completed: what the redirect back is checked against. */
interface Pending {
  state: string;
  codeVerifier: string;
}

/** The provider's answer made readable for a person. */
const reasonOf = (error: unknown) => {
  if (error instanceof oauth.AuthorizationResponseError) return error.error_description ?? error.error;
  if (error instanceof oauth.ResponseBodyError) return error.error_description ?? error.error;
  if (error instanceof TypeError) return shared().providerUnreachable;
  return error instanceof Error ? error.message : String(error);
};

/** Renewed this long before the access token expires (at most a fifth of its life). */
const RENEW_AHEAD_MS = 60_000;

/**
 * One page's sign-in at the identity provider. `pagePath` ("/partner", "/admin") with the page's
 * origin is the redirect URI registered at the provider.
 */
export class ProviderSignIn {
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly client: oauth.Client;
  private readonly redirectUri: string;
  private readonly options: { [oauth.allowInsecureRequests]?: boolean };
  private renewal: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly settings: NonNullable<SignInSettings['oidc']>,
    private readonly storageKey: string,
    pagePath: string,
  ) {
    this.client = { client_id: settings.clientId };
    this.redirectUri = `${location.origin}${pagePath}`;
    // http:// only for a development provider on loopback (the gateway accepts no other).
    const issuer = new URL(settings.issuer);
    this.options = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
  }

  /**
   * The parameter naming the API's audience in every authorization, code and refresh request:
   * `resource` (RFC 8707), Auth0's `audience`, or none where the provider refuses both (Entra ID v2,
   * whose scope names the API).
   */
  private get audience(): Record<string, string> {
    const { audienceParameter, resource } = this.settings;
    return audienceParameter === 'none' ? {} : { [audienceParameter ?? 'resource']: resource };
  }

  /** The provider's discovery document, read once per page load. */
  private authorizationServer(): Promise<oauth.AuthorizationServer> {
    this.server ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...this.options });
      return oauth.processDiscoveryResponse(issuer, response);
    })().catch((error: unknown) => {
      this.server = undefined;
      throw error;
    });
    return this.server;
  }

  private read<T>(key: string): T | null {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null;
    } catch {
      return null;
    }
  }
  private get tokens(): Tokens | null {
    const tokens = this.read<Tokens>(`${this.storageKey}.tokens`);
    return tokens && typeof tokens.accessToken === 'string' && typeof tokens.expiresAt === 'number' ? tokens : null;
  }
  private set tokens(tokens: Tokens | null) {
    if (tokens) sessionStorage.setItem(`${this.storageKey}.tokens`, JSON.stringify(tokens));
    else sessionStorage.removeItem(`${this.storageKey}.tokens`);
  }

  /** The person's name as the provider gave it, for "Signed in as". */
  get personName(): string | undefined {
    return this.tokens?.name;
  }

  /** Goes to the provider's sign-in; comes back to this page. `anotherAccount`: the provider asks for a login even with a session. */
  async begin(anotherAccount = false): Promise<void> {
    const server = await this.authorizationServer();
    if (!server.authorization_endpoint) throw new Error(shared().noAuthorizationEndpoint);
    const pending: Pending = { state: oauth.generateRandomState(), codeVerifier: oauth.generateRandomCodeVerifier() };
    sessionStorage.setItem(`${this.storageKey}.pending`, JSON.stringify(pending));
    const url = new URL(server.authorization_endpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', this.settings.scope);
    for (const [name, value] of Object.entries(this.audience)) url.searchParams.set(name, value);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', pending.state);
    if (anotherAccount) url.searchParams.set('prompt', 'login');
    location.assign(url.href);
  }

  /** Whether this page load is the provider's redirect back (with a code or an error for a sign-in begun here). */
  get returning(): boolean {
    const params = new URLSearchParams(location.search);
    return params.has('state') && (params.has('code') || params.has('error')) && sessionStorage.getItem(`${this.storageKey}.pending`) !== null;
  }

  /**
   * The redirect back: the state checked, the code exchanged (with the PKCE verifier, for the
   * audience), the tokens kept, and the code removed from the address bar. Throws the provider's reason.
   */
  async complete(): Promise<Credentials> {
    const pending = this.read<Pending>(`${this.storageKey}.pending`);
    sessionStorage.removeItem(`${this.storageKey}.pending`);
    const current = new URL(location.href);
    // The code must not stay in the history or be sent again on a reload.
    history.replaceState(null, '', `${current.pathname}${current.hash}`);
    if (!pending) throw new Error(shared().noSignInBegun);
    const server = await this.authorizationServer();
    const params = oauth.validateAuthResponse(server, this.client, current.searchParams, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(server, this.client, oauth.None(), params, this.redirectUri, pending.codeVerifier, {
      additionalParameters: this.audience,
      ...this.options,
    });
    const result = await oauth.processAuthorizationCodeResponse(server, this.client, response);
    const claims = oauth.getValidatedIdTokenClaims(result);
    const name = [claims?.name, claims?.preferred_username, claims?.email, claims?.sub].find((v): v is string => typeof v === 'string' && v !== '');
    this.keep(result, { name });
    return this.credentials()!;
  }

  private keep(result: oauth.TokenEndpointResponse, earlier: Partial<Tokens> = {}) {
    this.tokens = {
      accessToken: result.access_token,
      // A provider that rotates refresh tokens sends a new one; one that does not keeps the old.
      refreshToken: result.refresh_token ?? earlier.refreshToken,
      idToken: result.id_token ?? earlier.idToken,
      expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
      name: earlier.name,
    };
  }

  /** The access token as the API's credentials; null when there is none or it has expired. */
  credentials(): Credentials | null {
    const tokens = this.tokens;
    return tokens && tokens.expiresAt > Date.now() ? { kind: 'bearer', value: tokens.accessToken } : null;
  }

  /** Whether a renewal can bring the tab back (a reload after the access token expired). */
  get renewable(): boolean {
    return Boolean(this.tokens?.refreshToken);
  }

  /** A new access token with the refresh token, for the same audience. */
  async renew(): Promise<Credentials> {
    const tokens = this.tokens;
    if (!tokens?.refreshToken) throw new Error(shared().sessionEnded);
    const server = await this.authorizationServer();
    const response = await oauth.refreshTokenGrantRequest(server, this.client, oauth.None(), tokens.refreshToken, {
      additionalParameters: this.audience,
      ...this.options,
    });
    this.keep(await oauth.processRefreshTokenResponse(server, this.client, response), tokens);
    return this.credentials()!;
  }

  /**
   * Keeps the access token fresh: renewed before it expires, again and again; `onRenewed` gets each
   * new one. Without a refresh token, or when the provider refuses (the session ended there),
   * `onEnded` is told and the tokens are forgotten.
   */
  keepFresh(onRenewed: (credentials: Credentials) => void, onEnded: (message: string) => void) {
    clearTimeout(this.renewal);
    const tokens = this.tokens;
    if (!tokens) return;
    const lifetime = Math.max(0, tokens.expiresAt - Date.now());
    if (!tokens.refreshToken) {
      this.renewal = setTimeout(() => {
        this.tokens = null;
        onEnded(shared().sessionEnded);
      }, lifetime);
      return;
    }
    const ahead = Math.min(RENEW_AHEAD_MS, lifetime / 5);
    this.renewal = setTimeout(() => {
      this.renew().then(
        (credentials) => {
          onRenewed(credentials);
          this.keepFresh(onRenewed, onEnded);
        },
        () => {
          this.tokens = null;
          onEnded(shared().sessionEnded);
        },
      );
    }, lifetime - ahead);
  }

  /** Forgets the tokens and ends the provider's session where it offers that (back to this page after). */
  async signOut(): Promise<void> {
    clearTimeout(this.renewal);
    const tokens = this.tokens;
    this.tokens = null;
    sessionStorage.removeItem(`${this.storageKey}.pending`);
    let endSession: string | undefined;
    try {
      endSession = (await this.authorizationServer()).end_session_endpoint;
    } catch {
      endSession = undefined; // the provider is unreachable: the tokens are forgotten all the same
    }
    if (!endSession) return location.assign(this.redirectUri);
    const url = new URL(endSession);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.redirectUri);
    if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
    location.assign(url.href);
  }

  /** Forgets the tokens only (a person the page refuses); the provider's session stays. */
  forget() {
    clearTimeout(this.renewal);
    this.tokens = null;
  }
}

export interface PageSignInOptions {
  /** sessionStorage keys start with it ("onyx.partner"). */
  storageKey: string;
  /** The page's path, its redirect URI's ("/partner"). */
  pagePath: string;
  /** A pasted key or token kept for the tab. */
  pasted: Session;
  /**
   * The page's own sign-in with these credentials: whether it accepted them (it shows why not in
   * #sign-in-status). `remember`: keep them as the pasted credential; `person`: the provider's name for them.
   */
  signIn(credentials: Credentials, how: { remember: boolean; person?: string }): Promise<boolean>;
  /** A renewed access token, to use from now on. */
  renewed(credentials: Credentials): void;
}

export interface PageSignIn {
  /** "Sign out": forgets every credential of the tab, and ends the provider's session where it can. */
  signOut(): Promise<void>;
}

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The sign-in of /partner or /admin, in the page's elements: #sign-in-card (shown while signed
 * out), #oidc with its button #oidc-sign-in (with an identity provider), #sign-in (the pasted key or
 * token form), #sign-in-status. Picks up a redirect back from the provider, or the tab's kept tokens,
 * or its kept pasted credential, in that order.
 */
export async function startPageSignIn(options: PageSignInOptions): Promise<PageSignIn> {
  const status = element('sign-in-status');
  const settings = await readSignInSettings();
  const provider = settings?.oidc ? new ProviderSignIn(settings.oidc, `${options.storageKey}.oidc`, options.pagePath) : undefined;
  const pastedAllowed = settings?.pastedCredentials ?? true;
  element('oidc').hidden = !provider;
  element('sign-in').hidden = !pastedAllowed;
  if (!settings) say(status, shared().settingsUnreadable, 'error');

  /** After a person the page refused, the provider is asked for a login, not its session's person again. */
  let anotherAccount = false;
  const signedInWithProvider = async (credentials: Credentials) => {
    const accepted = await options.signIn(credentials, { remember: false, person: provider!.personName });
    if (!accepted) {
      provider!.forget();
      anotherAccount = true;
      return;
    }
    provider!.keepFresh(options.renewed, (message) => {
      // The session ended at the provider (or there is no refresh token): back to "Sign in".
      element('sign-in-card').hidden = false;
      for (const view of document.querySelectorAll<HTMLElement>('[data-signed-in]')) view.hidden = true;
      say(status, message, 'error');
    });
  };

  element('oidc-sign-in').addEventListener('click', () => {
    say(status, shared().signingIn);
    provider?.begin(anotherAccount).catch((error: unknown) => say(status, shared().signInFailed(reasonOf(error)), 'error'));
  });

  if (provider?.returning) {
    say(status, shared().returning);
    try {
      await signedInWithProvider(await provider.complete());
    } catch (error) {
      say(status, shared().signInFailed(reasonOf(error)), 'error');
    }
  } else if (provider && (provider.credentials() || provider.renewable)) {
    // A reload: the tab's tokens, renewed first when the access token expired meanwhile.
    const credentials = provider.credentials() ?? (await provider.renew().catch(() => null));
    if (credentials) await signedInWithProvider(credentials);
    else {
      provider.forget();
      say(status, shared().sessionEnded, 'error');
    }
  } else if (pastedAllowed) {
    const saved = options.pasted.get();
    if (saved) await options.signIn(saved, { remember: true });
  }

  return {
    async signOut() {
      options.pasted.clear();
      if (provider && (provider.credentials() || provider.renewable)) await provider.signOut();
      else location.reload();
    },
  };
}
