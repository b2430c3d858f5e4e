/**
 * The Content-Security-Policy of every page the gateway sends (docs/security-gateway.md): the
 * support finder, the partner portal and the dashboard (web-page.ts), and GraphiQL (graphiql.ts).
 * The portal and the dashboard keep an admin token or an API key in sessionStorage, so a script
 * injected from elsewhere, or the page framed by another site (clickjacking), must be impossible:
 * only the gateway's own assets load, nothing is inlined, and no site may frame a page.
 *
 * Why each directive of the pages' policy holds for what they do (test/web checks they still work,
 * and that the browser reports no violation):
 * - script-src 'self': Vite bundles every script into hashed files under /assets/; none is inline.
 * - style-src 'self': the stylesheets are files too; Chart.js sizes its canvas through the style
 *   object (CSSOM), which a policy does not govern, and injects no <style> element.
 * - img-src 'self' data: blob:: Vite may inline a small asset as a data: URL; a chart is a canvas.
 * - connect-src 'self': the pages call /graphql on the gateway that served them, and nothing else;
 *   with OIDC_ISSUER also the identity provider's origin, where /partner and /admin read its
 *   discovery document and exchange codes for tokens (sign-in and sign-out are navigations).
 * - form-action 'self', base-uri 'none', object-src 'none': no form posts elsewhere, no <base>
 *   redirects relative URLs, no plugins.
 * - frame-ancestors 'none': no site frames the pages.
 *
 * GraphiQL (@graphql-yoga/render-graphiql) is one self-contained page of about 9 MB: its scripts
 * and styles are inline, its editors start Web Workers from blob: URLs and inject style elements.
 * Its policy allows exactly its own two inline scripts by their SHA-256 hashes (computed from the
 * page as rendered, once), inline styles, and blob: workers; it loads nothing from elsewhere either,
 * and cannot be framed. Not a header set by the runtime: Hive Gateway sends no CSP of its own.
 */
import { createHash } from 'node:crypto';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

const policy = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');

/** The policy of /, /partner and /admin: the gateway's own assets only (and the identity provider's origin to call), never framed. */
export const pageContentSecurityPolicy = (identityProviderOrigins: readonly string[] = []): string =>
  policy({
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self' data: blob:",
    'font-src': "'self'",
    'connect-src': ["'self'", ...identityProviderOrigins].join(' '),
    'object-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
  });

export const PAGE_CONTENT_SECURITY_POLICY = pageContentSecurityPolicy();

/** The SHA-256 source expressions of a page's inline scripts (`<script>` without `src`). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(match[1] ?? '')) continue;
    hashes.add(`'sha256-${createHash('sha256').update(match[2], 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/** GraphiQL's policy: its own inline scripts by hash, inline styles, blob: workers; nothing from elsewhere, never framed. */
export function graphiqlContentSecurityPolicy(html: string): string {
  return policy({
    'default-src': "'self'",
    'script-src': inlineScriptHashes(html).join(' ') || "'none'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data: blob:",
    'font-src': "'self' data:",
    'worker-src': "'self' blob:",
    'connect-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
  });
}

/**
 * Wraps a GraphiQL renderer so the policy of the page it renders is known: the page depends only
 * on the gateway's configuration, so it is rendered and hashed once.
 */
export function withGraphiqlPolicy<O>(render: (options?: O) => string): { render: (options?: O) => string; plugin: GatewayPlugin } {
  let rendered: { html: string; policy: string } | undefined;
  return {
    render(options) {
      const html = render(options);
      if (rendered?.html !== html) rendered = { html, policy: graphiqlContentSecurityPolicy(html) };
      return html;
    },
    plugin: {
      onResponse({ response }) {
        // Only the GraphiQL page is HTML among the runtime's answers (the pages are web-page.ts's).
        if (rendered && response.headers.get('content-type')?.startsWith('text/html')) {
          response.headers.set('content-security-policy', rendered.policy);
          response.headers.set('x-content-type-options', 'nosniff');
        }
      },
    },
  };
}
