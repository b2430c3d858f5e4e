/**
 * The support-finder page and GraphiQL in a real browser: Debian's Chromium driven by
 * playwright-core, against the whole product started in this process on the demo directory. The
 * browser is phone-sized and used by keyboard; every request it makes is recorded, and all must go
 * to 127.0.0.1 (the page and GraphiQL work offline). Screenshots go to test-output/ (git-ignored);
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

  const origin = () => new URL(stack.url).origin;
  const screenshot = async (name: string) => {
    const file = path.join(OUTPUT, name);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(DOCS, name));
  };

  test('a practice finds whom to contact, who bills, and the partners’ prices, by keyboard', async () => {
    await page.goto(`${origin()}/`);
    // The catalogue is loaded from the API into the topic list.
    await page.locator('#topic option[value="training"]').waitFor({ state: 'attached' });

    // The license field is the first stop of the keyboard.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('license');
    await page.keyboard.type('OC3-DEMO-0007');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('topic');
    await page.selectOption('#topic', 'training');
    await page.keyboard.press('Tab');
    // The practice's own token: it holds this license.
    await page.keyboard.type(await tokenFor({ sub: 'praxis-0007', role: 'holder', licenses: ['OC3-DEMO-0007'] }));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    const answer = page.locator('#answer');
    await answer.locator('#answer-heading').waitFor();
    // The same question through the API: what the page shows must be the API's answer.
    const { body } = await stack.graphql(
      `{ supportContact(licenseKey: "OC3-DEMO-0007", topic: "training") { contacts { name email phone businessHours openNow } billedBy { name } explanation } }`,
    );
    const truth = body.data.supportContact;
    expect(truth.contacts.length).toBeGreaterThan(0);
    const text = await answer.innerText();
    expect(text).toContain('Training for OC3-DEMO-0007');
    expect(text).toContain(truth.explanation);
    for (const contact of truth.contacts) {
      expect(text).toContain(contact.name);
      if (contact.email) expect(text).toContain(contact.email);
      if (contact.phone) expect(text).toContain(contact.phone);
      if (contact.businessHours) expect(text).toContain(contact.businessHours);
      // Open or not depends on the hour the test runs; the page says what the API says.
      if (contact.openNow === true) expect(text).toContain('Open now');
      if (contact.openNow === false) expect(text).toMatch(/Closed(, opens \w{3} \d{1,2} \w{3}, \d\d:\d\d)?/);
    }
    expect(await answer.locator('.billed-by').innerText()).toBe(truth.billedBy?.name ?? 'Each provider the practice chooses bills its own offers.');
    // At least one partner's current training or user-support price, with its currency.
    const prices = await answer.locator('.partner li').allInnerTexts();
    expect(prices.length).toBeGreaterThan(0);
    expect(prices.join('\n')).toMatch(/(Training|User support) .*: \d+\.\d{2} [A-Z]{3} per /);
    const area = await stack.graphql(
      `{ license(key: "OC3-DEMO-0007") { holder { serviceArea { providers { name roles active offers(current: true, service: TRAINING) { price { amount currency } } } } } } }`,
    );
    const partners = area.body.data.license.holder.serviceArea.providers.filter((p: any) => p.active && p.roles.includes('SUPPORT_PARTNER'));
    expect(partners.length).toBeGreaterThan(0);
    for (const partner of partners) {
      for (const offer of partner.offers) expect(prices.join('\n')).toContain(`${offer.price.amount} ${offer.price.currency}`);
    }
    // Focus moves to the answer, for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-heading');
    // Nothing is wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot('finder.png');
  });

  test("a contact's opening hours and whether it is open now, in the contact's own time zone", async () => {
    await page.goto(`${origin()}/`);
    await page.locator('#topic option[value="server-installation"]').waitFor({ state: 'attached' });
    await page.fill('#license', 'OC3-DEMO-0007');
    await page.fill('#token', await tokenFor({ sub: 'admin', role: 'admin' }));
    await page.selectOption('#topic', 'server-installation');
    await page.press('#license', 'Enter');
    const answer = page.locator('#answer');
    await answer.locator('#answer-heading').waitFor();
    const { body } = await stack.graphql(`{ supportContact(licenseKey: "OC3-DEMO-0007", topic: "server-installation") { contacts { name businessHours timeZone openNow nextOpening } } }`);
    const [vendor] = body.data.supportContact.contacts;
    expect(vendor.businessHours).toBeTruthy(); // the demo's vendor keeps hours, so this is exercised
    const card = (await answer.locator('.card').allInnerTexts()).find((text) => text.includes(vendor.name))!;
    expect(card).toContain(`${vendor.businessHours} (${vendor.timeZone})`);
    if (vendor.openNow) {
      expect(card).toContain('Open now');
    } else {
      const opens = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: vendor.timeZone }).format(new Date(vendor.nextOpening));
      expect(card).toContain(`Closed, opens ${opens} (${vendor.timeZone})`);
    }
  });

  test('an unknown license is named in a clear message, not a broken page', async () => {
    await page.goto(`${origin()}/`);
    await page.locator('#topic option[value="training"]').waitFor({ state: 'attached' });
    await page.fill('#license', 'NO-SUCH-LICENSE');
    await page.fill('#token', await tokenFor({ sub: 'admin', role: 'admin' }));
    await page.selectOption('#topic', 'training');
    await page.press('#license', 'Enter');
    await page.locator('#status.error').waitFor();
    expect(await page.locator('#status').innerText()).toContain('NO-SUCH-LICENSE');
    expect(await page.locator('#answer').isHidden()).toBe(true);
  });

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
