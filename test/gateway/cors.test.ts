/**
 * CORS through the real gateway: with CORS_ORIGINS, a page on an allowed origin (its own loopback
 * server on another port) calls the gateway from Chromium twice in a row, a response cache miss
 * then a hit, and reads both answers; a page on an origin not in the list is refused by the
 * browser. Every answer, cached or not, carries the same CORS headers and `Vary: Origin`, and none
 * allows credentials. Unset: no CORS headers at all (same origin only).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack';
import { parsedSettings } from '../support/settings';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);

const QUERY = JSON.stringify({ query: '{ supportTopics { id name } }' });

/** A page server on its own loopback port: another origin than the gateway's. */
async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>partner page</title><p>partner'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const cacheHits = async (stack: TestStack) => {
  const text = await (await fetch(new URL('/metrics', stack.url))).text();
  return Number(/gateway_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(text)?.[1] ?? 0);
};

const corsHeaders = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('CORS_ORIGINS set', () => {
  let stack: TestStack;
  let allowed: Awaited<ReturnType<typeof startPageServer>>;
  let other: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    allowed = await startPageServer();
    other = await startPageServer();
    stack = await startTestStack({ gateway: { corsOrigins: [allowed.origin, 'https://partner.example'] } });
    if (hasBrowser)
      browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await allowed?.close();
    await other?.close();
  });

  test('a miss and a hit carry the same CORS headers and Vary: Origin; no credentials', async () => {
    const ask = () =>
      fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://partner.example' },
        body: JSON.stringify({ query: '{ supportTopics { id } }' }),
      });
    const hitsBefore = await cacheHits(stack);
    const miss = await ask();
    const hit = await ask();
    expect(await cacheHits(stack)).toBe(hitsBefore + 1);
    expect(await hit.json()).toEqual(await miss.json());
    expect(corsHeaders(miss)).toEqual(corsHeaders(hit));
    expect(hit.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(hit.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(hit.headers.get('access-control-allow-credentials')).toBeNull();
    // An origin not in the list gets no permission, cached answer or not; Vary still says why.
    const stranger = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ query: '{ supportTopics { id } }' }),
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull();
    expect(stranger.headers.get('vary')).toMatch(/\bOrigin\b/);
    // The front door's own answers (401 here) carry them too.
    const refused = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://partner.example', authorization: 'Bearer not.a.token' },
      body: QUERY,
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(refused.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  test('a preflight names the allowed origin, methods and the headers asked for', async () => {
    const preflight = await fetch(stack.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  (hasBrowser ? test : test.skip)(
    'in Chromium: a page on an allowed origin reads a miss and then a hit; another origin is refused by the browser',
    async () => {
      const page = await browser!.newPage();
      await page.goto(`${allowed.origin}/`);
      const ask = (url: string, body: string) =>
        page.evaluate(
          async ({ url, body }) => {
            try {
              const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
              return { status: response.status, body: await response.json() };
            } catch (error) {
              return { refused: String(error) };
            }
          },
          { url, body },
        );
      const hitsBefore = await cacheHits(stack);
      const first = await ask(stack.url, QUERY);
      const second = await ask(stack.url, QUERY);
      expect(await cacheHits(stack)).toBe(hitsBefore + 1);
      expect(first).toEqual({
        status: 200,
        body: { data: { supportTopics: expect.arrayContaining([expect.objectContaining({ id: 'server-installation' })]) } },
      });
      expect(second).toEqual(first);

      const stranger = await browser!.newPage();
      await stranger.goto(`${other.origin}/`);
      const refused = await stranger.evaluate(
        async ({ url, body }) => {
          try {
            await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
            return 'answered';
          } catch (error) {
            return String(error);
          }
        },
        { url: stack.url, body: QUERY },
      );
      expect(refused).toMatch(/TypeError: Failed to fetch/);
    },
  );
});

test('CORS_ORIGINS unset: same origin only, no CORS headers, no credentials', async () => {
  const stack = await startTestStack();
  try {
    for (let i = 0; i < 2; i++) {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://partner.example' },
        body: QUERY,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
      await response.text();
    }
  } finally {
    await stack.close();
  }
});

test('CORS_ORIGINS: a list of origins or *, anything else named', () => {
  const corsOrigins = (env: Record<string, string>) => parsedSettings(env).CORS_ORIGINS;
  expect(corsOrigins({})).toBeUndefined();
  expect(corsOrigins({ CORS_ORIGINS: 'https://a.example, http://127.0.0.1:8080' })).toEqual(['https://a.example', 'http://127.0.0.1:8080']);
  expect(corsOrigins({ CORS_ORIGINS: '*' })).toEqual(['*']);
  expect(() => corsOrigins({ CORS_ORIGINS: 'https://a.example/' })).toThrow('CORS_ORIGINS="https://a.example/": must be a comma-separated list of origins');
  expect(() => corsOrigins({ CORS_ORIGINS: 'a.example' })).toThrow('"a.example" is not one');
});
