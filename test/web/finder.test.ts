/**
 * The support finder in a real browser (Debian's Chromium, playwright-core) against the whole
 * product started in this process on the demo directory, at a phone's and a desktop's size: a
 * practice signs in with the demo license's access code by keyboard, gets the answer for a Level 0
 * topic and for training (the contacts in the API's routing order, each with its prices formatted
 * for the page's language), a wrong code shows the API's words, the topic question without a
 * session asks to sign in, an anonymous visitor finds the support partners of a country, each of
 * the four languages labels the page, nothing is wider than the screen, the print view is one page,
 * and axe-core finds no serious or critical accessibility violation. What the page shows is compared
 * with what the API answers to the same question.
 *
 * Screenshots go to test-output/; UPDATE_DOCS_SCREENSHOTS=1 also copies them to docs/ for README.
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the tests skip, except under
 * REQUIRE_BROWSER=1, where a missing browser fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT } from '../support/build';
import { startTestStack, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';
import { injectAxe, watchPolicyViolations } from '../support/page-policy';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);
const OUTPUT = path.join(ROOT, 'test-output');
const DOCS = path.join(ROOT, 'docs');

/** The demo license and the access code on its papers (seed/demo-directory.json). */
const DEMO_KEY = 'OC3-DEMO-0007';
const DEMO_CODE = 'CWKK-ESJQ-7700-3JSB';

const SIZES = [
  { name: 'phone', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
] as const;

/** Words of the page per language, written here independently of the page's dictionary. */
const WORDS = {
  de: {
    h1: 'OnyxCeph³ Support-Finder',
    licenseKey: 'Lizenzschlüssel',
    accessCode: 'Zugangscode',
    signIn: 'Anmelden',
    topic: 'Thema',
    country: 'Land',
    perDay: 'pro Tag',
    net: 'netto',
  },
  en: {
    h1: 'OnyxCeph³ support finder',
    licenseKey: 'License key',
    accessCode: 'Access code',
    signIn: 'Sign in',
    topic: 'Topic',
    country: 'Country',
    perDay: 'per day',
    net: 'net',
  },
  fr: {
    h1: 'OnyxCeph³ – trouver le support',
    licenseKey: 'Clé de licence',
    accessCode: 'Code d’accès',
    signIn: 'Se connecter',
    topic: 'Sujet',
    country: 'Pays',
    perDay: 'par jour',
    net: 'net',
  },
  it: {
    h1: 'OnyxCeph³ – trova assistenza',
    licenseKey: 'Chiave di licenza',
    accessCode: 'Codice di accesso',
    signIn: 'Accedi',
    topic: 'Argomento',
    country: 'Paese',
    perDay: 'al giorno',
    net: 'netto',
  },
} as const;

const UNITS: Record<string, string> = { PER_DAY: 'per day', PER_HOUR: 'per hour', ONE_TIME: 'once', ANNUAL: 'per year', PER_PARTICIPANT: 'per participant' };

/** An amount as Intl formats it for a language, with the currency's code. */
const money = (language: string, price: { amount: string; currency: string }) =>
  spaced(
    new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, { style: 'currency', currency: price.currency, currencyDisplay: 'code' }).format(
      Number(price.amount),
    ),
  );

/** Intl separates with no-break spaces; compared as plain spaces. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
/** An element's text as a reader sees it, spaces plain. */
const textOf = async (locator: Locator) => spaced(await locator.innerText());
const textsOf = async (locator: Locator) => (await locator.allInnerTexts()).map(spaced);

const PROVIDER_FIELDS = 'id name email phone languages businessHours timeZone openNow nextOpening';

if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') {
  test('Chromium is installed (REQUIRE_BROWSER=1)', () => {
    throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${executablePath}`);
  });
}

(hasBrowser ? describe : describe.skip)('the support finder in Chromium', () => {
  let stack: TestStack;
  let web: Awaited<ReturnType<typeof buildWebPage>>;
  let browser: Browser;
  const requested: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    web = await buildWebPage();
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    stack = await startTestStack({ directory: demo, gateway: { webDir: web.dir } });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    web?.remove();
  });

  const origin = () => new URL(stack.url).origin;

  async function open(size: (typeof SIZES)[number], locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page }> {
    const { name: _name, ...options } = size;
    const context = await browser.newContext({ ...options, deviceScaleFactor: 1, locale, timezoneId: 'Europe/Zurich' });
    context.on('request', (request) => requested.push(request.url()));
    watchPolicyViolations(context, violations);
    const page = await context.newPage();
    await page.goto(`${origin()}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    // Chosen explicitly, so the page stays English after signing in for the demo's German-speaking practice
    // (without a choice it takes the holder's language: test/web/finder-languages.test.ts).
    if (locale.startsWith('en')) await page.selectOption('#language', 'en');
    return { context, page };
  }

  /** `docs`: the picture README shows (copied there with UPDATE_DOCS_SCREENSHOTS=1). */
  async function screenshot(page: Page, name: string, docs?: string) {
    const file = path.join(OUTPUT, name);
    await page.screenshot({ path: file, fullPage: true });
    if (docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(DOCS, docs));
  }

  async function signInByKeyboard(page: Page, code = DEMO_CODE) {
    await page.locator('#license').focus();
    await page.keyboard.type(DEMO_KEY);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('code');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  }

  async function ask(page: Page, topic: string) {
    // The answer shown before is replaced whole: wait for its heading to go, or the old answer would be read.
    const before = await page.$('#answer-heading');
    await page.selectOption('#topic', topic);
    await page.locator('#finder button[type="submit"]').press('Enter');
    await before?.waitForElementState('hidden');
    await page.locator('#answer-heading').waitFor();
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  async function accessibilityViolations(page: Page) {
    await injectAxe(page);
    const results = await page.evaluate(async () =>
      (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(),
    );
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
  }

  const noWiderThanScreen = async (page: Page, width: number) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

  describe.each(SIZES)('on a $name ($viewport.width × $viewport.height)', (size) => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => ({ context, page } = await open(size)));
    afterAll(() => context?.close());

    test('without a session, the topic question asks to sign in (never "not found")', async () => {
      await page.selectOption('#topic', 'training');
      await page.locator('#finder button[type="submit"]').click();
      await page.locator('#status.error').waitFor();
      expect(await page.locator('#status').innerText()).toBe('Sign in with your license key and access code to see whom your practice contacts.');
      expect(await page.locator('#answer').isHidden()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('license');
      await screenshot(page, `finder-signin-${size.name}.png`, size.name === 'desktop' ? 'finder-signin.png' : undefined);
    });

    test('a wrong access code shows the API’s own message and keeps the practice signed out', async () => {
      const truth = await stack.graphql(`mutation { signIn(licenseKey: "${DEMO_KEY}", accessCode: "AAAA-BBBB-CCCC-DDDD") { token } }`, {}, null);
      await signInByKeyboard(page, 'AAAA-BBBB-CCCC-DDDD');
      await page.locator('#status.error').waitFor();
      expect(await page.locator('#status').innerText()).toBe(truth.body.errors[0].message);
      expect(await page.locator('#status').getAttribute('role')).toBe('alert');
      expect(await page.locator('#session').isHidden()).toBe(true);
      expect(await page.evaluate(() => sessionStorage.getItem('onyx-finder-session'))).toBeNull();
    });

    test('signs in by keyboard with the demo code; the answer for a Level 0 topic is the API’s', async () => {
      await page.fill('#license', '');
      await page.fill('#code', '');
      await signInByKeyboard(page);
      await page.locator('#session:not([hidden])').waitFor();
      expect(await page.locator('#session-text').innerText()).toMatch(new RegExp(`^Signed in for license ${DEMO_KEY} until \\d\\d:\\d\\d\\.$`));
      // Focus moves on to the topic, the next thing to do.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('topic');
      expect(await page.locator('#code').inputValue()).toBe('');

      await ask(page, 'server-installation');
      const { body } = await stack.graphql(
        `{ supportContact(licenseKey: "${DEMO_KEY}", topic: "server-installation") { topic { level } contacts { ${PROVIDER_FIELDS} offers(current: true, service: TECHNICAL_SUPPORT) { title unit price { amount currency } } } escalation { name } billedBy { name } explanation } }`,
      );
      const truth = body.data.supportContact;
      expect(truth.topic.level).toBe('LEVEL_0');
      expect(await page.locator('#answer-heading').innerText()).toBe(`Server installation for ${DEMO_KEY}`);
      expect(await page.locator('.explanation').innerText()).toBe(truth.explanation);
      const cards = page.locator('#contacts > li');
      expect(await cards.count()).toBe(truth.contacts.length);
      const [vendor] = truth.contacts;
      const card = cards.first();
      expect(await card.locator('h4').innerText()).toBe(vendor.name);
      expect(await card.locator(`a[href="mailto:${vendor.email}"]`).count()).toBe(1);
      expect(await card.locator(`a[href="tel:${vendor.phone.replace(/[^\d+]/g, '')}"]`).count()).toBe(1);
      const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
      expect(await card.locator('.languages').innerText()).toBe(vendor.languages.map((l: string) => languageNames.of(l)).join(', '));
      // Open or not depends on the hour the test runs; the page says what the API says.
      const opening = await card.locator('.opening').innerText();
      if (vendor.openNow) expect(opening).toBe('Open now');
      else expect(opening).toMatch(/^Closed, opens \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Europe\/Zurich\)$/);
      expect(await page.locator('.escalation li .name').allInnerTexts()).toEqual(truth.escalation.map((p: { name: string }) => p.name));
      // Each contact's and escalation's response time, as the API counts it, in the reader's time zone.
      const { body: times } = await stack.graphql(
        `{ supportContact(licenseKey: "${DEMO_KEY}", topic: "server-installation") { firstResponses { provider { id } businessHours expectedBy } } }`,
      );
      const [own, escalation] = times.data.supportContact.firstResponses;
      expect(own.businessHours).toBe(4);
      const expectedText = (r: { businessHours: number; expectedBy: string | null }) =>
        r.expectedBy
          ? `answers within ${r.businessHours} business hours — by ${spaced(new Intl.DateTimeFormat('en-GB', { weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Zurich' }).format(new Date(r.expectedBy)))}`
          : `answers within ${r.businessHours} business hours (no business hours stated, so no time can be given)`;
      expect(await textOf(card.locator('.response-time'))).toBe(expectedText(own));
      expect(await textOf(page.locator('.escalation li .response-time'))).toBe(expectedText(escalation));
      expect(await page.locator('.billed-by').innerText()).toBe(truth.billedBy.name);
      // The distributor's own Level 0 fees, net.
      expect(vendor.offers.length).toBeGreaterThan(0);
      expect(await textsOf(card.locator('.offers li'))).toEqual(vendor.offers.map((o: any) => `${o.title}: ${money('en', o.price)} ${UNITS[o.unit]} (net)`));
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-heading');
      await noWiderThanScreen(page, size.viewport.width);
    });

    test('training: one ranked list in the API’s routing order, each partner with its prices for the locale, net', async () => {
      await ask(page, 'training');
      const { body } = await stack.graphql(
        `{ supportContact(licenseKey: "${DEMO_KEY}", topic: "training") { contacts { ${PROVIDER_FIELDS} offers(current: true, service: TRAINING) { title unit price { amount currency } } } explanation } }`,
      );
      const contacts = body.data.supportContact.contacts;
      expect(contacts.length).toBeGreaterThan(1);
      expect(await page.locator('#contacts > li h4').allInnerTexts()).toEqual(contacts.map((c: { name: string }) => c.name));
      for (const [i, contact] of contacts.entries()) {
        const expected = contact.offers.map((o: any) => `${o.title}: ${money('en', o.price)} ${UNITS[o.unit]} (net)`);
        expect(await textsOf(page.locator('#contacts > li').nth(i).locator('.offers li'))).toEqual(expected);
      }
      // The demo's Swiss partners: 1,100.00 CHF per day is Léman's, ranked by the API.
      expect(await textOf(page.locator('#answer'))).toContain('CHF 1,100.00 per day (net)');
      expect(await page.locator('#answer').innerText()).toContain('Prices are net, plus VAT.');
      await noWiderThanScreen(page, size.viewport.width);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, `finder-${size.name}.png`, size.name === 'desktop' ? 'finder.png' : 'finder-phone.png');
    });

    test('prints the answer alone, on one page', async () => {
      await page.emulateMedia({ media: 'print' });
      try {
        for (const hidden of ['#sign-in-section', '#find-section', '#partners-section', '#language'])
          expect(await page.locator(hidden).isVisible()).toBe(false);
        expect(await page.locator('#answer').isVisible()).toBe(true);
        const pdf = await page.pdf({ format: 'A4' });
        expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    });

    test('the session lasts for the tab: a reload keeps it, signing out ends it', async () => {
      await page.reload();
      await page.locator('body[data-ready="true"]').waitFor();
      expect(await page.locator('#session').isVisible()).toBe(true);
      await page.locator('#sign-out').click();
      expect(await page.locator('#sign-in').isVisible()).toBe(true);
      expect(await page.evaluate(() => sessionStorage.getItem('onyx-finder-session'))).toBeNull();
      expect(await page.locator('#answer').isHidden()).toBe(true);
    });

    test('anonymous: the support partners serving a chosen country, with their offers', async () => {
      await page.selectOption('#country', 'CH');
      await page.locator('#partners-form button[type="submit"]').click();
      await page.locator('#partners-result').waitFor();
      const { body } = await stack.graphql(
        `{ providers(role: SUPPORT_PARTNER, country: "CH", active: true) { name offers(current: true) { service } } }`,
        {},
        null,
      );
      expect(body.data.providers.length).toBeGreaterThan(0);
      expect(await page.locator('#partners-result').innerText()).toBe('Support partners in Switzerland');
      expect(await page.locator('.partner-list > li h4').allInnerTexts()).toEqual(body.data.providers.map((p: { name: string }) => p.name));
      const offered = body.data.providers.map(
        (p: { offers: { service: string }[] }) => p.offers.filter((o) => ['TRAINING', 'USER_SUPPORT'].includes(o.service)).length,
      );
      for (const [i, count] of offered.entries()) expect(await page.locator('.partner-list > li').nth(i).locator('.offers li').count()).toBe(count);
      await noWiderThanScreen(page, size.viewport.width);
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    test.each(Object.keys(WORDS) as (keyof typeof WORDS)[])('labels in %s, money formatted for it', async (language) => {
      await page.selectOption('#language', language);
      const words = WORDS[language];
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      expect(await page.locator('h1').innerText()).toBe(words.h1);
      expect(await page.locator('label[for="license"]').innerText()).toBe(words.licenseKey);
      expect(await page.locator('label[for="code"]').innerText()).toBe(words.accessCode);
      expect(await page.locator('#sign-in button[type="submit"]').innerText()).toBe(words.signIn);
      expect(await page.locator('label[for="topic"]').innerText()).toBe(words.topic);
      expect(await page.locator('label[for="country"]').innerText()).toBe(words.country);
      // The partners shown before are drawn again in the language, prices with its number format.
      const amount = money(language, { amount: '1100.00', currency: 'CHF' });
      expect(await textOf(page.locator('#partners'))).toContain(`${amount} ${words.perDay} (${words.net})`);
      if (language === 'de') expect(amount).toBe('1.100,00 CHF');
      await noWiderThanScreen(page, size.viewport.width);
      if (language !== 'en') expect(await accessibilityViolations(page)).toEqual([]);
    });
  });

  // After the sizes above (so that the last check sees every request the page made).
  describe('at any size', () => {
    test('layout from 360 to 1440 px: nothing wider than the screen, the license key and the topic shown whole', async () => {
      const { context, page } = await open(SIZES[1]);
      try {
        await page.fill('#license', DEMO_KEY);
        await page.selectOption('#topic', 'server-installation');
        await page.selectOption('#country', 'CH');
        await page.locator('#partners-form button[type="submit"]').click();
        await page.locator('#partners-result').waitFor();
        for (const width of [360, 414, 768, 1024, 1280, 1440]) {
          await page.setViewportSize({ width, height: 900 });
          await noWiderThanScreen(page, width);
          // The measured fault of the old page: inputs squeezed to ~140 px cut the key ("C3-DEMO-0007").
          const license = await page.locator('#license').evaluate((input: HTMLInputElement) => ({ width: input.clientWidth, text: input.scrollWidth }));
          expect({ width, fits: license.text <= license.width, wide: license.width >= 250 }).toEqual({ width, fits: true, wide: true });
          expect(await page.locator('#topic').evaluate((select: HTMLSelectElement) => select.clientWidth)).toBeGreaterThanOrEqual(250);
        }
      } finally {
        await context.close();
      }
    });

    test('the page starts in the browser’s language (fr-CH: French)', async () => {
      const { context, page } = await open(SIZES[0], 'fr-CH');
      try {
        expect(await page.locator('h1').innerText()).toBe(WORDS.fr.h1);
        expect(await page.locator('#language').inputValue()).toBe('fr');
      } finally {
        await context.close();
      }
    });

    test('no request left 127.0.0.1', () => {
      expect(requested.length).toBeGreaterThan(0);
      expect(requested.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    });

    test("everything above ran under the page's Content-Security-Policy: the browser refused nothing", () => {
      expect(violations).toEqual([]);
    });
  });
});
