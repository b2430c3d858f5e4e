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
import { ApiError, ask, csvButton, el, enumValues, say, Session, table, UNIT_WORDS, type Credentials } from '../common/api';
import { SIGN_IN_WORDS, startPageSignIn } from '../common/sign-in';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

const session = new Session('onyx.admin.credentials');
let credentials: Credentials | null = null;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const select = (id: string) => $<HTMLSelectElement>(id);
const call = <T>(query: string, variables: Record<string, unknown> = {}) => ask<T>(credentials, query, variables);
const message = (error: unknown) => (error instanceof ApiError ? error.message : 'Something went wrong.');

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

// ---- sign-in and the admins-only guard ----------------------------------------------------------

/** Whether the dashboard accepted the credentials (an admin's); `remember`: keep a pasted one for the tab. */
async function signIn(candidate: Credentials, how: { remember: boolean; person?: string } = { remember: true }): Promise<boolean> {
  credentials = candidate;
  const status = $('sign-in-status');
  say(status, 'Signing in…');
  try {
    const { viewer, providers: all } = await call<{ viewer: { id: string; name: string } | null; providers: Provider[] }>(
      `query Who { viewer { id name } providers { ${PROVIDER_FIELDS} } }`,
    );
    if (viewer)
      throw new ApiError(
        `You are signed in as the provider ${viewer.name}: this dashboard is for the manufacturer's admins only. Your own entry, prices and figures are in the partner portal at /partner.`,
        'FORBIDDEN',
      );
    providers = all;
    // An admin-only question: anyone else gets the API's own refusal.
    if (providers.length > 0) await call(`query Probe($id: ID!) { apiKeys(providerId: $id) { id } }`, { id: providers[0].id });
    if (how.remember) session.set(candidate);
    say(status, '');
    if (how.person) $('who').textContent = `${SIGN_IN_WORDS.signedInAs(`${how.person}, an admin`)}.`;
    $('sign-in-card').hidden = true;
    $('dashboard').hidden = false;
    await loadFilters();
    await Promise.all([drawAll(), showKeys()]);
    return true;
  } catch (error) {
    credentials = null;
    session.clear();
    say(status, `Refused: ${message(error)}`, 'error');
    return false;
  }
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $<HTMLInputElement>('credential').value.trim();
  if (!value) return say($('sign-in-status'), 'Enter your admin token.', 'error');
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

// ---- filters from the schema --------------------------------------------------------------------

async function loadFilters() {
  const fill = async (id: string, enumName: string) => {
    for (const value of await enumValues(credentials, enumName)) select(id).append(el('option', { value }, value));
  };
  try {
    await Promise.all([
      fill('filter-status', 'LicenseStatus'),
      fill('filter-category', 'SupportCategoryId'),
      fill('filter-service', 'ServiceKind'),
      fill('filter-unit', 'PriceUnit'),
    ]);
  } catch (error) {
    say($('filters-status'), `The filters could not be read from the schema: ${message(error)}`, 'error');
  }
}
$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void drawAll();
});

// ---- one figure: chart, table, CSV --------------------------------------------------------------

const charts = new Map<string, Chart>();

/** Draws a figure into its section: the chart, the same figures as a table, and a CSV of them. */
function figure(sectionId: string, summary: string, config: ChartConfiguration, head: string[], rows: (string | number)[][]) {
  const target = $(sectionId).querySelector<HTMLElement>('.figure')!;
  charts.get(sectionId)?.destroy();
  const canvas = el('canvas', { role: 'img', 'aria-label': summary }, summary);
  const box = el('div', { class: 'chart' }, canvas);
  const tableNode = table(`${summary} (the figures of the chart)`, head, rows, { 'data-figure': sectionId });
  target.replaceChildren(
    rows.length ? box : el('p', {}, 'No figures for this choice.'),
    el('div', { class: 'scroll' }, tableNode),
    csvButton(`Download ${summary.toLowerCase()} (CSV)`, `${sectionId}.csv`, () => ({ head, rows })),
  );
  if (rows.length) {
    const chart = new Chart(canvas, { ...config, options: { animation: false, maintainAspectRatio: false, responsive: true, ...config.options } });
    charts.set(sectionId, chart);
    canvas.dataset.drawn = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
  }
}

async function drawAll() {
  const status = $('filters-status');
  say(status, 'Loading figures…');
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
    status ? `${status} licenses by country` : 'Licenses by country and status',
    {
      type: 'bar',
      data: {
        labels: countries,
        datasets: statuses.map((s, i) => ({
          label: s,
          backgroundColor: COLOURS[i % COLOURS.length],
          data: countries.map((c) => buckets.find((b) => b.country === c && b.status === s)?.count ?? 0),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    ['Country', 'Status', 'Licenses'],
    buckets.map((b) => [b.country!, b.status!, b.count]),
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
    ['In force (paid through today)', total(true)],
    ['Lapsed', total(false)],
  ];
  figure(
    'maintenance',
    status ? `Maintenance of ${status} licenses` : 'Maintenance of all licenses',
    {
      type: 'doughnut',
      data: { labels: rows.map((r) => r[0]), datasets: [{ label: 'Licenses', backgroundColor: [COLOURS[2], COLOURS[1]], data: rows.map((r) => r[1]) }] },
    },
    ['Maintenance', 'Licenses'],
    buckets.length ? rows : [],
  );
}

async function drawRoutingLoad() {
  const category = select('filter-category').value || null;
  const { routingLoad } = await call<{ routingLoad: { buckets: { category: string; provider: { name: string } | null; licenses: number }[] } }>(
    `query Load($category: SupportCategoryId) { routingLoad(category: $category) { buckets { category provider { name } licenses } } }`,
    { category },
  );
  const rows = routingLoad.buckets.map(
    (b) => [b.category, b.provider?.name ?? 'none: the holder chooses among partners', b.licenses] as [string, string, number],
  );
  figure(
    'routing-load',
    category ? `First contacts for ${category}` : 'First contacts per support category',
    {
      type: 'bar',
      data: {
        labels: rows.map(([c, p]) => `${p} (${c})`),
        datasets: [{ label: 'Licenses in force', backgroundColor: COLOURS[0], data: rows.map((r) => r[2]) }],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    ['Category', 'First contact', 'Licenses in force'],
    rows,
  );
}

async function drawPrices() {
  const service = select('filter-service').value;
  if (!service) return;
  const unit = select('filter-unit').value;
  const { priceStats } = await call<{
    priceStats: { currency: string; unit: string; count: number; min: { amount: string }; median: { amount: string }; max: { amount: string } }[];
  }>(
    `query Prices($service: ServiceKind!) { priceStats(service: $service, groupBy: [UNIT]) { currency unit count min { amount } median { amount } max { amount } } }`,
    { service },
  );
  const buckets = priceStats.filter((b) => !unit || b.unit === unit);
  figure(
    'prices',
    `Current ${service} prices, lowest to highest`,
    {
      type: 'bar',
      data: {
        labels: buckets.map((b) => `${b.currency} ${UNIT_WORDS[b.unit] ?? b.unit}`),
        // Money stays a decimal string in the table and CSV; the chart only places the bars.
        datasets: [
          {
            label: 'Lowest to highest',
            backgroundColor: COLOURS[3],
            data: buckets.map((b) => [Number(b.min.amount), Number(b.max.amount)] as unknown as number),
          },
        ],
      },
    },
    ['Currency', 'Unit', 'Offers', 'Lowest', 'Median', 'Highest'],
    buckets.map((b) => [b.currency, b.unit, b.count, b.min.amount, b.median.amount, b.max.amount]),
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
    return [c, serving.length, serving.map((p) => p.name).join(', ')] as [string, number, string];
  });
  figure(
    'gaps',
    'Served countries without a support partner',
    {
      type: 'bar',
      data: { labels: rows.map((r) => r[0]), datasets: [{ label: 'Providers serving the country', backgroundColor: COLOURS[1], data: rows.map((r) => r[1]) }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    },
    ['Country', 'Providers serving it', 'Who'],
    rows,
  );
}

// ---- response times -------------------------------------------------------------------------------

const CATEGORY_WORDS: Record<string, string> = {
  SOFTWARE_MAINTENANCE: 'Software maintenance',
  TECHNICAL_SUPPORT: 'Technical support',
  USER_SUPPORT: 'User support and training',
};

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
    return [category, serving.length, hours.length, hours[0] ?? '', hours.length ? median(hours) : '', hours.at(-1) ?? ''] as [
      string,
      number,
      number,
      number | '',
      number | '',
      number | '',
    ];
  });
  const stated = rows.filter((r) => r[2] > 0);
  figure(
    'response-times',
    'First-response commitments per category, shortest to longest, in business hours',
    {
      type: 'bar',
      data: {
        labels: stated.map((r) => CATEGORY_WORDS[r[0]] ?? r[0]),
        datasets: [{ label: 'Shortest to longest (business hours)', backgroundColor: COLOURS[2], data: stated.map((r) => [r[3], r[5]] as unknown as number) }],
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } },
    },
    ['Category', 'Providers serving it', 'Stating a commitment', 'Shortest', 'Median', 'Longest'],
    rows,
  );
  const missing = active.flatMap((p) =>
    p.firstResponseCategories
      .filter((category) => !p.firstResponseCommitments.some((c) => c.category === category))
      .map((category) => [p.name, p.roles.join(', '), CATEGORY_WORDS[category] ?? category]),
  );
  $('response-missing').replaceChildren(
    missing.length
      ? table('Active providers that state no response time for a category they serve', ['Provider', 'Roles', 'Category without a commitment'], missing, {
          'data-figure': 'response-missing',
        })
      : el('p', {}, 'Every active provider states a response time for each category it serves.'),
  );
  showManufacturerResponseTimes();
}

const manufacturer = () => providers.find((p) => p.roles.includes('MANUFACTURER'));

function showManufacturerResponseTimes() {
  const maker = manufacturer();
  $('manufacturer-response-form').hidden = !maker;
  if (!maker) return;
  const stated = new Map(maker.firstResponseCommitments.map((c) => [c.category, c.businessHours]));
  $('manufacturer-response-fields').replaceChildren(
    ...maker.firstResponseCategories.map((category) => {
      const field = el('input', { id: `manufacturer-response-${category}`, type: 'number', min: '0.25', max: '400', step: '0.25', 'data-category': category });
      (field as HTMLInputElement).value = stated.has(category) ? String(stated.get(category)) : '';
      return el(
        'div',
        {},
        el('label', { for: field.id }, `${CATEGORY_WORDS[category] ?? category} `, el('span', { class: 'hint' }, '(business hours)')),
        field,
      );
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
  say(status, 'Saving…');
  try {
    const { setManufacturerFirstResponses } = await call<{ setManufacturerFirstResponses: Provider }>(
      `mutation SetManufacturerResponseTimes($id: ID!, $version: Int!, $commitments: [FirstResponseCommitmentInput!]!) { setManufacturerFirstResponses(id: $id, version: $version, commitments: $commitments) { ${PROVIDER_FIELDS} } }`,
      { id: maker.id, version: maker.version, commitments },
    );
    providers = providers.map((p) => (p.id === maker.id ? setManufacturerFirstResponses : p));
    await drawResponseTimes();
    say(status, "The manufacturer's response times are saved.", 'ok');
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
      let action: Node | string = `revoked ${key.revokedAt}`;
      if (!key.revokedAt) {
        const revoke = el('button', { type: 'button', class: 'danger', 'data-revoke': key.id, 'aria-label': `Revoke the key “${key.label}”` }, 'Revoke');
        revoke.addEventListener('click', () => void revokeKey(key));
        action = revoke;
      }
      return [key.label, key.createdAt, key.id, action];
    });
    $('key-list').replaceChildren(
      table(`Keys of ${providerSelect.selectedOptions[0]?.textContent ?? ''}`, ['Label', 'Issued (UTC)', 'Id', 'State'], rows, { id: 'key-table' }),
    );
  } catch (error) {
    say(status, message(error), 'error');
  }
}

async function revokeKey(key: ApiKey) {
  if (!confirm(`Revoke the key “${key.label}”? Integrations using it are refused from the next request on.`)) return;
  try {
    await call(`mutation Revoke($id: ID!) { revokeApiKey(id: $id) }`, { id: key.id });
    say($('keys-status'), `Revoked “${key.label}”.`, 'ok');
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
    const shown = $('issued-key');
    shown.replaceChildren(
      el('p', { role: 'alert' }, `Key “${issueApiKey.label}” for ${issueApiKey.providerId}: copy it now, it is shown this once and never again.`),
      el('p', { class: 'key', id: 'new-key' }, issueApiKey.key),
    );
    shown.hidden = false;
    say(status, '');
    $<HTMLInputElement>('key-label').value = '';
    await showKeys();
  } catch (error) {
    say(status, message(error), 'error');
  }
});

// A signed-in tab stays signed in across reloads (sessionStorage): startPageSignIn (above) picks the kept tokens or token up.
