/**
 * CORS: which web pages on other origins may call the gateway from a browser (CORS_ORIGINS, a comma
 * list of origins such as https://partner.example; `*` for any). Unset: same origin only, so no
 * CORS headers at all, and never Access-Control-Allow-Credentials (callers authenticate with an
 * Authorization or X-API-Key header, never with cookies). The runtime's own `cors` option (Yoga's
 * useCORS) answers preflights and the engine's answers; the front door adds the very same headers,
 * from the same function, to what it answers itself (response cache hits, 401, 429), so a page gets
 * its second, cached answer as it got its first. Every answer says `Vary: Origin`: which origin
 * asked decides the headers, so no shared cache may hand one origin's answer to another.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getCORSHeadersByRequestAndOptions, type CORSOptions } from '@whatwg-node/server';

export interface CorsPolicy {
  /** The runtime's `cors` option. */
  options(request: { headers: { get(name: string): string | null } }): CORSOptions;
  /** Every header a given request's answer carries (Vary: Origin included). */
  headersFor(request: { headers: { get(name: string): string | null } }): Record<string, string>;
  /** Adds `Vary: Origin` to every answer of the engine. */
  plugin: GatewayPlugin;
}

const ANSWER_HEADERS_READ_BY_PAGES = ['retry-after', 'x-request-id'];

export function createCorsPolicy(origins: string[] | undefined): CorsPolicy {
  const allowed = new Set(origins ?? []);
  const options = (request: { headers: { get(name: string): string | null } }): CORSOptions => {
    const origin = request.headers.get('origin');
    if (!origin || !(allowed.has('*') || allowed.has(origin))) return false;
    // One origin at a time: the allowed origin that asked is named, never a list or `*`.
    return { origin: [origin], methods: ['GET', 'POST'], credentials: false, exposedHeaders: ANSWER_HEADERS_READ_BY_PAGES, maxAge: 600 };
  };
  const vary = (existing: string | null) => (existing && /\borigin\b/i.test(existing) ? existing : existing ? `${existing}, Origin` : 'Origin');
  return {
    options,
    headersFor(request) {
      const allowed = options(request);
      // Most requests (same origin, servers) come without an allowed Origin: only Vary to say.
      if (allowed === false) return { vary: 'Origin' };
      const headers = getCORSHeadersByRequestAndOptions(request as Request, allowed) ?? {};
      const lower: Record<string, string> = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
      lower.vary = vary(lower.vary ?? null);
      return lower;
    },
    plugin: {
      onResponse({ response }) {
        response.headers.set('vary', vary(response.headers.get('vary')));
      },
    },
  };
}
