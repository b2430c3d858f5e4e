/**
 * How the pages /partner and /admin sign people in (docs/portal.md "Signing in"), answered at
 * GET /sign-in-settings.json: with OIDC_ISSUER, at that OpenID Connect provider as the public client
 * OIDC_CLIENT_ID, asking for tokens for JWT_AUDIENCE (the `resource`, or as OIDC_AUDIENCE_PARAMETER
 * says for providers that read another parameter) with OIDC_SCOPE's further scopes; whether a pasted token or API
 * key is still offered (always without OIDC_ISSUER; with it only when OIDC_PASTED_CREDENTIALS=on).
 *
 * An answer of its own rather than values written into the built HTML: the pages are static files
 * with hashed assets (gateway/http/web-page.ts), the same for every deployment, and need no inline script.
 * Nothing in it is secret: a public client has no secret, and the issuer is where the browser goes.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { OidcClientSettings } from '../settings';

export const SIGN_IN_SETTINGS_PATH = '/sign-in-settings.json';

export interface PageSignInSettings {
  /** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_SCOPE, OIDC_AUDIENCE_PARAMETER; undefined: no identity provider to sign in at. */
  oidc?: OidcClientSettings;
  /** JWT_AUDIENCE: the resource the pages ask tokens for. */
  audience?: string;
  /** OIDC_PASTED_CREDENTIALS. */
  pastedCredentials: boolean;
}

/** What the pages read: the shape web/common/sign-in.ts expects. */
export interface SignInSettingsAnswer {
  oidc: {
    issuer: string;
    clientId: string;
    /** JWT_AUDIENCE. */
    resource: string;
    /** Every scope to ask for. */
    scope: string;
    /** The request parameter that carries `resource`; none: the scope names the API. */
    audienceParameter: 'resource' | 'audience' | 'none';
  } | null;
  pastedCredentials: boolean;
}

/** The scopes every sign-in asks for: an OpenID Connect sign-in, the person's name, and a refresh token. */
const PAGE_SCOPES = 'openid profile offline_access';

export function signInSettingsAnswer(settings: PageSignInSettings): SignInSettingsAnswer {
  const { oidc: client, audience } = settings;
  const oidc =
    client && audience
      ? {
          issuer: client.issuer,
          clientId: client.clientId,
          resource: audience,
          scope: client.scope ? `${PAGE_SCOPES} ${client.scope}` : PAGE_SCOPES,
          audienceParameter: client.audienceParameter ?? 'resource',
        }
      : null;
  return { oidc, pastedCredentials: oidc === null || settings.pastedCredentials };
}

/**
 * The origins the pages' scripts talk to besides the gateway: the identity provider's discovery
 * document, token and end-session endpoints are under OIDC_ISSUER's origin (as at Keycloak, Entra
 * ID, Auth0 and Okta). The Content-Security-Policy's `connect-src` must allow them.
 */
export function identityProviderOrigins(settings: Pick<PageSignInSettings, 'oidc'>): string[] {
  return settings.oidc ? [new URL(settings.oidc.issuer).origin] : [];
}

export function usePageSignIn(settings: PageSignInSettings): GatewayPlugin {
  const body = JSON.stringify(signInSettingsAnswer(settings));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== SIGN_IN_SETTINGS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            // Read again on every page load: a changed setting applies without a stale copy.
            'cache-control': 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        }),
      );
    },
  };
}
