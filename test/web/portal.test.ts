/**
 * The partner portal (/partner) and the network dashboard (/admin) in Chromium, through the real
 * gateway over the demo directory: every figure and answer the pages show is compared with the API's
 * own answer to the same question. axe-core (from node_modules, injected into the page) scans each
 * signed-in page. Screenshots go to test-output/; UPDATE_DOCS_SCREENSHOTS=1 also copies them to docs/.
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the tests skip, except under
 * REQUIRE_BROWSER=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../support/build';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';
import { injectAxe, watchPolicyViolations } from '../support/page-policy';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);
const OUTPUT = path.join(ROOT, 'test-output');
const DOCS = path.join(ROOT, 'docs');
const PARTNER = 'nordkiefer-demo'; // a distributor and support partner of the demo, DE and AT
const PROVIDER_AS = { sub: 'nordkiefer-staff', role: 'provider', provider: PARTNER } as const;

if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') {
  test('Chromium is installed (REQUIRE_BROWSER=1)', () => {
    throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${executablePath}`);
  });
}

(hasBrowser ? describe : describe.skip)('partner portal and network dashboard in Chromium', () => {
  let stack: TestStack;
  let web: Awaited<ReturnType<typeof buildWebPage>>;
  let browser: Browser;
  let context: BrowserContext;
  let apiKey: string;
  let receiver: WebhookReceiver;
  const requested: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    web = await buildWebPage();
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    receiver = await startWebhookReceiver();
    // Webhooks may reach the test's receiver on the loopback.
    stack = await startTestStack({ directory: demo, gateway: { webDir: web.dir }, webhooks: { allowedHosts: ['127.0.0.1'], pollIntervalMs: 50 } });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    // An English reader in Europe (the pages in five languages: test/web/pages-languages.test.ts).
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
      locale: 'en-GB',
      timezoneId: 'Europe/Berlin',
    });
    context.on('request', (request) => requested.push(request.url()));
    watchPolicyViolations(context, violations);
    context.on('page', (page) => page.on('dialog', (dialog) => void dialog.accept()));
    fs.mkdirSync(OUTPUT, { recursive: true });
    // The demo key of the test: an admin issues it, as the dashboard does.
    const issued = await stack.graphql(`mutation { issueApiKey(providerId: "${PARTNER}", label: "portal test") { key } }`);
    apiKey = issued.body.data.issueApiKey.key;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await receiver?.close();
    web?.remove();
  });

  const origin = () => new URL(stack.url).origin;
  const screenshot = async (page: Page, name: string) => {
    const file = path.join(OUTPUT, name);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(DOCS, name));
  };
  const asPartner = (query: string, variables?: Record<string, unknown>) => stack.graphql(query, variables, PROVIDER_AS);
  /** Money as the English (GB) page writes it: "EUR 72.50", spaces plain. */
  const money = (amount: string, currency: string) =>
    new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code' }).format(Number(amount)).replace(/[\u00a0\u202f]/g, ' ');
  const plainText = async (locator: ReturnType<Page['locator']>) => (await locator.innerText()).replace(/[\u00a0\u202f]/g, ' ');

  async function partnerPage(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin()}/partner`);
    await page.fill('#credential', apiKey);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#portal').waitFor();
    await page.locator('#offer-table').waitFor();
    return page;
  }

  /** axe-core's serious and critical findings on the page as it is now. */
  async function accessibilityProblems(page: Page) {
    await injectAxe(page);
    const results = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
    return (results.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  test('a partner signs in with its API key, changes a price, and the finder answers with the new price', async () => {
    const page = await partnerPage();
    expect(await page.locator('#who').innerText()).toContain('Nordkiefer Demo Dentalsoftware GmbH');
    const offerId = 'nordkiefer-user-support-hour';
    await page.click(`button[data-edit="${offerId}"]`);
    expect(await page.inputValue('#offer-amount')).toBe('95.00');
    await page.fill('#offer-amount', '72.50');
    await page.click('#offer-save');
    await page.locator('#offers-status.ok').waitFor();
    expect(await plainText(page.locator('#offers-status'))).toContain(`${money('72.50', 'EUR')} per hour`);

    // The finder's question for a practice in Germany, asked as that practice: the new price is in it.
    const holder = { sub: 'praxis-0001', role: 'holder', licenses: ['OC3-DEMO-0001'] };
    const { body } = await stack.graphql(
      `{ license(key: "OC3-DEMO-0001") { holder { serviceArea { providers { id offers(current: true, service: USER_SUPPORT) { id price { amount currency } unit } } } } } }`,
      {},
      holder,
    );
    const partner = body.data.license.holder.serviceArea.providers.find((p: any) => p.id === PARTNER);
    expect(partner.offers).toContainEqual({ id: offerId, price: { amount: '72.50', currency: 'EUR' }, unit: 'PER_HOUR' });
    // The page's table shows what the API stores, and the audit trail has the change, made with the key.
    expect(await plainText(page.locator('#offer-table'))).toContain(money('72.50', 'EUR'));
    await page.locator('#audit-table').getByText('saveOffer').first().waitFor();
    const trail = await asPartner(`{ auditTrail(first: 1) { edges { node { action subjectId actorKeyId } } } }`);
    expect(trail.body.data.auditTrail.edges[0].node).toMatchObject({ action: 'saveOffer', subjectId: offerId });
    expect(trail.body.data.auditTrail.edges[0].node.actorKeyId).toBeTruthy();
    await page.close();
  });

  test("the offer form's services and units, and the license status filter, are the schema's enums (introspection); currencies the API's own", async () => {
    const page = await partnerPage();
    const values = async (selector: string) => page.locator(`${selector} option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const schemaEnum = async (name: string) =>
      (await asPartner(`query ($name: String!) { __type(name: $name) { enumValues { name } } }`, { name })).body.data.__type.enumValues.map((v: any) => v.name);
    expect(await values('#offer-unit')).toEqual(await schemaEnum('PriceUnit'));
    expect(await values('#offer-service')).toEqual(await schemaEnum('ServiceKind'));
    expect(await values('#license-status')).toEqual(['', ...(await schemaEnum('LicenseStatus'))]);
    // No currency enum exists (MoneyInput.currency is an ISO 4217 code): the suggestions are its service countries' currencies.
    const { serviceAreas } = (await asPartner(`{ provider(id: "${PARTNER}") { serviceAreas { currency } } }`)).body.data.provider;
    const currencies = await values('#offer-currencies');
    for (const { currency } of serviceAreas) expect(currencies).toContain(currency);
    await page.close();
  });

  test("wrong business hours get the API's own message; right ones the API's open-now preview in the partner's time zone", async () => {
    const page = await partnerPage();
    await page.fill('#businessHours', 'Mo-Fr 25:00-17:00');
    // While typing, before any save: the API's dry run refuses the value in the reader's own words.
    await page.locator('#opening-draft.error').waitFor();
    const previewRefusal = (await asPartner(`{ openingPreview(businessHours: "Mo-Fr 25:00-17:00", timeZone: "Europe/Berlin", country: "DE") { openNow } }`))
      .body.errors[0];
    expect(previewRefusal.extensions.code).toBe('BAD_USER_INPUT');
    expect(await page.locator('#opening-draft').innerText()).toBe(previewRefusal.message);
    await page.click('#profile-form button[type="submit"]');
    await page.locator('#profile-status.error').waitFor();
    const { provider: before } = (await asPartner(`{ provider(id: "${PARTNER}") { version } }`)).body.data;
    const apiMessage = (
      await asPartner(`mutation { updateProvider(id: "${PARTNER}", version: ${before.version}, input: { businessHours: "Mo-Fr 25:00-17:00" }) { id } }`)
    ).body.errors[0];
    expect(apiMessage.extensions.code).toBe('BAD_USER_INPUT');
    expect(await page.locator('#profile-status').innerText()).toBe(apiMessage.message);

    await page.fill('#businessHours', 'Mo-Sa 07:00-19:00');
    await page.fill('#timeZone', 'Europe/Vienna');
    // The dry run's preview before saving: nothing is stored by it.
    await page.locator('#opening-draft', { hasText: /^Not saved yet; with these hours practices would see.*\(Europe\/Vienna\)\.$/ }).waitFor();
    const draft = await page.locator('#opening-draft').innerText();
    const unsaved = (await asPartner(`{ provider(id: "${PARTNER}") { businessHours timeZone } }`)).body.data.provider;
    expect(unsaved.businessHours).not.toBe('Mo-Sa 07:00-19:00');
    await page.click('#profile-form button[type="submit"]');
    await page.locator('#profile-status.ok').waitFor();
    const { provider } = (await asPartner(`{ provider(id: "${PARTNER}") { businessHours timeZone openNow nextOpening } }`)).body.data;
    expect(provider).toMatchObject({ businessHours: 'Mo-Sa 07:00-19:00', timeZone: 'Europe/Vienna' });
    const preview = await page.locator('#opening-preview').innerText();
    // The dry run said what the saved hours now say (same rules, openingPreview and openNow).
    expect(draft).toBe(preview.replace('Practices see', 'Not saved yet; with these hours practices would see'));
    if (provider.openNow === true) expect(preview).toBe('Practices see: Open now (Europe/Vienna).');
    else {
      const at = new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'Europe/Vienna',
      }).format(new Date(provider.nextOpening));
      expect(preview).toBe(`Practices see: Closed, opens ${at} (Europe/Vienna).`);
    }
    await page.close();
  });

  test('a change made meanwhile in a second tab is shown as a conflict with both versions, and is not overwritten', async () => {
    const offerId = 'nordkiefer-training-day';
    const first = await partnerPage();
    const second = await partnerPage();
    await first.click(`button[data-edit="${offerId}"]`);
    await second.click(`button[data-edit="${offerId}"]`);
    await second.fill('#offer-amount', '910.00');
    await second.click('#offer-save');
    await second.locator('#offers-status.ok').waitFor();

    await first.fill('#offer-amount', '870.00');
    await first.click('#offer-save');
    const conflict = first.locator('#offer-conflict .conflict');
    await conflict.waitFor();
    const { offers } = (await asPartner(`{ provider(id: "${PARTNER}") { offers { id version price { amount } } } }`)).body.data.provider;
    const stored = offers.find((o: any) => o.id === offerId);
    expect(stored.price.amount).toBe('910.00'); // never overwritten
    expect(await plainText(first.locator('#conflict-mine'))).toContain(money('870.00', 'EUR'));
    expect(await first.locator('#conflict-mine').innerText()).toContain(`based on version ${stored.version - 1}`);
    expect(await plainText(first.locator('#conflict-stored'))).toContain(money('910.00', 'EUR'));
    expect(await first.locator('#conflict-stored').innerText()).toContain(`version ${stored.version}`);
    // Continuing takes the stored version into the form.
    await first.click('#conflict-load-stored');
    await first.locator('#offer-form-heading', { hasText: `(version ${stored.version})` }).waitFor();
    expect(await first.inputValue('#offer-amount')).toBe('910.00');
    await first.close();
    await second.close();
  });

  test('the partner sees where it ranks in every service country and topic, with the routing explanation, as the API ranks it', async () => {
    const page = await partnerPage();
    await page.click('#found-load');
    // Austria too, where none of its licenses is: the ranking does not need one.
    for (const country of ['DE', 'AT']) await page.locator(`table[data-country="${country}"]`).waitFor();
    const { body } = await asPartner(
      `{ routingStanding(providerId: "${PARTNER}") { places { country holderLanguage topic { name } openRanking { position total explanation } ownHolders { position total explanation } } } }`,
    );
    const places = body.data.routingStanding.places;
    expect(places.map((p: any) => p.country)).toContain('AT');
    for (const country of ['DE', 'AT']) {
      // Each explanation is folded in a <details>: its text is read whole, as the API words it.
      const shown = await page
        .locator(`table[data-country="${country}"] tbody tr`)
        .evaluateAll((rows) =>
          rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => (cell.querySelector('.explanation') ?? cell).textContent!.trim()).join('\t')),
        );
      const expected = places
        .filter((p: any) => p.country === country)
        .map((p: any) =>
          [
            p.topic.name,
            `${p.openRanking.position} of ${p.openRanking.total}`,
            p.openRanking.explanation,
            `${p.ownHolders.position} of ${p.ownHolders.total}`,
            p.ownHolders.explanation,
          ].join('\t'),
        );
      expect(shown).toEqual(expected);
      expect(shown.length).toBe(11 + 2); // Level 0 topics (distributor) and user support + training (partner)
    }
    // The same rules as supportContact: a German holder without a designated partner (OC3-DEMO-0002) is told the same ranking for training.
    const training = (await page.locator('table[data-country="DE"] tbody tr', { hasText: 'Training' }).innerText()).split('\t').map((cell) => cell.trim());
    const contact = (await stack.graphql(`{ supportContact(licenseKey: "OC3-DEMO-0002", topic: "training") { contacts { id } } }`)).body.data.supportContact;
    const place = contact.contacts.findIndex((c: any) => c.id === PARTNER) + 1;
    expect(training[1]).toBe(`${place} of ${contact.contacts.length}`);
    // Another holders' language asks again.
    await page.selectOption('#found-language', 'fr');
    await page.click('#found-load');
    await page.locator('table[data-country="DE"] caption', { hasText: 'Germany: practices working in French' }).waitFor();
    await page.close();
  });

  test('a reseller pages through its licenses (next and previous page) and searches them, page by page as the API pages them', async () => {
    // Twelve more customers of the partner, registered by the partner itself (it becomes the vendor): two pages of ten.
    const year = new Date().getFullYear();
    const input = Array.from({ length: 12 }, (_, i) => ({
      key: `OC3-PAGE-${String(i + 1).padStart(2, '0')}`,
      packageName: 'OnyxCeph³ Lab',
      type: 'WORKSTATION',
      programVersion: '3.2',
      holder: { name: `Seitenpraxis ${String(i + 1).padStart(2, '0')}`, country: 'DE', language: 'de' },
      maintenancePaidThrough: `${year}-12-31`,
    }));
    const registered = await asPartner(`mutation ($input: [LicenseRegistrationInput!]!) { registerLicenses(input: $input) { key } }`, { input });
    expect(registered.body.errors).toBeUndefined();

    /** The keys of a page as the API gives them to the partner. */
    const apiPage = async (search: string | null, after: string | null) => {
      const { body } = await asPartner(
        `query ($search: String, $after: String) { licenses(first: 10, after: $after, search: $search) { totalCount pageInfo { endCursor } edges { node { key } } } }`,
        { search, after },
      );
      return { ...body.data.licenses, keys: body.data.licenses.edges.map((e: any) => e.node.key) };
    };
    const shownKeys = async (page: Page) => (await page.locator('#license-table tbody tr td:first-child').allInnerTexts()).map((k) => k.trim());

    const page = await partnerPage();
    const first = await apiPage(null, null);
    expect(first.totalCount).toBe(13);
    await page.locator('#license-table caption', { hasText: `Licenses 1–10 of ${first.totalCount}` }).waitFor();
    expect(await shownKeys(page)).toEqual(first.keys);
    expect(await page.locator('#licenses-prev').isHidden()).toBe(true);
    await page.click('#licenses-next');
    await page.locator('#license-table caption', { hasText: `Licenses 11–13 of ${first.totalCount}` }).waitFor();
    expect(await shownKeys(page)).toEqual((await apiPage(null, first.pageInfo.endCursor)).keys);
    expect(await page.locator('#licenses-next').isHidden()).toBe(true);
    await page.click('#licenses-prev');
    await page.locator('#license-table caption', { hasText: `Licenses 1–10 of ${first.totalCount}` }).waitFor();
    expect(await shownKeys(page)).toEqual(first.keys);

    // A search starts again at its first page, and pages on within its matches.
    await page.fill('#license-text', 'SEITENPRAXIS');
    await page.click('#license-search button[type="submit"]');
    const found = await apiPage('SEITENPRAXIS', null);
    expect(found.totalCount).toBe(12);
    await page.locator('#license-table caption', { hasText: 'Licenses 1–10 of 12 matching “SEITENPRAXIS”' }).waitFor();
    expect(await shownKeys(page)).toEqual(found.keys);
    await page.click('#licenses-next');
    await page.locator('#license-table caption', { hasText: 'Licenses 11–12 of 12 matching “SEITENPRAXIS”' }).waitFor();
    expect(await shownKeys(page)).toEqual((await apiPage('SEITENPRAXIS', found.pageInfo.endCursor)).keys);
    await page.close();
  });

  test('a reseller searches its licenses and downloads its maintenance statement as CSV, as the API computes it', async () => {
    const page = await partnerPage();
    await page.locator('#license-table').waitFor();
    await page.fill('#license-text', 'zahnarztpraxis');
    await page.click('#license-search button[type="submit"]');
    await page.locator('#license-table caption', { hasText: 'of 1 matching “zahnarztpraxis”' }).waitFor();
    expect(await page.locator('#license-table tbody').innerText()).toContain('OC3-DEMO-0001');
    await page.fill('#license-text', 'no such practice');
    await page.click('#license-search button[type="submit"]');
    await page.locator('#license-table caption', { hasText: 'No license matching “no such practice”.' }).waitFor();

    const year = new Date().getFullYear();
    await page.fill('#statement-year', String(year));
    await page.click('#statement-form button[type="submit"]');
    await page.locator('#statement-table').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download statement (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`maintenance-statement-${PARTNER}-${year}.csv`);
    const file = fs.readFileSync((await download.path())!, 'utf8');
    // A byte order mark, so that a spreadsheet reads UTF-8 (web/common/csv.ts); commas for an English reader.
    expect(file.startsWith('\uFEFF')).toBe(true);
    const csv = file.slice(1);
    const { body } = await asPartner(
      `query ($year: Int!) { resellerStatement(providerId: "${PARTNER}", year: $year) { lines { licenseKey year customerCountry net { amount } vatRate vat { amount } gross { amount currency } reverseCharge billedBy { name } } remitToManufacturer { amount currency } } }`,
      { year },
    );
    const lines = body.data.resellerStatement.lines;
    expect(lines.length).toBeGreaterThan(0);
    const expected = [
      'licenseKey,year,customerCountry,net,vatRate,vat,gross,currency,reverseCharge,billedBy',
      ...lines.map((l: any) =>
        [
          l.licenseKey,
          l.year,
          l.customerCountry,
          l.net.amount,
          l.vatRate,
          l.vat.amount,
          l.gross.amount,
          l.gross.currency,
          l.reverseCharge,
          /[",]/.test(l.billedBy.name) ? `"${l.billedBy.name.replace(/"/g, '""')}"` : l.billedBy.name,
        ].join(','),
      ),
    ];
    expect(csv.trimEnd().split('\r\n')).toEqual(expected);
    const remit = body.data.resellerStatement.remitToManufacturer;
    expect(await plainText(page.locator('#statement-remit'))).toBe(`You remit ${money(remit.amount, remit.currency)} (net) to the manufacturer for ${year}.`);
    await page.close();
  });

  test('a webhook endpoint disabled by a 410 Gone shows as disabled with its reason and its held delivery; "Enable again" sends what waited', async () => {
    receiver.answerWith(410);
    const registered = await stack.graphql(
      `mutation ($url: String!) { registerWebhookEndpoint(providerId: "${PARTNER}", url: $url, events: [LICENSE_REGISTERED]) { endpoint { id } } }`,
      { url: receiver.url },
    );
    const endpointId = registered.body.data.registerWebhookEndpoint.endpoint.id;
    const license = await asPartner(`mutation ($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key } }`, {
      input: {
        key: `OC3-HOOK-${Date.now()}`,
        packageName: 'OnyxCeph³ 3D Pro',
        type: 'WORKSTATION',
        programVersion: '3.2',
        holder: { name: 'Praxis Webhook', country: 'DE', language: 'de', vatId: null },
        vendorId: PARTNER,
      },
    });
    expect(license.body.errors).toBeUndefined();
    await eventually('the endpoint disabled', async () => {
      const { body } = await asPartner(`{ webhookEndpoints(providerId: "${PARTNER}") { id enabled } }`);
      return body.data.webhookEndpoints.find((e: any) => e.id === endpointId)?.enabled === false;
    });
    const page = await partnerPage();
    const row = page.locator('#webhook-table tbody tr', { hasText: receiver.url });
    await row.waitFor();
    // When, in the reader's time zone as en-GB writes it.
    const { disabledAt } = (await asPartner(`{ webhookEndpoints(providerId: "${PARTNER}") { id disabledAt } }`)).body.data.webhookEndpoints.find(
      (e: any) => e.id === endpointId,
    );
    const since = await page.evaluate(
      (at) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'long', timeZone: 'Europe/Berlin' }).format(new Date(at)),
      disabledAt,
    );
    expect(await row.innerText()).toContain(`Disabled since ${since}: the endpoint answered 410 Gone`);
    expect(await row.innerText()).toMatch(/1 failed attempt, last answer 410/);
    // Retry now waits for the endpoint to be enabled; skip is offered.
    expect(await row.getByRole('button', { name: 'Retry now' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Skip' }).count()).toBe(1);
    receiver.answerWith(200);
    await row.getByRole('button', { name: 'Enable again' }).click();
    await page.locator('#webhooks-status', { hasText: 'enabled again' }).waitFor();
    await eventually('the waiting delivery', () => receiver.received.length === 2);
    await page.locator('#webhook-table tbody tr', { hasText: receiver.url }).filter({ hasText: 'Enabled' }).waitFor();
    expect(receiver.received.map((h) => h.status)).toEqual([410, 200]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  test('for a German reader the statement CSV is separated by semicolons, and a license key that looks like a formula comes out as text', async () => {
    // A license key can be any text: one a spreadsheet would run as a formula.
    const key = `=cmd|' /C calc'!A0 ${Date.now()}`;
    const registered = await asPartner(`mutation ($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key } }`, {
      input: {
        key,
        packageName: 'OnyxCeph³ 3D Pro',
        type: 'WORKSTATION',
        programVersion: '3.2',
        holder: { name: 'Zahnärzte Müller', country: 'DE', language: 'de', vatId: null },
        vendorId: PARTNER,
        maintenancePaidThrough: `${new Date().getFullYear()}-12-31`,
      },
    });
    expect(registered.body.errors).toBeUndefined();
    const german = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', acceptDownloads: true });
    // The page is German for this reader (its words: test/web/pages-languages.test.ts).
    german.on('page', (p) => p.on('dialog', (dialog) => void dialog.accept()));
    watchPolicyViolations(german, violations);
    try {
      const page = await german.newPage();
      await page.goto(`${origin()}/partner`);
      await page.fill('#credential', apiKey);
      await page.click('#sign-in button[type="submit"]');
      await page.locator('#portal').waitFor();
      const year = new Date().getFullYear();
      await page.fill('#statement-year', String(year));
      await page.click('#statement-form button[type="submit"]');
      await page.locator('#statement-table').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Abrechnung herunterladen (CSV)' }).click()]);
      const bytes = fs.readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe('licenseKey;year;customerCountry;net;vatRate;vat;gross;currency;reverseCharge;billedBy');
      // Prefixed with a single quote: a spreadsheet shows the key as text and runs nothing.
      const line = lines.find((l) => l.startsWith(`'${key};`));
      expect(line).toBeDefined();
      expect(line!.split(';')).toHaveLength(10);
      expect(lines.every((l) => !/^[=+\-@]/.test(l))).toBe(true);
    } finally {
      await german.close();
    }
  });

  test('a partner states its response times per category it serves; a wrong one gets the API’s own words; the routing answer has them', async () => {
    const page = await partnerPage();
    // One field per category its roles serve, as the API says, filled with what the demo states.
    const { body } = await asPartner(`{ provider(id: "${PARTNER}") { firstResponseCategories firstResponseCommitments { category businessHours } } }`);
    const { firstResponseCategories, firstResponseCommitments } = body.data.provider;
    expect(await page.locator('#response-fields input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).dataset.category))).toEqual(
      firstResponseCategories,
    );
    for (const { category, businessHours } of firstResponseCommitments) expect(await page.inputValue(`#response-${category}`)).toBe(String(businessHours));

    await page.fill('#response-TECHNICAL_SUPPORT', '0.1');
    await page.click('#response-save');
    await page.locator('#response-status.error').waitFor();
    const refusal = await asPartner(
      `mutation { updateProvider(id: "${PARTNER}", version: ${(await asPartner(`{ provider(id: "${PARTNER}") { version } }`)).body.data.provider.version}, input: { firstResponseCommitments: [{ category: TECHNICAL_SUPPORT, businessHours: 0.1 }, { category: USER_SUPPORT, businessHours: 8 }] }) { id } }`,
    );
    expect(await page.locator('#response-status').innerText()).toBe(refusal.body.errors[0].message);

    await page.fill('#response-TECHNICAL_SUPPORT', '2.5');
    await page.fill('#response-USER_SUPPORT', '');
    await page.click('#response-save');
    await page.locator('#response-status.ok').waitFor();
    const stored = await asPartner(`{ provider(id: "${PARTNER}") { firstResponseCommitments { category businessHours } } }`);
    expect(stored.body.data.provider.firstResponseCommitments).toEqual([{ category: 'TECHNICAL_SUPPORT', businessHours: 2.5 }]);
    // The practice that bought from this partner is told the new commitment.
    const holder = { sub: 'praxis-0001', role: 'holder', licenses: ['OC3-DEMO-0001'] };
    const answer = await stack.graphql(
      `{ supportContact(licenseKey: "OC3-DEMO-0001", topic: "server-installation") { firstResponses { provider { id } businessHours } } }`,
      {},
      holder,
    );
    expect(answer.body.data.supportContact.firstResponses[0]).toEqual({ provider: { id: PARTNER }, businessHours: 2.5 });
    await page.locator('#audit-table').getByText('updateProvider').first().waitFor();
    await page.close();
  });

  test('the partner portal has no serious or critical accessibility violation', async () => {
    const signIn = await context.newPage();
    await signIn.goto(`${origin()}/partner`);
    await signIn.fill('#credential', 'not-a-key');
    await signIn.click('#sign-in button[type="submit"]');
    await signIn.locator('#sign-in-status.error').waitFor();
    expect(await accessibilityProblems(signIn)).toEqual([]);
    await signIn.close();
    const page = await partnerPage();
    await page.click('#found-load');
    await page.locator('table[data-country="DE"]').waitFor();
    await page.click('#statement-form button[type="submit"]');
    await page.locator('#statement-table').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'partner.png');
    await page.close();
  });

  async function adminPage(token: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin()}/admin`);
    await page.fill('#credential', token);
    await page.click('#sign-in button[type="submit"]');
    return page;
  }

  test('a provider is refused the dashboard', async () => {
    const page = await adminPage(await tokenFor(PROVIDER_AS));
    await page.locator('#sign-in-status.error').waitFor();
    expect(await page.locator('#sign-in-status').innerText()).toContain("for the manufacturer's admins only");
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    // A holder is refused by the API itself (apiKeys is admins only).
    const holder = await adminPage(await tokenFor({ sub: 'praxis', role: 'holder', licenses: ['OC3-DEMO-0001'] }));
    await holder.locator('#sign-in-status.error').waitFor();
    expect(await holder.locator('#sign-in-status').innerText()).toMatch(/^Refused: .*admin/);
    expect(await holder.locator('#dashboard').isHidden()).toBe(true);
    await page.close();
    await holder.close();
  });

  const tableRows = (page: Page, figure: string) =>
    page
      .locator(`table[data-figure="${figure}"] tbody tr`)
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/[\u00a0\u202f]/g, ' '))));
  /** The API's codes as the English page words them (written here, not taken from the page). */
  const WORDS: Record<string, string> = {
    ACTIVE: 'Active',
    SUSPENDED: 'Suspended',
    EXPIRED: 'Expired',
    SOFTWARE_MAINTENANCE: 'Software maintenance',
    TECHNICAL_SUPPORT: 'Technical support',
    USER_SUPPORT: 'User support and training',
    ONE_TIME: 'once',
    ANNUAL: 'per year',
    PER_HOUR: 'per hour',
    PER_DAY: 'per day',
    PER_PARTICIPANT: 'per participant',
  };
  const region = new Intl.DisplayNames(['en-GB'], { type: 'region' });
  const drawn = async (page: Page, figure: string) => Number(await page.locator(`#${figure} canvas`).getAttribute('data-drawn'));

  test("an admin sees each chart with its table, whose figures are the API's", async () => {
    const page = await adminPage(await tokenFor({ sub: 'support-manager', role: 'admin' }));
    await page.locator('#dashboard').waitFor();
    await page.locator('table[data-figure="gaps"]').waitFor();
    // Every figure drawn: the dashboard is no longer busy.
    await page.locator('#dashboard:not([aria-busy])').waitFor();
    expect(await page.locator('#filters-status').innerText()).toBe('');

    // The filters' choices are the schema's enums.
    const enumOf = async (name: string) =>
      (await stack.graphql(`{ __type(name: "${name}") { enumValues { name } } }`)).body.data.__type.enumValues.map((v: any) => v.name);
    const options = (id: string) => page.locator(`#${id} option`).evaluateAll((list) => list.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(await options('filter-status')).toEqual(await enumOf('LicenseStatus'));
    expect(await options('filter-category')).toEqual(await enumOf('SupportCategoryId'));
    expect(await options('filter-service')).toEqual(await enumOf('ServiceKind'));
    expect(await options('filter-unit')).toEqual(await enumOf('PriceUnit'));

    const api = async (query: string) => (await stack.graphql(query)).body.data;
    const byCountry = (await api(`{ licenseStats(groupBy: [COUNTRY, STATUS]) { country status count } }`)).licenseStats;
    expect(await tableRows(page, 'licenses-by-country')).toEqual(byCountry.map((b: any) => [region.of(b.country), WORDS[b.status], String(b.count)]));
    expect(await drawn(page, 'licenses-by-country')).toBeGreaterThan(0);

    const paid = (await api(`{ licenseStats(groupBy: [MAINTENANCE_PAID]) { maintenancePaid count } }`)).licenseStats;
    const count = (value: boolean) => String(paid.find((b: any) => b.maintenancePaid === value)?.count ?? 0);
    expect(await tableRows(page, 'maintenance')).toEqual([
      ['In force (paid through today)', count(true)],
      ['Lapsed', count(false)],
    ]);
    expect(await drawn(page, 'maintenance')).toBe(2);

    const load = (await api(`{ routingLoad { buckets { category provider { name } licenses } } }`)).routingLoad.buckets;
    expect(await tableRows(page, 'routing-load')).toEqual(
      load.map((b: any) => [WORDS[b.category], b.provider?.name ?? 'none: the holder chooses among partners', String(b.licenses)]),
    );
    expect(await drawn(page, 'routing-load')).toBe(load.length);

    const service = await page.inputValue('#filter-service');
    const prices = (await api(`{ priceStats(service: ${service}, groupBy: [UNIT]) { currency unit count min { amount } median { amount } max { amount } } }`))
      .priceStats;
    expect(prices.length).toBeGreaterThan(0);
    /** A price bucket as the table shows it: its unit in words, its money as en-GB writes it. */
    const priceRow = (b: any) => [b.currency, WORDS[b.unit], String(b.count), ...[b.min, b.median, b.max].map((m) => money(m.amount, b.currency))];
    expect(await tableRows(page, 'prices')).toEqual(prices.map(priceRow));

    // A filter narrows the figures to the API's answer for that choice.
    await page.selectOption('#filter-category', 'USER_SUPPORT');
    await page.selectOption('#filter-service', 'USER_SUPPORT');
    await page.click('#filters button[type="submit"]');
    await page.locator('#routing-load caption', { hasText: 'First contacts for User support and training' }).waitFor();
    await page.locator('#dashboard:not([aria-busy])').waitFor();
    const userLoad = (await api(`{ routingLoad(category: USER_SUPPORT) { buckets { category provider { name } licenses } } }`)).routingLoad.buckets;
    expect(await tableRows(page, 'routing-load')).toEqual(
      userLoad.map((b: any) => [WORDS[b.category], b.provider?.name ?? 'none: the holder chooses among partners', String(b.licenses)]),
    );
    await page.locator('#prices caption', { hasText: 'Current prices for User support,' }).waitFor();
    const userPrices = (
      await api(`{ priceStats(service: USER_SUPPORT, groupBy: [UNIT]) { currency unit count min { amount } median { amount } max { amount } } }`)
    ).priceStats;
    expect(await tableRows(page, 'prices')).toEqual(userPrices.map(priceRow));

    // Countries served without a support partner: each one's service area has none.
    const served: string[] = (await api(`{ providers { serviceCountries } }`)).providers.flatMap((p: any) => p.serviceCountries);
    const gaps = (await tableRows(page, 'gaps')).map(([name]) => served.find((code) => region.of(code) === name));
    for (const country of gaps) {
      const area = (await api(`{ serviceArea(country: "${country}") { providers { active roles } } }`)).serviceArea;
      expect(area.providers.filter((p: any) => p.active && p.roles.includes('SUPPORT_PARTNER') && !p.roles.includes('MANUFACTURER'))).toEqual([]);
    }
    expect(gaps).toContain('US'); // the demo's manufacturer serves the US, no partner does

    // The CSV of a chart is its table.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#routing-load button', { hasText: 'CSV' }).click()]);
    const csv = fs
      .readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('Category,First contact,Licenses in force');
    expect(csv.slice(1).map((line) => line.split(',').at(-1))).toEqual(userLoad.map((b: any) => String(b.licenses)));

    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'admin.png');
    await page.close();
  });

  test('response times: the spread per category and who states none, as the directory has them; the admin sets the manufacturer’s', async () => {
    const page = await adminPage(await tokenFor({ sub: 'support-manager', role: 'admin' }));
    await page.locator('table[data-figure="response-times"]').waitFor();
    const { body } = await stack.graphql(
      `{ providers(active: true) { id name roles firstResponseCategories firstResponseCommitments { category businessHours } } }`,
    );
    const active: any[] = body.data.providers;
    const expected = [...new Set(active.flatMap((p) => p.firstResponseCategories as string[]))].sort().map((category) => {
      const serving = active.filter((p) => p.firstResponseCategories.includes(category));
      const hours = serving
        .flatMap((p) => p.firstResponseCommitments.filter((c: any) => c.category === category).map((c: any) => c.businessHours))
        .sort((a, b) => a - b);
      const middle = hours.length % 2 ? hours[(hours.length - 1) / 2] : (hours[hours.length / 2 - 1] + hours[hours.length / 2]) / 2;
      return [WORDS[category], serving.length, hours.length, hours[0], middle, hours.at(-1)].map(String);
    });
    expect(await tableRows(page, 'response-times')).toEqual(expected);
    expect(await drawn(page, 'response-times')).toBeGreaterThan(0);
    const none = active.flatMap((p) =>
      p.firstResponseCategories.filter((c: string) => !p.firstResponseCommitments.some((s: any) => s.category === c)).map(() => p.name),
    );
    expect(none.length).toBeGreaterThan(0);
    expect((await tableRows(page, 'response-missing')).map((row) => row[0])).toEqual(none);

    await page.fill('#manufacturer-response-TECHNICAL_SUPPORT', '6');
    await page.click('#manufacturer-response-form button[type="submit"]');
    await page.locator('#manufacturer-response-status.ok').waitFor();
    const maker = await stack.graphql(`{ providers(role: MANUFACTURER) { firstResponseCommitments { category businessHours } } }`);
    expect(maker.body.data.providers[0].firstResponseCommitments).toContainEqual({ category: 'TECHNICAL_SUPPORT', businessHours: 6 });
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  test('an admin issues an API key (shown once) and revokes it from the dashboard', async () => {
    const page = await adminPage(await tokenFor({ sub: 'support-manager', role: 'admin' }));
    await page.locator('#key-table').waitFor();
    await page.selectOption('#key-provider', 'mundwerk-demo');
    await page.locator('#key-table caption', { hasText: 'mundwerk-demo' }).waitFor();
    await page.fill('#key-label', 'Booking system');
    await page.click('#key-form button[type="submit"]');
    const key = await page.locator('#new-key').innerText();
    // The key works as that provider...
    const viewer = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect((await viewer.json()).data.viewer.id).toBe('mundwerk-demo');
    const keys = (await stack.graphql(`{ apiKeys(providerId: "mundwerk-demo") { id label revokedAt } }`)).body.data.apiKeys;
    const issued = keys.find((k: any) => k.label === 'Booking system');
    // ...is listed without itself, and is revoked from the page.
    expect(await page.locator('#key-table').innerText()).not.toContain(key);
    await page.click(`button[data-revoke="${issued.id}"]`);
    await page.locator('#keys-status.ok').waitFor();
    const after = (await stack.graphql(`{ apiKeys(providerId: "mundwerk-demo") { id revokedAt } }`)).body.data.apiKeys.find((k: any) => k.id === issued.id);
    expect(after.revokedAt).toBeTruthy();
    const refused = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(refused.status).toBe(401);
    await page.close();
  });

  test('no request left 127.0.0.1', () => {
    expect(requested.length).toBeGreaterThan(0);
    const elsewhere = requested.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
    expect(elsewhere).toEqual([]);
  });

  test("everything above ran under the pages' Content-Security-Policy (charts included): the browser refused nothing", () => {
    expect(violations).toEqual([]);
  });
});
