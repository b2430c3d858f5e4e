/**
 * The manufacturer's dashboard: the network's figures from the analytics API (licenseStats,
 * routingLoad, priceStats, the public directory) drawn with Chart.js (bundled by Vite, nothing from
 * the internet), each chart with its table and a CSV download of exactly the figures drawn; the
 * filters' choices come from the schema's own enums (introspection); API keys issued and revoked.
 * Admins only: the API refuses the figures' admin-only parts to anyone else, and the page says so.
 * An admin signs in at the manufacturer's identity provider (web/common/sign-in.ts), or with a pasted
 * token where the gateway allows it.
 */
import '../common/style.css';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { ApiError, ask, csvButton, el, enumValues, say, Session, table, type Credentials } from '../common/api';
import type { CsvCell } from '../common/csv';
import {
  countryName,
  formatInstant,
  formatMoney,
  formatNumber,
  labelPage,
  languageMenu,
  pageLanguage,
  pageLocale,
  setPageLanguage,
  wordFor,
} from '../common/i18n';
import { startPageSignIn } from '../common/sign-in';
import { shared } from '../common/words';
import { words } from './words';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

const session = new Session('onyx.admin.credentials');
let credentials: Credentials | null = null;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const select = (id: string) => $<HTMLSelectElement>(id);
const call = <T>(query: string, variables: Record<string, unknown> = {}) => ask<T>(credentials, query, variables);
const message = (error: unknown) => (error instanceof ApiError ? error.message : shared().somethingWrong);
const w = words;

const COLOURS = ['#0b5cad', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#1098ad', '#c2255c', '#5c940d', '#495057'];

interface Provider {
  id: string;
  name: string;
  active: boolean;
  roles: string[];
  serviceCountries: string[];
  version: number;
  /** The categories its roles serve (the API's rule), and the commitments it states for them. */
  firstResponseCategories: string[];
  firstResponseCommitments: { category: string; businessHours: number }[];
}
const PROVIDER_FIELDS = 'id name active roles serviceCountries version firstResponseCategories firstResponseCommitments { category businessHours }';
let providers: Provider[] = [];
/** The person signed in at the identity provider (none with a pasted token). */
let person: string | undefined;

// ---- sign-in and the admins-only guard ----------------------------------------------------------

/** Whether the dashboard accepted the credentials (an admin's); `remember`: keep a pasted one for the tab. */
async function signIn(candidate: Credentials, how: { remember: boolean; person?: string } = { remember: true }): Promise<boolean> {
  credentials = candidate;
  person = how.person;
  const status = $('sign-in-status');
  say(status, shared().signingIn);
  try {
    const { viewer, providers: all } = await call<{ viewer: { id: string; name: string } | null; providers: Provider[] }>(
      `query Who { viewer { id name } providers { ${PROVIDER_FIELDS} } }`,
    );
    if (viewer) throw new ApiError(w().providerRefused(viewer.name), 'FORBIDDEN');
    providers = all;
    // An admin-only question: anyone else gets the API's own refusal.
    if (providers.length > 0) await call(`query Probe($id: ID!) { apiKeys(providerId: $id) { id } }`, { id: providers[0].id });
    if (how.remember) session.set(candidate);
    say(status, '');
    showWho();
    $('sign-in-card').hidden = true;
    $('dashboard').hidden = false;
    await loadFilters();
    await Promise.all([drawAll(), showKeys()]);
    return true;
  } catch (error) {
    credentials = null;
    session.clear();
    say(status, w().refused(message(error)), 'error');
    return false;
  }
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $<HTMLInputElement>('credential').value.trim();
  if (!value) return say($('sign-in-status'), w().enterAdminToken, 'error');
  void signIn({ kind: 'bearer', value });
});
const pageSignIn = startPageSignIn({
  storageKey: 'onyx.admin',
  pagePath: '/admin',
  pasted: session,
  signIn,
  renewed: (fresh) => (credentials = fresh),
});
$('sign-out').addEventListener('click', () => void pageSignIn.then((signIn) => signIn.signOut()));

/** Who is signed in: the person's name from the identity provider, else an admin's token. */
function showWho() {
  $('who').textContent = person ? shared().signedInAs(w().anAdmin(person)) : w().signedInAsAdmin;
}

// ---- filters from the schema --------------------------------------------------------------------

/** Each filter: its schema enum, the words its values are shown with, and whether "All" is a choice. */
const FILTERS = [
  { id: 'filter-status', enumName: 'LicenseStatus', names: () => shared().statuses, all: true },
  { id: 'filter-category', enumName: 'SupportCategoryId', names: () => shared().categories, all: true },
  { id: 'filter-service', enumName: 'ServiceKind', names: () => shared().services, all: false },
  { id: 'filter-unit', enumName: 'PriceUnit', names: () => shared().units, all: true },
] as const;
const filterValues = new Map<string, string[]>();

async function loadFilters() {
  try {
    await Promise.all(FILTERS.map(async ({ id, enumName }) => filterValues.set(id, await enumValues(credentials, enumName))));
  } catch (error) {
    say($('filters-status'), w().filtersUnreadable(message(error)), 'error');
  }
  showFilters();
}

/** The filters' choices as words of the page's language; what was chosen stays chosen. */
function showFilters() {
  for (const { id, names, all } of FILTERS) {
    const chosen = select(id).value;
    select(id).replaceChildren(
      ...(all ? [el('option', { value: '' }, w().all)] : []),
      ...(filterValues.get(id) ?? []).map((value) => el('option', { value }, wordFor(names(), value))),
    );
    if (chosen) select(id).value = chosen;
  }
}
$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void drawAll();
});

// ---- one figure: chart, table, CSV --------------------------------------------------------------

const charts = new Map<string, Chart>();

/** A cell of a figure's table: text, a count (shown for the locale, a number in the CSV), or money (shown for the locale, the API's decimal string in the CSV). */
type Cell = string | number | { shown: string; value: CsvCell };
const money = (amount: { amount: string; currency: string }): Cell => ({ shown: formatMoney(amount), value: amount.amount });
const shown = (cell: Cell) => (typeof cell === 'number' ? formatNumber(cell) : typeof cell === 'string' ? cell : cell.shown);
const csvValue = (cell: Cell): CsvCell => (typeof cell === 'object' ? cell.value : cell);

/** An axis with its title, in the page's language. */
const axis = (title: string, more: Record<string, unknown> = {}) => ({ title: { display: true, text: title }, ...more });
const COUNTS = { beginAtZero: true, ticks: { precision: 0 } };

/**
 * Draws a figure into its section: the chart (its labels, legend and axes in the page's language,
 * its numbers for the reader's locale), the same figures as a table, and a CSV of them. The canvas
 * says what it drew: how many values (data-drawn) and its words (data-words: labels, legend, axes).
 */
function figure(sectionId: string, summary: string, config: ChartConfiguration, head: string[], rows: Cell[][]) {
  const target = $(sectionId).querySelector<HTMLElement>('.figure')!;
  charts.get(sectionId)?.destroy();
  const canvas = el('canvas', { role: 'img', 'aria-label': summary }, summary);
  const box = el('div', { class: 'chart' }, canvas);
  const tableNode = table(
    w().figuresOf(summary),
    head,
    rows.map((row) => row.map(shown)),
    { 'data-figure': sectionId },
  );
  target.replaceChildren(
    rows.length ? box : el('p', {}, w().noFigures),
    el('div', { class: 'scroll' }, tableNode),
    csvButton(w().downloadCsv(summary), `${sectionId}.csv`, () => ({ head, rows: rows.map((row) => row.map(csvValue)) })),
  );
  if (rows.length) {
    const chart = new Chart(canvas, {
      ...config,
      options: { animation: false, maintainAspectRatio: false, responsive: true, locale: pageLocale(), ...config.options },
    });
    charts.set(sectionId, chart);
    canvas.dataset.drawn = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
    const scales = (chart.options.scales ?? {}) as Record<string, { title?: { display?: boolean; text?: string | string[] } }>;
    canvas.dataset.words = JSON.stringify({
      labels: chart.data.labels,
      legend: chart.data.datasets.map((d) => d.label),
      axes: Object.values(scales)
        .filter((scale) => scale.title?.display)
        .map((scale) => scale.title!.text),
    });
  }
}

async function drawAll() {
  const status = $('filters-status');
  say(status, w().loadingFigures);
  $('dashboard').setAttribute('aria-busy', 'true');
  const results = await Promise.allSettled([drawLicenses(), drawMaintenance(), drawRoutingLoad(), drawPrices(), drawGaps(), drawResponseTimes()]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  say(status, failed.length ? failed.map((r) => message(r.reason)).join(' ') : '', failed.length ? 'error' : '');
  $('dashboard').removeAttribute('aria-busy');
}

interface LicenseBucket {
  country: string | null;
  status: string | null;
  maintenancePaid: boolean | null;
  count: number;
}

const statusWord = (status: string) => wordFor(shared().statuses, status);
const categoryWord = (category: string) => wordFor(shared().categories, category);

async function drawLicenses() {
  const { licenseStats } = await call<{ licenseStats: LicenseBucket[] }>(
    `query ByCountry { licenseStats(groupBy: [COUNTRY, STATUS]) { country status count } }`,
  );
  const status = select('filter-status').value;
  const buckets = licenseStats.filter((b) => !status || b.status === status);
  const countries = [...new Set(buckets.map((b) => b.country!))];
  const statuses = [...new Set(buckets.map((b) => b.status!))];
  figure(
    'licenses-by-country',
    status ? w().licensesWithStatus(statusWord(status)) : w().licensesHeading,
    {
      type: 'bar',
      data: {
        labels: countries.map((c) => countryName(c)),
        datasets: statuses.map((s, i) => ({
          label: statusWord(s),
          backgroundColor: COLOURS[i % COLOURS.length],
          data: countries.map((c) => buckets.find((b) => b.country === c && b.status === s)?.count ?? 0),
        })),
      },
      options: { scales: { x: axis(w().country, { stacked: true }), y: axis(w().licenses, { stacked: true, ...COUNTS }) } },
    },
    [w().country, w().status, w().licenses],
    buckets.map((b) => [countryName(b.country!), statusWord(b.status!), b.count]),
  );
}

async function drawMaintenance() {
  const { licenseStats } = await call<{ licenseStats: LicenseBucket[] }>(
    `query Maintenance { licenseStats(groupBy: [STATUS, MAINTENANCE_PAID]) { status maintenancePaid count } }`,
  );
  const status = select('filter-status').value;
  const buckets = licenseStats.filter((b) => !status || b.status === status);
  const total = (paid: boolean) => buckets.filter((b) => b.maintenancePaid === paid).reduce((n, b) => n + b.count, 0);
  const rows: [string, number][] = [
    [w().inForce, total(true)],
    [w().lapsed, total(false)],
  ];
  figure(
    'maintenance',
    status ? w().maintenanceWithStatus(statusWord(status)) : w().maintenanceOfAll,
    {
      type: 'doughnut',
      data: { labels: rows.map((r) => r[0]), datasets: [{ label: w().licenses, backgroundColor: [COLOURS[2], COLOURS[1]], data: rows.map((r) => r[1]) }] },
    },
    [w().maintenance, w().licenses],
    buckets.length ? rows : [],
  );
}

async function drawRoutingLoad() {
  const category = select('filter-category').value || null;
  const { routingLoad } = await call<{ routingLoad: { buckets: { category: string; provider: { name: string } | null; licenses: number }[] } }>(
    `query Load($category: SupportCategoryId) { routingLoad(category: $category) { buckets { category provider { name } licenses } } }`,
    { category },
  );
  const rows = routingLoad.buckets.map((b) => [categoryWord(b.category), b.provider?.name ?? w().nobodyDesignated, b.licenses] as [string, string, number]);
  figure(
    'routing-load',
    category ? w().firstContactsFor(categoryWord(category)) : w().firstContactsAll,
    {
      type: 'bar',
      data: {
        labels: rows.map(([c, p]) => `${p} (${c})`),
        datasets: [{ label: w().licensesInForce, backgroundColor: COLOURS[0], data: rows.map((r) => r[2]) }],
      },
      options: { indexAxis: 'y', scales: { x: axis(w().licensesInForce, COUNTS), y: axis(w().firstContact) } },
    },
    [w().category, w().firstContact, w().licensesInForce],
    rows,
  );
}

async function drawPrices() {
  const service = select('filter-service').value;
  if (!service) return;
  const unit = select('filter-unit').value;
  type Amount = { amount: string; currency: string };
  const { priceStats } = await call<{
    priceStats: { currency: string; unit: string; count: number; min: Amount; median: Amount; max: Amount }[];
  }>(
    `query Prices($service: ServiceKind!) { priceStats(service: $service, groupBy: [UNIT]) { currency unit count min { amount currency } median { amount currency } max { amount currency } } }`,
    { service },
  );
  const buckets = priceStats.filter((b) => !unit || b.unit === unit);
  const unitWord = (code: string) => wordFor(shared().units, code);
  figure(
    'prices',
    w().pricesOf(wordFor(shared().services, service)),
    {
      type: 'bar',
      data: {
        labels: buckets.map((b) => `${b.currency} ${unitWord(b.unit)}`),
        // Money stays a decimal string in the table and CSV; the chart only places the bars.
        datasets: [
          {
            label: w().lowestToHighest,
            backgroundColor: COLOURS[3],
            data: buckets.map((b) => [Number(b.min.amount), Number(b.max.amount)] as unknown as number),
          },
        ],
      },
      options: { scales: { x: axis(w().currencyAndUnit), y: axis(w().netPrice) } },
    },
    [w().currency, w().unit, w().offers, w().lowest, w().median, w().highest],
    buckets.map((b) => [b.currency, unitWord(b.unit), b.count, money(b.min), money(b.median), money(b.max)]),
  );
}

/**
 * Countries some active provider serves where no active support partner does: practices there get
 * no contact for user support and training. Counted from the public directory (docs/rules.md, rule 4's
 * candidates are the active support partners serving the country, never the manufacturer).
 */
async function drawGaps() {
  const active = providers.filter((p) => p.active);
  const countries = [...new Set(active.flatMap((p) => p.serviceCountries))].sort();
  const isPartner = (p: Provider) => p.roles.includes('SUPPORT_PARTNER') && !p.roles.includes('MANUFACTURER');
  const gaps = countries.filter((c) => !active.some((p) => isPartner(p) && p.serviceCountries.includes(c)));
  const rows = gaps.map((c) => {
    const serving = active.filter((p) => p.serviceCountries.includes(c));
    return [countryName(c), serving.length, serving.map((p) => p.name).join(', ')] as [string, number, string];
  });
  figure(
    'gaps',
    w().gapsHeading,
    {
      type: 'bar',
      data: { labels: rows.map((r) => r[0]), datasets: [{ label: w().providersServing, backgroundColor: COLOURS[1], data: rows.map((r) => r[1]) }] },
      options: { scales: { x: axis(w().country), y: axis(w().providersServing, COUNTS) } },
    },
    [w().country, w().providersServingIt, w().who],
    rows,
  );
}

// ---- response times -------------------------------------------------------------------------------

/** The middle value (the mean of the two middle ones for an even count), of numbers sorted ascending. */
const median = (sorted: number[]) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

/**
 * Per support category, of the active providers serving it (by their roles, as the API says): how
 * many state a first-response commitment and its spread; and the active providers that state none
 * for a category they serve. From the directory as the API gives it; nothing is computed twice.
 */
async function drawResponseTimes() {
  const active = providers.filter((p) => p.active);
  const categories = [...new Set(active.flatMap((p) => p.firstResponseCategories))].sort();
  const rows = categories.map((category) => {
    const serving = active.filter((p) => p.firstResponseCategories.includes(category));
    const hours = serving
      .map((p) => p.firstResponseCommitments.find((c) => c.category === category)?.businessHours)
      .filter((h): h is number => h !== undefined)
      .sort((a, b) => a - b);
    return { category, serving: serving.length, hours };
  });
  const stated = rows.filter((r) => r.hours.length > 0);
  figure(
    'response-times',
    w().responseSummary,
    {
      type: 'bar',
      data: {
        labels: stated.map((r) => categoryWord(r.category)),
        datasets: [{ label: w().shortestToLongest, backgroundColor: COLOURS[2], data: stated.map((r) => [r.hours[0], r.hours.at(-1)] as unknown as number) }],
      },
      options: { indexAxis: 'y', scales: { x: axis(w().businessHours, { beginAtZero: true }), y: axis(w().category) } },
    },
    [w().category, w().providersServingCategory, w().stating, w().shortest, w().median, w().longest],
    rows.map(({ category, serving, hours }) => [
      categoryWord(category),
      serving,
      hours.length,
      hours[0] ?? '',
      hours.length ? median(hours) : '',
      hours.at(-1) ?? '',
    ]),
  );
  const missing = active.flatMap((p) =>
    p.firstResponseCategories
      .filter((category) => !p.firstResponseCommitments.some((c) => c.category === category))
      .map((category) => [p.name, p.roles.map((role) => wordFor(shared().roles, role)).join(', '), categoryWord(category)]),
  );
  $('response-missing').replaceChildren(
    missing.length
      ? table(w().missingCaption, [w().provider, w().rolesHead, w().categoryWithout], missing, { 'data-figure': 'response-missing' })
      : el('p', {}, w().everyoneStates),
  );
  showManufacturerResponseTimes(true);
}

const manufacturer = () => providers.find((p) => p.roles.includes('MANUFACTURER'));

/** The manufacturer's commitments, a field per category; `keepTyped`: a change of language keeps what was typed and not saved yet. */
function showManufacturerResponseTimes(keepTyped: boolean) {
  const maker = manufacturer();
  $('manufacturer-response-form').hidden = !maker;
  if (!maker) return;
  const stated = new Map(maker.firstResponseCommitments.map((c) => [c.category, String(c.businessHours)]));
  if (keepTyped)
    for (const field of document.querySelectorAll<HTMLInputElement>('#manufacturer-response-fields input')) stated.set(field.dataset.category!, field.value);
  $('manufacturer-response-fields').replaceChildren(
    ...maker.firstResponseCategories.map((category) => {
      const field = el('input', { id: `manufacturer-response-${category}`, type: 'number', min: '0.25', max: '400', step: '0.25', 'data-category': category });
      (field as HTMLInputElement).value = stated.get(category) ?? '';
      return el('div', {}, el('label', { for: field.id }, `${categoryWord(category)} `, el('span', { class: 'hint' }, shared().inBusinessHours)), field);
    }),
  );
}

$('manufacturer-response-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const maker = manufacturer();
  const status = $('manufacturer-response-status');
  if (!maker) return;
  const commitments = [...document.querySelectorAll<HTMLInputElement>('#manufacturer-response-fields input')]
    .filter((f) => f.value.trim() !== '')
    .map((f) => ({ category: f.dataset.category!, businessHours: Number(f.value) }));
  say(status, shared().saving);
  try {
    const { setManufacturerFirstResponses } = await call<{ setManufacturerFirstResponses: Provider }>(
      `mutation SetManufacturerResponseTimes($id: ID!, $version: Int!, $commitments: [FirstResponseCommitmentInput!]!) { setManufacturerFirstResponses(id: $id, version: $version, commitments: $commitments) { ${PROVIDER_FIELDS} } }`,
      { id: maker.id, version: maker.version, commitments },
    );
    providers = providers.map((p) => (p.id === maker.id ? setManufacturerFirstResponses : p));
    await drawResponseTimes();
    showManufacturerResponseTimes(false);
    say(status, w().manufacturerResponseSaved, 'ok');
  } catch (error) {
    say(status, message(error), 'error');
  }
});

// ---- API keys -----------------------------------------------------------------------------------

interface ApiKey {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

async function showKeys() {
  const providerSelect = select('key-provider');
  if (providerSelect.options.length === 0) {
    providerSelect.append(...providers.map((p) => el('option', { value: p.id }, `${p.name} (${p.id})`)));
    providerSelect.addEventListener('change', () => {
      $('issued-key').hidden = true;
      void showKeys();
    });
  }
  const status = $('keys-status');
  try {
    const { apiKeys } = await call<{ apiKeys: ApiKey[] }>(`query Keys($id: ID!) { apiKeys(providerId: $id) { id label createdAt revokedAt } }`, {
      id: providerSelect.value,
    });
    const rows = apiKeys.map((key) => {
      let action: Node | string = w().revokedAt(key.revokedAt ? formatInstant(key.revokedAt) : '');
      if (!key.revokedAt) {
        const revoke = el('button', { type: 'button', class: 'danger', 'data-revoke': key.id, 'aria-label': w().revokeKey(key.label) }, w().revoke);
        revoke.addEventListener('click', () => void revokeKey(key));
        action = revoke;
      }
      return [key.label, el('time', { datetime: key.createdAt }, formatInstant(key.createdAt)), key.id, action];
    });
    $('key-list').replaceChildren(
      table(w().keysOf(providerSelect.selectedOptions[0]?.textContent ?? ''), [w().label, w().issued, w().id, w().state], rows, { id: 'key-table' }),
    );
  } catch (error) {
    say(status, message(error), 'error');
  }
}

async function revokeKey(key: ApiKey) {
  if (!confirm(w().confirmRevoke(key.label))) return;
  try {
    await call(`mutation Revoke($id: ID!) { revokeApiKey(id: $id) }`, { id: key.id });
    say($('keys-status'), w().revoked(key.label), 'ok');
    await showKeys();
  } catch (error) {
    say($('keys-status'), message(error), 'error');
  }
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('keys-status');
  try {
    const { issueApiKey } = await call<{ issueApiKey: { id: string; key: string; label: string; providerId: string } }>(
      `mutation Issue($providerId: ID!, $label: String!) { issueApiKey(providerId: $providerId, label: $label) { id key label providerId } }`,
      { providerId: select('key-provider').value, label: $<HTMLInputElement>('key-label').value },
    );
    const issued = $('issued-key');
    issued.replaceChildren(
      el('p', { role: 'alert' }, w().issuedOnce(issueApiKey.label, issueApiKey.providerId)),
      el('p', { class: 'key', id: 'new-key' }, issueApiKey.key),
    );
    issued.hidden = false;
    say(status, '');
    $<HTMLInputElement>('key-label').value = '';
    await showKeys();
  } catch (error) {
    say(status, message(error), 'error');
  }
});

// ---- language -----------------------------------------------------------------------------------

/** The page in the language it is shown in now: its own words, the filters, every figure and the keys drawn again. */
function showLanguage() {
  labelPage({ ...shared(), ...w() });
  if ($('dashboard').hidden) return;
  showWho();
  showFilters();
  void drawAll();
  void showKeys();
}

setPageLanguage(pageLanguage());
languageMenu(select('language'), showLanguage);
showLanguage();

// A signed-in tab stays signed in across reloads (sessionStorage): startPageSignIn (above) picks the kept tokens or token up.
