/**
 * The pages (web/, built by Vite into web/dist by `npm run build`) served by the gateway itself:
 * the support finder at GET /, the partner portal at /partner and the manufacturer dashboard at
 * /admin, with their hashed assets under /assets/, so they work without internet access. Hive's useStaticFiles sends no content type, which browsers refuse for module scripts;
 * hence this small plugin. A gateway without a built page serves none (and says so once at start).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { PROJECT_ROOT } from '../../lib/config';
import { logEvent } from '../../lib/log';
import { refusal } from '../protection/request-guard';
import { gatewayRequestOf } from './access-log';
import { pageContentSecurityPolicy } from './content-security-policy';
import { message } from '../../lib/i18n/message';

export const DEFAULT_WEB_DIR = path.join(PROJECT_ROOT, 'web', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Each page's address and its built file. */
const PAGES = new Map<string, string>([
  ['/', 'index.html'],
  ['/index.html', 'index.html'],
  ['/partner', 'partner/index.html'],
  ['/partner/', 'partner/index.html'],
  ['/admin', 'admin/index.html'],
  ['/admin/', 'admin/index.html'],
]);

export function useWebPage(webDir: string, options: { identityProviderOrigins?: readonly string[] } = {}): GatewayPlugin | undefined {
  const contentSecurityPolicy = pageContentSecurityPolicy(options.identityProviderOrigins);
  const root = path.resolve(webDir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.warn(`support-finder page: ${root}/index.html is missing (run \`npm run build\`); GET / serves no page`);
    return undefined;
  }
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const page = PAGES.get(url.pathname);
      const isPage = page !== undefined;
      if (!isPage && !url.pathname.startsWith('/assets/')) return;
      let assetPath: string;
      try {
        assetPath = page ?? decodeURIComponent(url.pathname);
      } catch {
        // A % that starts no escape (/assets/%zz): the client's mistake, not a failure of ours.
        const shown = url.pathname.slice(0, 200);
        logEvent('warn', 'bad-request', {
          requestId: gatewayRequestOf(serverContext)?.requestId,
          reason: 'malformed percent-encoding in the path',
          path: shown,
        });
        return endResponse(refusal(serverContext, 400, 'BAD_REQUEST', message('gateway.badPercentEscape', { path: JSON.stringify(shown) })));
      }
      const file = path.join(root, assetPath);
      // Nothing outside the built folder (e.g. /assets/../../package.json).
      if (!file.startsWith(root + path.sep)) return;
      let body: Buffer;
      try {
        body = fs.readFileSync(file);
      } catch {
        return;
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers: {
            'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
            'content-length': String(body.length),
            // Asset names carry a content hash; the page itself is checked again each time.
            'cache-control': isPage ? 'no-cache' : 'public, max-age=31536000, immutable',
            'x-content-type-options': 'nosniff',
            // The pages may load only the gateway's own assets and are never framed (content-security-policy.ts).
            ...(isPage ? { 'content-security-policy': contentSecurityPolicy } : {}),
          },
        }),
      );
    },
  };
}
