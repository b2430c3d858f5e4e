/**
 * The keys of OIDC_ISSUER's tokens, from the issuer's discovery document (OpenID Connect Discovery
 * 1.0), for a gateway without JWKS_URL. oauth4webapi reads and checks the document (its `issuer`
 * must be exactly OIDC_ISSUER, so a document served for another issuer is never believed); its
 * `jwks_uri` is then followed by jose's remote key set, exactly as JWKS_URL is (cached, fetched
 * again for an unknown `kid`, so key rotation needs no restart).
 *
 * Read when the first token of the identity provider arrives, not at start: the gateway starts and
 * serves everyone else while the provider is down. A failed read is retried on a later token, at
 * most every RETRY_AFTER_MS, so a provider that is down is not asked once per request.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { importEsm } from '../../lib/esm-import';
import { logEvent } from '../../lib/log';

/** The discovery document could not be read or was not the issuer's: the token cannot be checked now. */
export class DiscoveryFailed extends Error {}

const RETRY_AFTER_MS = 10_000;
const TIMEOUT_MS = 5_000;

/** An http:// issuer is allowed only on loopback (lib/settings-table.js): a development provider. */
const insecureAllowed = (issuer: URL) => issuer.protocol === 'http:';

/** The issuer's `jwks_uri`, from its discovery document as oauth4webapi validates it. */
export async function discoverJwksUri(issuer: string, timeoutMs = TIMEOUT_MS): Promise<URL> {
  const oauth = await importEsm<typeof import('oauth4webapi')>('oauth4webapi');
  const issuerUrl = new URL(issuer);
  const options = { algorithm: 'oidc' as const, signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: insecureAllowed(issuerUrl) };
  const server = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, options));
  if (!server.jwks_uri) throw new Error('the discovery document names no jwks_uri');
  return new URL(server.jwks_uri);
}

export function discoveredKeySet(issuer: string): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = 0;
  const load = () =>
    discoverJwksUri(issuer).then(
      (jwksUri) => createRemoteJWKSet(jwksUri, { timeoutDuration: TIMEOUT_MS, cooldownDuration: 30_000 }),
      (error: unknown) => {
        failedAt = Date.now();
        keySet = undefined;
        logEvent('warn', 'oidc-discovery-failed', { issuer, reason: error instanceof Error ? error.message : String(error) });
        throw new DiscoveryFailed(`the discovery document of ${issuer} could not be read`);
      },
    );
  return async (header, token) => {
    if (!keySet) {
      if (Date.now() - failedAt < RETRY_AFTER_MS) throw new DiscoveryFailed(`the discovery document of ${issuer} could not be read`);
      keySet = load();
    }
    return (await keySet)(header, token);
  };
}
