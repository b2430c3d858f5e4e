/**
 * GraphiQL in a real browser: Debian's Chromium driven by playwright-core, against the whole
 * product started in this process on the demo directory (the support-finder page has its own
 * tests in test/web/finder.test.ts). Every request the browser makes is recorded, and all must go
 * to 127.0.0.1 (GraphiQL works offline). Screenshots go to test-output/ (git-ignored);
 * UPDATE_DOCS_SCREENSHOTS=1 also copies them to docs/ for README.
 *
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the tests skip, except under CI
 * (REQUIRE_BROWSER=1, set by .ci/run), where a missing browser fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../support/build';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);
const OUTPUT = path.join(ROOT, 'test-output');
const DOCS = path.join(ROOT, 'docs');

if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') {
  test('Chromium is installed (REQUIRE_BROWSER=1)', () => {
    throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  });
}

(hasBrowser ? describe : describe.skip)('in Chromium', () => {
  let stack: TestStack;
  let web: Awaited<ReturnType<typeof buildWebPage>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    web = await buildWebPage();
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    stack = await startTestStack({ directory: demo, gateway: { webDir: web.dir, graphiql: true } });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    // A phone-sized screen.
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    context.on('request', (request) => requested.push(request.url()));
    page = await context.newPage();
    fs.mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    web?.remove();
  });

  const screenshot = async (name: string) => {
    const file = path.join(OUTPUT, name);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(DOCS, name));
  };

  test('GraphiQL renders with the headline query and answers it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    // A developer pastes a token into GraphiQL's headers; licenses are private.
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${await tokenFor({ sub: 'admin', role: 'admin' })}` });
    await page.goto(stack.url);
    await page.locator('.graphiql-container').first().waitFor();
    await page.getByText('supportContact(licenseKey: $licenseKey').first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.graphiql-response').getByText('Nordkiefer Demo Dentalsoftware GmbH').first().waitFor();
    await screenshot('graphiql.png');
  });

  test('no request left 127.0.0.1', () => {
    expect(requested.length).toBeGreaterThan(0);
    const elsewhere = requested.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
    expect(elsewhere).toEqual([]);
  });
});
