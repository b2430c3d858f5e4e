/**
 * The pages served by the gateway: GET / is the support finder (/partner and /admin the portal and
 * the dashboard), its assets come with their
 * content types from /assets/, every page is sent with its Content-Security-Policy, and nothing outside the built folder is reachable.
 * (test/web/browser.test.ts uses the page in Chromium.)
 */
import { startTestStack, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';

let stack: TestStack;
let web: Awaited<ReturnType<typeof buildWebPage>>;
let base: string;
beforeAll(async () => {
  web = await buildWebPage();
  stack = await startTestStack({ gateway: { webDir: web.dir } });
  base = new URL(stack.url).origin;
});
afterAll(async () => {
  await stack?.close();
  web?.remove();
});

test('GET / is the page, and every script and stylesheet it names is served from /assets/ with its type', async () => {
  const response = await fetch(`${base}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const page = await response.text();
  expect(page).toContain('<title>OnyxCeph³ support finder</title>');
  const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((url) => url.startsWith('/assets/'));
  expect(assets.some((url) => url.endsWith('.js'))).toBe(true);
  expect(assets.some((url) => url.endsWith('.css'))).toBe(true);
  for (const asset of assets) {
    const answer = await fetch(`${base}${asset}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
    expect(answer.headers.get('cache-control')).toContain('immutable');
    await answer.arrayBuffer();
  }
});

test('the partner portal and the dashboard are served at /partner and /admin, each with its own script from /assets/', async () => {
  for (const [address, title] of [
    ['/partner', 'OnyxCeph³ partner portal'],
    ['/partner/', 'OnyxCeph³ partner portal'],
    ['/admin', 'OnyxCeph³ network dashboard'],
  ]) {
    const response = await fetch(`${base}${address}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await response.text();
    expect(page).toContain(`<title>${title}</title>`);
    const scripts = [...page.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).toMatch(/^\/assets\/.+\.js$/);
      expect((await fetch(`${base}${script}`)).status).toBe(200);
    }
  }
  expect((await fetch(`${base}/partner/index.html.bak`)).status).toBe(404);
});

test("every page is sent with a Content-Security-Policy that allows only the gateway's own assets and no framing", async () => {
  for (const address of ['/', '/index.html', '/partner', '/partner/', '/admin', '/admin/']) {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${base}${address}`, { method });
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values.join(' ')]),
      );
      expect(directives).toMatchObject({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'connect-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'none'",
        'frame-ancestors': "'none'",
      });
      // Nothing from another host, nothing inline that could run.
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      await response.arrayBuffer();
    }
  }
  // And nothing in the built pages needs more: no inline script or style, no style attribute.
  for (const address of ['/', '/partner', '/admin']) {
    const page = await (await fetch(`${base}${address}`)).text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style\b|\sstyle=/);
  }
});

test('nothing outside the built page is served', async () => {
  // A malformed escape is the client's mistake: 400 (test/gateway/malformed-requests.test.ts).
  expect((await fetch(`${base}/assets/%E0%A4%A.js`)).status).toBe(400);
  for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/missing.js']) {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('onyx-support-directory');
  }
});

test('the GraphQL API beside it is unchanged', async () => {
  const { status, body } = await stack.graphql('{ supportTopics { id } }');
  expect(status).toBe(200);
  expect(body.data.supportTopics.length).toBeGreaterThan(0);
});

test('without a built page the gateway serves none, and still serves the API', async () => {
  const bare = await startTestStack({ gateway: { webDir: '/nonexistent-web-dir' } });
  try {
    expect((await fetch(`${new URL(bare.url).origin}/`)).status).toBe(404);
    expect((await bare.graphql('{ supportTopics { id } }')).status).toBe(200);
  } finally {
    await bare.close();
  }
});
