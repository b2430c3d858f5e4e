/**
 * The partner portal (/partner) and the network dashboard (/admin) in German and Polish browsers
 * (Debian's Chromium, playwright-core, browser locale de-DE / pl-PL) against the whole product on the
 * demo directory: the page takes the browser's language; `<html lang>` follows; headings and labels,
 * the sign-in, chart labels, legends and axes are in that language; dates, numbers and money are
 * written for the locale; the API is asked in it (Accept-Language) and its sentences (the routing
 * explanations and topic names of "How practices find you") come back in it; the language menu
 * switches the page and is remembered across a reload; a Polish count takes its Polish plural form;
 * axe-core finds no serious or critical violation, and the pages' Content-Security-Policy refuses
 * nothing. A partner sets its first-response commitment in German and it is saved, read back through
 * the API. The catalogues themselves: test/rules/page-catalogues.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../support/build';
import { startTestStack, tokenFor, type TestStack } from '../support/stack';
import { buildWebPage } from '../support/web-build';
import { injectAxe, watchPolicyViolations } from '../support/page-policy';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);
const OUTPUT = path.join(ROOT, 'test-output');

/** A German distributor and support partner (DE, AT), and a Polish distributor (PL), of the demo. */
const GERMAN_PARTNER = 'nordkiefer-demo';
const POLISH_PARTNER = 'wisla-demo';
const ADMIN = { sub: 'support-manager', role: 'admin' } as const;

/** Intl separates with no-break spaces; compared as plain spaces. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const money = (locale: string, amount: string, currency: string) =>
  spaced(new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(Number(amount)));
const day = (locale: string, date: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

/** Polish plural forms, written here from the grammar (not from the page's catalogue): 1, 2–4 but not 12–14, the rest. */
const polishChanges = (n: number) =>
  n === 1
    ? '1 zarejestrowana zmiana'
    : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)
      ? `${n} zarejestrowane zmiany`
      : `${n} zarejestrowanych zmian`;

if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') {
  test('Chromium is installed (REQUIRE_BROWSER=1)', () => {
    throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${executablePath}`);
  });
}

(hasBrowser ? describe : describe.skip)('partner portal and network dashboard in German and Polish', () => {
  let stack: TestStack;
  let web: Awaited<ReturnType<typeof buildWebPage>>;
  let browser: Browser;
  const keys: Record<string, string> = {};
  // What the pages' Content-Security-Policy refused while they worked in these languages: nothing.
  const violations: string[] = [];

  beforeAll(async () => {
    web = await buildWebPage();
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'seed', 'demo-directory.json'), 'utf8'));
    stack = await startTestStack({ directory: demo, gateway: { webDir: web.dir } });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(OUTPUT, { recursive: true });
    for (const provider of [GERMAN_PARTNER, POLISH_PARTNER]) {
      const issued = await stack.graphql(`mutation { issueApiKey(providerId: "${provider}", label: "languages test") { key } }`);
      keys[provider] = issued.body.data.issueApiKey.key;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    web?.remove();
  });

  /** The API's answer in a language, as a provider (its key) or an admin. */
  async function apiIn(language: string, query: string, as: { apiKey: string } | typeof ADMIN) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': language };
    if ('apiKey' in as) headers['x-api-key'] = as.apiKey;
    else headers.authorization = `Bearer ${await tokenFor(as)}`;
    const response = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  /** A page in a fresh browser of that locale, and the Accept-Language of every question it asks the API. */
  async function open(locale: string, timezoneId: string, pathname: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale, timezoneId });
    watchPolicyViolations(context, violations);
    context.on('page', (p) => p.on('dialog', (dialog) => void dialog.accept()));
    const askedIn: string[] = [];
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') askedIn.push(request.headers()['accept-language']);
    });
    const page = await context.newPage();
    await page.goto(`${new URL(stack.url).origin}${pathname}`);
    await page.locator('#sign-in-heading:not(:empty)').waitFor();
    return { page, askedIn };
  }

  async function signInPartner(page: Page, provider: string) {
    await page.fill('#credential', keys[provider]);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#portal').waitFor();
    await page.locator('#audit-table').waitFor();
  }

  async function signInAdmin(page: Page) {
    await page.fill('#credential', await tokenFor(ADMIN));
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#dashboard').waitFor();
    await page.locator('#dashboard:not([aria-busy])').waitFor();
    await page.locator('table[data-figure="response-times"]').waitFor();
  }

  async function accessibilityProblems(page: Page) {
    await injectAxe(page);
    const results = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
    return (results.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  const text = async (page: Page, selector: string) => spaced(await page.locator(selector).innerText());
  const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
  const cells = (page: Page, rowSelector: string) =>
    page.locator(rowSelector).evaluate((row) => [...row.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ')));
  /** What a chart drew in words: its labels, its legend and its axes' titles (web/admin/main.ts `figure`). */
  const chartWords = async (page: Page, section: string) =>
    JSON.parse((await page.locator(`#${section} canvas`).getAttribute('data-words'))!) as { labels: string[]; legend: string[]; axes: string[] };

  /** The ranking the page shows per country and topic, against routingStanding asked in `language`. */
  async function rankingAsTheApiWordsIt(page: Page, language: string, provider: string, country: string) {
    const { routingStanding } = await apiIn(
      language,
      `{ routingStanding(providerId: "${provider}") { places { country topic { name } openRanking { explanation } ownHolders { explanation } } } }`,
      { apiKey: keys[provider] },
    );
    const places = routingStanding.places.filter((p: any) => p.country === country);
    const shown = await page
      .locator(`table[data-country="${country}"] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => (cell.querySelector('.explanation') ?? cell).textContent!.trim())),
      );
    expect(shown.map((row) => [row[0], row[2], row[4]])).toEqual(places.map((p: any) => [p.topic.name, p.openRanking.explanation, p.ownHolders.explanation]));
    return places;
  }

  test('the portal in German: labels, sign-in, money and dates for de-DE, the API’s explanations in German; a response time set and saved', async () => {
    const { page, askedIn } = await open('de-DE', 'Europe/Berlin', '/partner');
    expect(await htmlLang(page)).toBe('de');
    expect(await page.inputValue('#language')).toBe('de');
    expect(await text(page, 'h1')).toBe('OnyxCeph³ Partnerportal');
    expect(await page.title()).toBe('OnyxCeph³ Partnerportal');
    expect(await text(page, '#sign-in-heading')).toBe('Anmelden');
    expect(await text(page, 'label[for="credential"]')).toBe('Schlüssel oder Token');
    expect(await text(page, 'label[for="kind-key"]')).toBe('API-Schlüssel');
    await page.click('#sign-in button[type="submit"]');
    expect(await text(page, '#sign-in-status')).toBe('Geben Sie Ihren API-Schlüssel oder Ihr Token ein.');
    expect(await accessibilityProblems(page)).toEqual([]);

    await signInPartner(page, GERMAN_PARTNER);
    expect(await text(page, '#who')).toBe('Angemeldet als Nordkiefer Demo Dentalsoftware GmbH (nordkiefer-demo; Händler, Supportpartner).');
    expect(await text(page, '#profile-heading')).toBe('Profil');
    expect(await text(page, '#offers-heading')).toBe('Angebote');
    expect(await text(page, 'label[for="businessHours"]')).toBe('Geschäftszeiten (z. B. Mo-Fr 08:00-17:00; PH off)');
    expect(await text(page, '#response-heading')).toBe('Antwortzeiten');
    expect(await text(page, 'label[for="response-TECHNICAL_SUPPORT"]')).toBe('Technischer Support (Geschäftsstunden)');
    expect(await page.locator('#offer-service option').allInnerTexts()).toContain('Anwendersupport');

    // Money as de-DE writes it: "95,00 EUR" (the API's "95.00" EUR), with the unit in German.
    const offer = await cells(page, '#offer-table tbody tr:has(button[data-edit="nordkiefer-user-support-hour"])');
    expect(offer.slice(0, 4)).toEqual(['Anwendersupport', 'User support by phone or remote session', '95,00 EUR', 'pro Stunde']);
    expect(offer[2]).toBe(money('de-DE', '95.00', 'EUR'));

    // A date and a country as de-DE writes them: the license's maintenance, paid through 2026-12-31.
    await page.locator('#license-table').waitFor();
    const license = await cells(page, '#license-table tbody tr:has-text("OC3-DEMO-0001")');
    const { licenses } = await apiIn('de', `{ licenses(search: "OC3-DEMO-0001") { edges { node { maintenancePaidThrough } } } }`, {
      apiKey: keys[GERMAN_PARTNER],
    });
    const paidThrough = licenses.edges[0].node.maintenancePaidThrough;
    expect(license[2]).toBe('Deutschland');
    expect(license[4]).toBe('Aktiv');
    expect(license[5]).toBe(day('de-DE', paidThrough));
    expect(license[5]).toMatch(/^\d\d\.\d\d\.\d{4}$/);

    // The API's own sentences, asked in German: topic names and routing explanations.
    await page.click('#found-load');
    await page.locator('table[data-country="DE"]').waitFor();
    const places = await rankingAsTheApiWordsIt(page, 'de', GERMAN_PARTNER, 'DE');
    expect(places.map((p: any) => p.topic.name)).toContain('Serverinstallation');
    expect(places.find((p: any) => p.topic.name === 'Serverinstallation').openRanking.explanation).toMatch(
      /^Technischen Support Level 0 \(Serverinstallation\)/,
    );
    expect(await text(page, 'table[data-country="DE"] caption')).toBe('Deutschland: Praxen, die auf Deutsch arbeiten');

    // The partner states 3.5 business hours for technical support: saved with its version, read back through the API.
    const { provider: before } = await apiIn('de', `{ provider(id: "${GERMAN_PARTNER}") { version } }`, { apiKey: keys[GERMAN_PARTNER] });
    await page.fill('#response-TECHNICAL_SUPPORT', '3.5');
    await page.click('#response-save');
    await page.locator('#response-status.ok').waitFor();
    expect(await text(page, '#response-status')).toBe('Antwortzeiten gespeichert.');
    const { provider: after } = await apiIn('de', `{ provider(id: "${GERMAN_PARTNER}") { version firstResponseCommitments { category businessHours } } }`, {
      apiKey: keys[GERMAN_PARTNER],
    });
    expect(after.version).toBe(before.version + 1);
    expect(after.firstResponseCommitments).toContainEqual({ category: 'TECHNICAL_SUPPORT', businessHours: 3.5 });
    await page.locator('#audit-table tbody tr', { hasText: 'updateProvider' }).first().waitFor();

    expect(await accessibilityProblems(page)).toEqual([]);
    expect(new Set(askedIn)).toEqual(new Set(['de']));
    await page.screenshot({ path: path.join(OUTPUT, 'partner-de.png'), fullPage: true });

    // Switched to Polish on the page: labels, <html lang>, the API's words asked again in Polish; remembered across a reload.
    askedIn.length = 0;
    await page.selectOption('#language', 'pl');
    expect(await htmlLang(page)).toBe('pl');
    expect(await text(page, '#offers-heading')).toBe('Oferty');
    expect(await text(page, 'label[for="response-TECHNICAL_SUPPORT"]')).toBe('Wsparcie techniczne (godziny robocze)');
    await page.locator('table[data-country="DE"] caption', { hasText: 'Niemcy' }).waitFor();
    await rankingAsTheApiWordsIt(page, 'pl', GERMAN_PARTNER, 'DE');
    expect(new Set(askedIn)).toEqual(new Set(['pl']));
    await page.reload();
    await page.locator('#portal').waitFor();
    expect(await htmlLang(page)).toBe('pl');
    expect(await text(page, 'h1')).toBe('OnyxCeph³ – portal partnerów');
    await page.context().close();
  });

  test('the portal in Polish: labels, money and dates for pl-PL, Polish plural forms, the API’s explanations in Polish; switched to German', async () => {
    const { page, askedIn } = await open('pl-PL', 'Europe/Warsaw', '/partner');
    expect(await htmlLang(page)).toBe('pl');
    expect(await text(page, 'h1')).toBe('OnyxCeph³ – portal partnerów');
    expect(await text(page, 'label[for="credential"]')).toBe('Klucz lub token');
    expect(await text(page, '#sign-in .hint')).toBe('Przechowywane tylko w tej karcie przeglądarki; jej zamknięcie oznacza wylogowanie.');
    await signInPartner(page, POLISH_PARTNER);
    expect(await text(page, '#who')).toBe('Zalogowano jako Wisła Demo Dystrybucja Sp. z o.o. (wisla-demo; Dystrybutor).');
    expect(await text(page, '#statement-heading')).toBe('Zestawienie opłat za opiekę');

    // The audit trail's count in its Polish form, before and after a change (0: "zmian", 1: "zmiana").
    const total = async () => (await apiIn('pl', `{ auditTrail(first: 1) { totalCount } }`, { apiKey: keys[POLISH_PARTNER] })).auditTrail.totalCount;
    const before = await total();
    expect(await text(page, '#audit-table caption')).toBe(`${polishChanges(before)}, najnowsze najpierw`);
    await page.fill('#response-TECHNICAL_SUPPORT', '6');
    await page.click('#response-save');
    await page.locator('#response-status.ok').waitFor();
    expect(await text(page, '#response-status')).toBe('Czasy odpowiedzi zapisane.');
    await page.locator('#audit-table caption', { hasText: polishChanges(before + 1) }).waitFor();
    expect(await total()).toBe(before + 1);

    // A date, a country and a status as pl-PL writes them.
    await page.locator('#license-table').waitFor();
    const license = await cells(page, '#license-table tbody tr:has-text("OC3-DEMO-0008")');
    expect(license.slice(2, 6)).toEqual(['Polska', 'OnyxCeph³ 3D Pro', 'Zawieszona', day('pl-PL', '2026-12-31')]);
    expect(license[5]).toBe('31 gru 2026');

    // Money: the maintenance statement's remittance, as pl-PL writes the API's amount.
    await page.click('#statement-form button[type="submit"]');
    await page.locator('#statement-table').waitFor();
    const year = new Date().getFullYear();
    const { resellerStatement } = await apiIn(
      'pl',
      `{ resellerStatement(providerId: "${POLISH_PARTNER}", year: ${year}) { lines { licenseKey } remitToManufacturer { amount currency } } }`,
      { apiKey: keys[POLISH_PARTNER] },
    );
    const remit = resellerStatement.remitToManufacturer;
    expect(await text(page, '#statement-remit')).toBe(`Za rok ${year} przekazujesz producentowi ${money('pl-PL', remit.amount, remit.currency)} (netto).`);

    // The API's sentences in Polish.
    await page.click('#found-load');
    await page.locator('table[data-country="PL"]').waitFor();
    const places = await rankingAsTheApiWordsIt(page, 'pl', POLISH_PARTNER, 'PL');
    expect(places.map((p: any) => p.topic.name)).toContain('Instalacja serwera');
    expect(new Set(askedIn)).toEqual(new Set(['pl']));
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'partner-pl.png'), fullPage: true });

    await page.selectOption('#language', 'de');
    expect(await htmlLang(page)).toBe('de');
    expect(await text(page, '#statement-heading')).toBe('Wartungsabrechnung');
    // The table is drawn again after the switch; on a busy machine that can come a moment later.
    const status = page.locator('#license-table tbody tr:has-text("OC3-DEMO-0008") td:nth-child(5)');
    await status.filter({ hasNotText: 'Zawieszona' }).waitFor();
    expect(await text(page, '#license-table tbody tr:has-text("OC3-DEMO-0008") td:nth-child(5)')).toBe('Ausgesetzt');
    await page.locator('table[data-country="PL"] caption', { hasText: 'Polen' }).waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  test('the dashboard in German: labels, chart labels, legends and axes, counts and money for de-DE, asked in German; switched to Polish', async () => {
    const { page, askedIn } = await open('de-DE', 'Europe/Berlin', '/admin');
    expect(await htmlLang(page)).toBe('de');
    expect(await text(page, 'h1')).toBe('OnyxCeph³ Netzwerk-Dashboard');
    expect(await text(page, 'label[for="credential"]')).toBe('Admin-Token (von Ihrem Identitätsanbieter)');
    await signInAdmin(page);
    expect(await text(page, '#who')).toBe('Als Admin angemeldet.');
    expect(await text(page, '#h-licenses')).toBe('Lizenzen nach Land und Status');
    expect(await page.locator('#filter-status option').allInnerTexts()).toEqual(['Alle', 'Aktiv', 'Ausgesetzt', 'Abgelaufen']);

    // The licenses chart: countries and statuses in German, its axes titled in German; its table as the API counts.
    const { licenseStats } = await apiIn('de', `{ licenseStats(groupBy: [COUNTRY, STATUS]) { country status count } }`, ADMIN);
    const german = new Intl.DisplayNames(['de-DE'], { type: 'region' });
    const statuses: Record<string, string> = { ACTIVE: 'Aktiv', SUSPENDED: 'Ausgesetzt', EXPIRED: 'Abgelaufen' };
    const licensesChart = await chartWords(page, 'licenses-by-country');
    expect(licensesChart.labels).toEqual([...new Set(licenseStats.map((b: any) => german.of(b.country)))]);
    expect(licensesChart.labels).toContain('Deutschland');
    expect(licensesChart.legend).toEqual([...new Set(licenseStats.map((b: any) => statuses[b.status]))]);
    expect(licensesChart.axes).toEqual(['Land', 'Lizenzen']);
    expect(await page.locator('table[data-figure="licenses-by-country"] tbody tr').evaluateAll((rows) => rows.length)).toBe(licenseStats.length);
    expect(await cells(page, 'table[data-figure="licenses-by-country"] tbody tr:first-child')).toEqual([
      german.of(licenseStats[0].country),
      statuses[licenseStats[0].status],
      String(licenseStats[0].count),
    ]);
    expect((await chartWords(page, 'maintenance')).labels).toEqual(['Bezahlt (bis heute)', 'Abgelaufen']);

    // Money in the price table as de-DE writes the API's amounts.
    const service = await page.inputValue('#filter-service');
    const { priceStats } = await apiIn('de', `{ priceStats(service: ${service}, groupBy: [UNIT]) { currency count min { amount } max { amount } } }`, ADMIN);
    const first = await cells(page, 'table[data-figure="prices"] tbody tr:first-child');
    expect([first[3], first[5]]).toEqual([
      money('de-DE', priceStats[0].min.amount, priceStats[0].currency),
      money('de-DE', priceStats[0].max.amount, priceStats[0].currency),
    ]);
    expect((await chartWords(page, 'prices')).axes).toEqual(['Währung und Einheit', 'Nettopreis']);

    // Response times: categories in German, a fractional median written with a decimal comma.
    const responseRows = await page.locator('table[data-figure="response-times"] tbody tr td:first-child').allInnerTexts();
    expect(responseRows).toContain('Technischer Support');
    expect((await chartWords(page, 'response-times')).axes).toEqual(['Geschäftsstunden', 'Kategorie']);

    // A date: the API key issued now, as de-DE writes its time in the reader's zone.
    const issued = await apiIn('de', `mutation { issueApiKey(providerId: "mundwerk-demo", label: "Buchungssystem") { id } }`, ADMIN);
    await page.selectOption('#key-provider', 'mundwerk-demo');
    const row = page.locator('#key-table tbody tr', { hasText: 'Buchungssystem' });
    await row.waitFor();
    const { apiKeys } = await apiIn('de', `{ apiKeys(providerId: "mundwerk-demo") { id createdAt } }`, ADMIN);
    const createdAt = apiKeys.find((k: any) => k.id === issued.issueApiKey.id).createdAt;
    const written = await page.evaluate(
      (at) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'long', timeZone: 'Europe/Berlin' }).format(new Date(at)),
      createdAt,
    );
    expect(await row.locator('td:nth-child(2)').innerText()).toBe(written);
    expect(written).toMatch(/^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d /);
    expect(await text(page, '#key-table thead')).toContain('Ausgestellt');

    expect(await accessibilityProblems(page)).toEqual([]);
    expect(new Set(askedIn)).toEqual(new Set(['de']));
    await page.screenshot({ path: path.join(OUTPUT, 'admin-de.png'), fullPage: true });

    askedIn.length = 0;
    await page.selectOption('#language', 'pl');
    expect(await htmlLang(page)).toBe('pl');
    expect(await text(page, '#h-licenses')).toBe('Licencje według kraju i statusu');
    await page.locator('#dashboard:not([aria-busy])').waitFor();
    await page.waitForFunction(() => document.querySelector('#licenses-by-country canvas')?.getAttribute('data-words')?.includes('Niemcy'));
    const polish = await chartWords(page, 'licenses-by-country');
    expect(polish.axes).toEqual(['Kraj', 'Licencje']);
    expect(polish.legend).toContain('Aktywna');
    expect(new Set(askedIn)).toEqual(new Set(['pl']));
    await page.context().close();
  });

  test('the dashboard in Polish: labels, chart words and the response-time figures in Polish; switched to German', async () => {
    const { page, askedIn } = await open('pl-PL', 'Europe/Warsaw', '/admin');
    expect(await htmlLang(page)).toBe('pl');
    expect(await text(page, 'h1')).toBe('OnyxCeph³ – panel sieci');
    expect(await text(page, '#sign-in-heading')).toBe('Logowanie');
    await signInAdmin(page);
    expect(await text(page, '#h-response')).toBe('Czas odpowiedzi według kategorii wsparcia');
    const maintenance = await chartWords(page, 'maintenance');
    expect(maintenance.labels).toEqual(['Opłacona (do dziś)', 'Wygasła']);
    expect(maintenance.legend).toEqual(['Licencje']);
    const routing = await chartWords(page, 'routing-load');
    expect(routing.axes).toEqual(['Ważne licencje', 'Pierwszy kontakt']);
    expect(routing.legend).toEqual(['Ważne licencje']);
    expect(routing.labels.some((label) => label.endsWith('(Wsparcie techniczne)'))).toBe(true);
    const response = await chartWords(page, 'response-times');
    expect(response.legend).toEqual(['Od najkrótszego do najdłuższego (godziny robocze)']);
    expect(await text(page, 'table[data-figure="response-times"] caption')).toBe(
      'Czasy pierwszej odpowiedzi według kategorii, od najkrótszego do najdłuższego, w godzinach roboczych (dane wykresu)',
    );
    expect(await text(page, 'label[for="manufacturer-response-TECHNICAL_SUPPORT"]')).toBe('Wsparcie techniczne (godziny robocze)');
    // Polish writes a fraction with a decimal comma: the manufacturer states 1.5 business hours, set from the page.
    await page.fill('#manufacturer-response-TECHNICAL_SUPPORT', '1.5');
    await page.click('#manufacturer-response-form button[type="submit"]');
    await page.locator('#manufacturer-response-status.ok').waitFor();
    expect(await text(page, '#manufacturer-response-status')).toBe('Czasy odpowiedzi producenta zostały zapisane.');
    expect(await page.locator('table[data-figure="response-times"] tbody tr', { hasText: 'Wsparcie techniczne' }).locator('td:nth-child(4)').innerText()).toBe(
      '1,5',
    );
    expect(new Set(askedIn)).toEqual(new Set(['pl']));
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUTPUT, 'admin-pl.png'), fullPage: true });

    await page.selectOption('#language', 'de');
    expect(await text(page, '#h-response')).toBe('Antwortzeiten nach Supportkategorie');
    await page.locator('table[data-figure="response-times"] tbody tr', { hasText: 'Technischer Support' }).waitFor();
    expect(await page.locator('table[data-figure="response-times"] tbody tr', { hasText: 'Technischer Support' }).locator('td:nth-child(4)').innerText()).toBe(
      '1,5',
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  test("everything above ran under the pages' Content-Security-Policy: the browser refused nothing", () => {
    expect(violations).toEqual([]);
  });
});
