/**
 * GraphiQL at GET /graphql for a browser: served whole by the gateway (no asset from elsewhere),
 * with the headline query prefilled, sent with a Content-Security-Policy, never taken from or put into the response cache, and off when
 * GRAPHIQL=off. (test/web/browser.test.ts renders it in Chromium.)
 */
import { inlineScriptHashes } from '../../gateway/http/content-security-policy';
import { graphiqlEnabled } from '../../gateway/http/graphiql';
import { startTestStack, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('GraphiQL on', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ gateway: { graphiql: true } });
  });
  afterAll(() => stack?.close());

  test('a browser gets the page, with the headline query and variables, loading nothing from elsewhere', async () => {
    const response = await fetch(stack.url, { headers: asBrowser });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('supportContact(licenseKey: $licenseKey, topic: $topic)');
    expect(page).toContain('OC3-DEMO-0001');
    // Every script, stylesheet and icon is inline: no src/href pointing to another host.
    const external = [...page.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(https?:)?\/\//gi)].map((m) => m[0]);
    expect(external).toEqual([]);
  });

  test('the page comes with a Content-Security-Policy: its own inline scripts by hash, nothing from elsewhere, never framed', async () => {
    const response = await fetch(stack.url, { headers: asBrowser });
    const policy = response.headers.get('content-security-policy') ?? '';
    const page = await response.text();
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    const scriptSources = /script-src ([^;]+)/.exec(policy)![1].split(' ');
    // Exactly the page's inline scripts: no 'unsafe-inline', no host.
    expect(scriptSources).toEqual(inlineScriptHashes(page));
    expect(scriptSources.length).toBeGreaterThan(0);
    expect(scriptSources.every((s) => /^'sha256-[A-Za-z0-9+/]+={0,2}'$/.test(s))).toBe(true);
    // The JSON answers carry none (they are no page).
    expect((await fetch(`${stack.url}?query=${encodeURIComponent('{ supportTopics { id } }')}`)).headers.get('content-security-policy')).toBeNull();
  });

  test('the page is not cached: a GET query asked first as JSON still gives a browser the page', async () => {
    const url = `${stack.url}?query=${encodeURIComponent('{ supportTopics { id } }')}`;
    const json = await fetch(url);
    expect(json.headers.get('content-type')).toMatch(/json/);
    await json.text();
    const again = await fetch(url);
    await again.text();
    const page = await fetch(url, { headers: asBrowser });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    await page.text();
    const afterPage = await fetch(url);
    expect(afterPage.headers.get('content-type')).toMatch(/json/);
    expect((await afterPage.json()).data.supportTopics.length).toBeGreaterThan(0);
  });
});

test('GRAPHIQL=off: a browser gets no page', async () => {
  const stack = await startTestStack({ gateway: { graphiql: false } });
  try {
    const response = await fetch(stack.url, { headers: asBrowser });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await response.text()).not.toContain('<html');
  } finally {
    await stack.close();
  }
});

test('GRAPHIQL: on by default, off by default in production, and a bad value is named', () => {
  expect(graphiqlEnabled(parsedSettings({}))).toBe(true);
  expect(graphiqlEnabled(parsedSettings({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }))).toBe(false);
  expect(graphiqlEnabled(parsedSettings({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), GRAPHIQL: 'on' }))).toBe(true);
  expect(graphiqlEnabled(parsedSettings({ GRAPHIQL: 'OFF' }))).toBe(false);
  expect(() => parsedSettings({ GRAPHIQL: 'yes' })).toThrow('GRAPHIQL="yes": must be "on" or "off"');
});
