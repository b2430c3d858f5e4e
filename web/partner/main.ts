/**
 * The partner portal: a distributor's or support partner's staff member signs in at their
 * organization's identity provider (web/common/sign-in.ts), or with a pasted API key or token where
 * the gateway allows it, and keeps its own entry through the public GraphQL API (updateProvider,
 * saveOffer, withdrawOffer), sees how the routing ranks it (routingStanding), its licenses, its
 * maintenance statement and its audit trail. Every rule stays in the API: the page shows the API's
 * answers and its own words for a refused value, a stale version or a refusal.
 */
import '../common/style.css';
import { ApiError, ask, csvButton, el, enumValues, say, Session, table, type Credentials } from '../common/api';
import {
  count,
  countryName,
  formatDate,
  formatInstant,
  formatMoney,
  formatRate,
  labelPage,
  languageMenu,
  languageName,
  pageLocale,
  setPageLanguage,
  pageLanguage,
  wordFor,
} from '../common/i18n';
import { startPageSignIn } from '../common/sign-in';
import { shared } from '../common/words';
import { words } from './words';

const PROVIDER_FIELDS =
  'id name roles active country serviceCountries languages email phone website postalAddress businessHours timeZone version openNow nextOpening serviceAreas { country currency } firstResponseCategories firstResponseCommitments { category businessHours }';
const OFFER_FIELDS = 'id version service title description unit validFrom validUntil price { amount currency }';

interface Offer {
  id: string;
  version: number;
  service: string;
  title: string;
  description: string | null;
  unit: string;
  validFrom: string | null;
  validUntil: string | null;
  price: { amount: string; currency: string };
}
interface Provider {
  id: string;
  name: string;
  roles: string[];
  active: boolean;
  country: string;
  serviceCountries: string[];
  languages: string[];
  email: string | null;
  phone: string | null;
  website: string | null;
  postalAddress: string | null;
  businessHours: string | null;
  timeZone: string | null;
  version: number;
  openNow: boolean | null;
  nextOpening: string | null;
  serviceAreas: { country: string; currency: string | null }[];
  /** The categories its roles serve (the API's rule), and what it states for them. */
  firstResponseCategories: string[];
  firstResponseCommitments: { category: string; businessHours: number }[];
  offers: Offer[];
}

const session = new Session('onyx.partner.credentials');
let credentials: Credentials | null = null;
let me: Provider;
/** The person signed in at the identity provider (none with a pasted key or token). */
let person: string | undefined;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const call = <T>(query: string, variables: Record<string, unknown> = {}) => ask<T>(credentials, query, variables);
const message = (error: unknown) => (error instanceof ApiError ? error.message : shared().somethingWrong);
const w = words;

// ---- sign-in ------------------------------------------------------------------------------------

async function loadMe(): Promise<Provider | null> {
  const { viewer } = await call<{ viewer: Provider | null }>(`query Me { viewer { ${PROVIDER_FIELDS} offers { ${OFFER_FIELDS} } } }`);
  return viewer;
}

/** Whether the portal accepted the credentials; `remember`: keep a pasted one for the tab. */
async function signIn(candidate: Credentials, how: { remember: boolean; person?: string } = { remember: true }): Promise<boolean> {
  credentials = candidate;
  person = how.person;
  const status = $('sign-in-status');
  say(status, shared().signingIn);
  try {
    const provider = await loadMe();
    if (!provider) {
      credentials = null;
      say(status, w().notAProvider, 'error');
      return false;
    }
    if (how.remember) session.set(candidate);
    say(status, '');
    me = provider;
    await loadChoices();
    $('sign-in-card').hidden = true;
    $('portal').hidden = false;
    showProvider();
    showLanguages();
    const isDistributor = me.roles.includes('DISTRIBUTOR');
    $('nav-licenses').hidden = $('licenses').hidden = !(isDistributor || me.roles.includes('SUPPORT_PARTNER'));
    $('nav-statement').hidden = $('statement').hidden = !isDistributor;
    if (!$('licenses').hidden) void loadLicenses([]);
    void loadWebhooks();
    return true;
  } catch (error) {
    credentials = null;
    session.clear();
    say(status, message(error), 'error');
    return false;
  }
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = input('credential').value.trim();
  if (!value) return say($('sign-in-status'), w().enterKeyOrToken, 'error');
  const kind = (document.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value ?? 'apiKey') as Credentials['kind'];
  void signIn({ kind, value });
});

const pageSignIn = startPageSignIn({
  storageKey: 'onyx.partner',
  pagePath: '/partner',
  pasted: session,
  signIn,
  renewed: (fresh) => (credentials = fresh),
});
$('sign-out').addEventListener('click', () => void pageSignIn.then((signIn) => signIn.signOut()));

// ---- profile ------------------------------------------------------------------------------------

const TEXT_FIELDS = ['email', 'phone', 'website', 'postalAddress', 'businessHours', 'timeZone'] as const;
const LIST_FIELDS = ['languages', 'serviceCountries'] as const;
const list = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

type OpeningState = Pick<Provider, 'businessHours' | 'timeZone' | 'openNow' | 'nextOpening'>;

/**
 * "Open now", or when it opens next, in the provider's own time zone (both computed by the API):
 * what practices see (`sees`: with the saved hours, or would see with a draft).
 */
function openingState(provider: OpeningState, sees: (state: string) => string = w().practicesSee): string {
  if (!provider.businessHours || !provider.timeZone) return w().noOpeningTimes;
  if (provider.openNow === true) return sees(w().openNow(provider.timeZone));
  if (provider.openNow === null) return sees(w().cannotTell);
  if (!provider.nextOpening) return sees(w().closedForAYear);
  const at = new Intl.DateTimeFormat(pageLocale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: provider.timeZone,
  }).format(new Date(provider.nextOpening));
  return sees(w().opensAt(at, provider.timeZone));
}

/**
 * While the hours or the time zone are edited: the API's dry run (openingPreview, the same checks
 * and reading as updateProvider and openNow), nothing saved. Asked once typing pauses; an answer
 * overtaken by later typing is dropped.
 */
let previewTimer: ReturnType<typeof setTimeout> | undefined;
let previewAsked = 0;
async function previewOpening() {
  const asked = ++previewAsked;
  const target = $('opening-draft');
  const businessHours = input('businessHours').value.trim();
  const timeZone = input('timeZone').value.trim();
  if (businessHours === (me.businessHours ?? '') && timeZone === (me.timeZone ?? '')) return say(target, '');
  if (!businessHours || !timeZone) return say(target, w().draftNoOpeningTimes);
  try {
    const { openingPreview } = await call<{ openingPreview: OpeningState }>(
      `query OpeningPreview($businessHours: String!, $timeZone: String!, $country: String!) { openingPreview(businessHours: $businessHours, timeZone: $timeZone, country: $country) { businessHours timeZone openNow nextOpening } }`,
      { businessHours, timeZone, country: me.country },
    );
    if (asked === previewAsked) say(target, openingState(openingPreview, w().practicesWouldSee));
  } catch (error) {
    if (asked === previewAsked) say(target, message(error), 'error');
  }
}
for (const field of ['businessHours', 'timeZone']) {
  input(field).addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void previewOpening(), 400);
  });
}

/** Who is signed in, for which provider in which roles, in the page's language. */
function showWho() {
  const who = `${me.name} (${me.id}; ${me.roles.map((role) => wordFor(shared().roles, role)).join(', ')})`;
  $('who').textContent = shared().signedInAs(person ? `${person}, ${who}` : who);
}

function showProvider() {
  showWho();
  for (const field of TEXT_FIELDS) input(field).value = me[field] ?? '';
  for (const field of LIST_FIELDS) input(field).value = me[field].join(', ');
  $('opening-preview').textContent = openingState(me);
  say($('opening-draft'), '');
  showResponseTimes(false);
  showCurrencies();
  showOffers();
  // Every change shows up in the trail at once.
  void loadAudit(true);
}

$('profile-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('profile-status');
  // Only what changed is sent: fields left out stay as they are.
  const changes: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) if (input(field).value.trim() !== (me[field] ?? '')) changes[field] = input(field).value.trim();
  for (const field of LIST_FIELDS) if (list(input(field).value).join(',') !== me[field].join(',')) changes[field] = list(input(field).value);
  if (Object.keys(changes).length === 0) return say(status, w().nothingChanged);
  say(status, shared().saving);
  try {
    const { updateProvider } = await call<{ updateProvider: Provider }>(
      `mutation UpdateProfile($id: ID!, $version: Int!, $input: ProviderUpdateInput!) { updateProvider(id: $id, version: $version, input: $input) { ${PROVIDER_FIELDS} offers { ${OFFER_FIELDS} } } }`,
      { id: me.id, version: me.version, input: changes },
    );
    me = updateProvider;
    showProvider();
    say(status, w().profileSaved, 'ok');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CONFLICT') {
      say(status, w().profileConflict(error.message), 'error');
    } else {
      say(status, message(error), 'error');
    }
  }
});

// ---- response times -----------------------------------------------------------------------------

const isManufacturer = () => me.roles.includes('MANUFACTURER');

/**
 * One field per category the partner serves (the API says which), holding its stated business
 * hours; `keepTyped`: a change of language keeps what was typed and not saved yet.
 */
function showResponseTimes(keepTyped: boolean) {
  const stated = new Map(me.firstResponseCommitments.map((c) => [c.category, String(c.businessHours)]));
  if (keepTyped) for (const field of document.querySelectorAll<HTMLInputElement>('#response-fields input')) stated.set(field.dataset.category!, field.value);
  $('response-fields').replaceChildren(
    ...me.firstResponseCategories.map((category) => {
      const field = el('input', {
        id: `response-${category}`,
        type: 'number',
        min: '0.25',
        max: '400',
        step: '0.25',
        inputmode: 'decimal',
        'data-category': category,
        autocomplete: 'off',
      }) as HTMLInputElement;
      field.value = stated.get(category) ?? '';
      field.disabled = isManufacturer();
      return el(
        'div',
        {},
        el('label', { for: field.id }, `${wordFor(shared().categories, category)} `, el('span', { class: 'hint' }, shared().inBusinessHours)),
        field,
      );
    }),
  );
  // The manufacturer's commitments are the admins' to set (docs/rules.md "Response-time commitments").
  $('response-save').hidden = isManufacturer();
  if (isManufacturer()) say($('response-status'), w().manufacturerSetsOwn);
}

$('response-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('response-status');
  const fields = [...document.querySelectorAll<HTMLInputElement>('#response-fields input')];
  // The API checks the numbers (quarter hours, at most 400) and says what is wrong in its own words.
  const commitments = fields.filter((f) => f.value.trim() !== '').map((f) => ({ category: f.dataset.category!, businessHours: Number(f.value) }));
  say(status, shared().saving);
  try {
    const { updateProvider } = await call<{ updateProvider: Provider }>(
      `mutation UpdateResponseTimes($id: ID!, $version: Int!, $input: ProviderUpdateInput!) { updateProvider(id: $id, version: $version, input: $input) { ${PROVIDER_FIELDS} offers { ${OFFER_FIELDS} } } }`,
      { id: me.id, version: me.version, input: { firstResponseCommitments: commitments } },
    );
    me = updateProvider;
    showProvider();
    say(status, commitments.length ? w().responseTimesSaved : w().noResponseTimesSaved, 'ok');
  } catch (error) {
    say(status, message(error), 'error');
  }
});

// ---- offers -------------------------------------------------------------------------------------

const serviceSelect = $<HTMLSelectElement>('offer-service');
const unitSelect = $<HTMLSelectElement>('offer-unit');

/**
 * The form's choices from the schema itself (introspection, as the dashboard's filters): a service
 * or unit the API adds appears here without a change to the page; the words are only labels.
 * Currencies have no enum (MoneyInput.currency is an ISO 4217 code the API checks), so their
 * suggestions are the API's own: the currencies of the partner's service countries and of its offers.
 */
let choices: { services: string[]; units: string[]; statuses: string[] } = { services: [], units: [], statuses: [] };
async function loadChoices() {
  try {
    const [services, units, statuses] = await Promise.all([
      enumValues(credentials, 'ServiceKind'),
      enumValues(credentials, 'PriceUnit'),
      enumValues(credentials, 'LicenseStatus'),
    ]);
    choices = { services, units, statuses };
    showChoices();
  } catch (error) {
    // A gateway with INTROSPECTION=off: the rest of the portal still works; the form says why it cannot.
    say($('offers-status'), w().choicesUnreadable(message(error)), 'error');
  }
}

/** The choices as words of the page's language; what was chosen stays chosen. */
function showChoices() {
  const fill = (select: HTMLSelectElement, values: string[], names: object, first: HTMLOptionElement[] = []) => {
    const chosen = select.value;
    select.replaceChildren(...first, ...values.map((value) => el('option', { value }, wordFor(names, value))));
    if (chosen) select.value = chosen;
  };
  fill(serviceSelect, choices.services, shared().services);
  fill(unitSelect, choices.units, shared().units);
  fill($<HTMLSelectElement>('license-status'), choices.statuses, shared().statuses, [el('option', { value: '' }, w().anyStatus)]);
}

function showCurrencies() {
  const currencies = [...new Set([...me.serviceAreas.map((a) => a.currency), ...me.offers.map((o) => o.price.currency)].filter((c): c is string => !!c))];
  $('offer-currencies').replaceChildren(...currencies.map((value) => el('option', { value })));
  input('offer-currency').placeholder = currencies[0] ?? '';
}

const validity = (o: Pick<Offer, 'validFrom' | 'validUntil'>) =>
  o.validFrom || o.validUntil ? w().validRange(o.validFrom ? formatDate(o.validFrom) : '…', o.validUntil ? formatDate(o.validUntil) : '…') : w().validOpen;

function showOffers() {
  if (me.offers.length === 0) {
    $('offer-list').replaceChildren(el('p', {}, w().noOffersYet));
    return;
  }
  const rows = me.offers.map((offer) => {
    const edit = el('button', { type: 'button', class: 'secondary', 'data-edit': offer.id }, w().edit);
    edit.setAttribute('aria-label', w().editOffer(offer.title));
    edit.addEventListener('click', () => editOffer(offer));
    const withdraw = el('button', { type: 'button', class: 'danger', 'data-withdraw': offer.id }, w().withdraw);
    withdraw.setAttribute('aria-label', w().withdrawOffer(offer.title));
    withdraw.addEventListener('click', () => void withdrawOffer(offer));
    return [
      wordFor(shared().services, offer.service),
      offer.title,
      formatMoney(offer.price),
      wordFor(shared().units, offer.unit),
      validity(offer),
      String(offer.version),
      el('span', {}, edit, withdraw),
    ];
  });
  $('offer-list').replaceChildren(
    table(w().priceList, [w().service, w().title, w().price, w().unit, w().valid, w().version, w().actions], rows, { id: 'offer-table' }),
  );
}

/** The offer the form holds (null: a new one), to title the form in the page's language. */
let offerInForm: Offer | null = null;
const showOfferFormHeading = () => ($('offer-form-heading').textContent = offerInForm ? w().changeOffer(offerInForm.title, offerInForm.version) : w().newOffer);

function editOffer(offer: Offer | null) {
  offerInForm = offer;
  input('offer-id').value = offer?.id ?? '';
  input('offer-version').value = offer ? String(offer.version) : '';
  serviceSelect.selectedIndex = 0;
  if (offer) serviceSelect.value = offer.service;
  input('offer-title').value = offer?.title ?? '';
  input('offer-amount').value = offer?.price.amount ?? '';
  input('offer-currency').value = offer?.price.currency ?? '';
  unitSelect.selectedIndex = 0;
  if (offer) unitSelect.value = offer.unit;
  input('offer-from').value = offer?.validFrom ?? '';
  input('offer-until').value = offer?.validUntil ?? '';
  $<HTMLTextAreaElement>('offer-description').value = offer?.description ?? '';
  showOfferFormHeading();
  if (offer) input('offer-title').focus();
}
$('offer-new').addEventListener('click', () => editOffer(null));

/** The offer as the form holds it: what saveOffer receives. */
function offerFromForm() {
  const optional = (id: string) => input(id).value.trim() || undefined;
  const id = input('offer-id').value || undefined;
  return {
    ...(id ? { id, version: Number(input('offer-version').value) } : {}),
    service: serviceSelect.value,
    title: input('offer-title').value.trim(),
    description: $<HTMLTextAreaElement>('offer-description').value.trim() || undefined,
    price: { amount: input('offer-amount').value.trim(), currency: input('offer-currency').value.trim().toUpperCase() },
    unit: unitSelect.value,
    validFrom: optional('offer-from'),
    validUntil: optional('offer-until'),
  };
}

function describeOffer(offer: Pick<Offer, 'service' | 'title' | 'price' | 'unit' | 'validFrom' | 'validUntil' | 'description'> & { version?: number }) {
  const rows: [string, string][] = [
    [w().service, wordFor(shared().services, offer.service)],
    [w().title, offer.title],
    [w().price, formatMoney(offer.price)],
    [w().unit, wordFor(shared().units, offer.unit)],
    [w().valid, validity({ validFrom: offer.validFrom ?? null, validUntil: offer.validUntil ?? null })],
    [w().description, offer.description ?? '—'],
  ];
  return el('dl', {}, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/**
 * A stale version: the API changed nothing. Both versions side by side, the page's own and the
 * stored one (asked afresh from the API), so the partner decides; nothing is overwritten.
 */
async function showConflict(apiMessage: string, offerId: string, mine: ReturnType<typeof offerFromForm> | Offer, action: 'change' | 'withdrawal') {
  const { provider } = await call<{ provider: { version: number; offers: Offer[] } }>(
    `query Stored($id: ID!) { provider(id: $id) { version offers { ${OFFER_FIELDS} } } }`,
    { id: me.id },
  );
  const stored = provider.offers.find((o) => o.id === offerId) ?? null;
  const panel = $('offer-conflict');
  const reload = el('button', { type: 'button', id: 'conflict-load-stored' }, stored ? w().continueFromStored : w().close);
  reload.addEventListener('click', async () => {
    panel.hidden = true;
    me = (await loadMe()) ?? me;
    showProvider();
    editOffer(stored);
  });
  panel.replaceChildren(
    el(
      'div',
      { class: 'conflict', role: 'alert' },
      el('h3', {}, w().conflictHeading),
      el('p', {}, action === 'change' ? w().conflictChange(apiMessage, mine.version!) : w().conflictWithdrawal(apiMessage, mine.version!)),
      el(
        'div',
        { class: 'versions' },
        el('div', { id: 'conflict-mine' }, el('h4', {}, w().yourVersion(mine.version!)), describeOffer(mine as Offer)),
        el(
          'div',
          { id: 'conflict-stored' },
          el('h4', {}, stored ? w().storedVersion(stored.version) : w().storedVersionGone),
          stored ? describeOffer(stored) : el('p', {}, w().offerWithdrawn),
        ),
      ),
      reload,
    ),
  );
  panel.hidden = false;
  reload.focus();
}

$('offer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('offers-status');
  const offer = offerFromForm();
  say(status, shared().saving);
  try {
    const { saveOffer } = await call<{ saveOffer: Offer }>(
      `mutation SaveOffer($providerId: ID!, $input: OfferInput!) { saveOffer(providerId: $providerId, input: $input) { ${OFFER_FIELDS} } }`,
      { providerId: me.id, input: offer },
    );
    me = (await loadMe()) ?? me;
    showProvider();
    editOffer(null);
    say(status, w().offerSaved(saveOffer.title, formatMoney(saveOffer.price), wordFor(shared().units, saveOffer.unit), saveOffer.version), 'ok');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CONFLICT' && offer.id) {
      say(status, '');
      await showConflict(error.message, offer.id, offer, 'change');
    } else {
      say(status, message(error), 'error');
    }
  }
});

async function withdrawOffer(offer: Offer) {
  const status = $('offers-status');
  if (!confirm(w().confirmWithdraw(offer.title))) return;
  try {
    await call(`mutation Withdraw($id: ID!, $version: Int!) { withdrawOffer(id: $id, version: $version) { id version } }`, {
      id: offer.id,
      version: offer.version,
    });
    me = (await loadMe()) ?? me;
    showProvider();
    say(status, w().withdrew(offer.title), 'ok');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'CONFLICT') await showConflict(error.message, offer.id, offer, 'withdrawal');
    else say(status, message(error), 'error');
  }
}

// ---- how practices find me ------------------------------------------------------------------------

interface Rank {
  position: number | null;
  total: number;
  explanation: string;
}
interface Place {
  country: string;
  holderLanguage: string;
  topic: { id: string; name: string };
  openRanking: Rank;
  ownHolders: Rank;
}

/** The explanation folded away (one per topic and country, so the tables stay readable), its words unchanged. */
const why = (rank: Rank) => el('details', {}, el('summary', {}, w().why), el('p', { class: 'explanation' }, rank.explanation));
const placeText = (rank: Rank) => (rank.position === null ? count(w().notListed, rank.total) : w().place(rank.position, rank.total));
/** Languages offered besides the partner's own: those of the network's countries. */
const NETWORK_LANGUAGES = ['de', 'en', 'fr', 'it', 'es', 'nl', 'pl', 'tr'];

/** The holders' languages by name in the page's language; the one chosen stays chosen. */
function showLanguages() {
  const select = $<HTMLSelectElement>('found-language');
  const chosen = select.value || me.languages[0] || 'en';
  const languages = [...new Set([...me.languages, ...NETWORK_LANGUAGES])];
  select.replaceChildren(...languages.map((code) => el('option', { value: code, lang: code }, languageName(code))));
  select.value = chosen;
}

/**
 * One request: the API ranks the partner in every service country by the same rules as
 * supportContact (routingStanding), also where none of its licenses is.
 */
$('found-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadRanking();
});

/** Whether the ranking is shown, so a change of language asks for it again (the API words its explanations). */
let rankingShown = false;
async function loadRanking() {
  const status = $('found-status');
  say(status, w().askingDirectory);
  try {
    const rank = 'position total explanation';
    const { routingStanding } = await call<{ routingStanding: { places: Place[] } }>(
      `query HowPracticesFindMe($id: ID!, $language: String) { routingStanding(providerId: $id) { places(holderLanguage: $language) { country holderLanguage topic { id name } openRanking { ${rank} } ownHolders { ${rank} } } } }`,
      { id: me.id, language: $<HTMLSelectElement>('found-language').value },
    );
    const places = routingStanding.places;
    rankingShown = true;
    if (places.length === 0) {
      $('found-result').replaceChildren();
      return say(status, w().notRouted);
    }
    const countries = [...new Set(places.map((p) => p.country))];
    $('found-result').replaceChildren(
      ...countries.map((country) => {
        const rows = places
          .filter((p) => p.country === country)
          .map((p) => [p.topic.name, placeText(p.openRanking), why(p.openRanking), placeText(p.ownHolders), why(p.ownHolders)]);
        return table(
          w().rankingCaption(countryName(country), languageName(places[0].holderLanguage)),
          [w().topic, w().placeOpen, w().why, w().placeOwn, w().whatTheyAreTold],
          rows,
          { 'data-country': country },
        );
      }),
    );
    say(status, '');
  } catch (error) {
    say(status, message(error), 'error');
  }
}

// ---- licenses -----------------------------------------------------------------------------------

interface LicenseRow {
  key: string;
  packageName: string;
  status: string;
  maintenancePaidThrough: string | null;
  holder: { name: string; country: string };
  vendor: { name: string } | null;
  supportPartner: { name: string } | null;
}
const PAGE = 10;
/** The cursors of the pages shown so far ([]: the first page). */
let cursors: string[] = [];
let nextCursor: string | null = null;

async function loadLicenses(after: string[]) {
  const status = $('licenses-status');
  say(status, shared().loading);
  try {
    const { licenses } = await call<{
      licenses: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: LicenseRow }[] };
    }>(
      `query Licenses($first: Int, $after: String, $search: String, $status: LicenseStatus) { licenses(first: $first, after: $after, search: $search, status: $status) { totalCount pageInfo { hasNextPage endCursor } edges { node { key packageName status maintenancePaidThrough holder { name country } vendor { name } supportPartner { name } } } } }`,
      {
        first: PAGE,
        after: after.at(-1) ?? null,
        search: input('license-text').value.trim() || null,
        status: $<HTMLSelectElement>('license-status').value || null,
      },
    );
    cursors = after;
    nextCursor = licenses.pageInfo.hasNextPage ? licenses.pageInfo.endCursor : null;
    const from = cursors.length * PAGE;
    const rows = licenses.edges.map(({ node }) => [
      node.key,
      node.holder.name,
      countryName(node.holder.country),
      node.packageName,
      wordFor(shared().statuses, node.status),
      node.maintenancePaidThrough ? formatDate(node.maintenancePaidThrough) : '—',
      node.vendor?.name ?? w().boughtDirectly,
      node.supportPartner?.name ?? '—',
    ]);
    const search = input('license-text').value.trim();
    const [first, last, total] = [from + 1, from + rows.length, licenses.totalCount];
    let caption: string;
    if (total === 0) caption = search ? w().noLicenseMatching(search) : w().noLicense;
    else caption = search ? w().licensesRangeMatching(first, last, total, search) : w().licensesRange(first, last, total);
    $('license-list').replaceChildren(
      table(caption, [w().key, w().practice, w().country, w().packageName, w().status, w().paidThrough, w().vendor, w().supportPartner], rows, {
        id: 'license-table',
      }),
    );
    $('licenses-prev').hidden = cursors.length === 0;
    $('licenses-next').hidden = nextCursor === null;
    say(status, '');
  } catch (error) {
    say(status, message(error), 'error');
  }
}
$('license-search').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadLicenses([]);
});
$('licenses-next').addEventListener('click', () => nextCursor && void loadLicenses([...cursors, nextCursor]));
$('licenses-prev').addEventListener('click', () => void loadLicenses(cursors.slice(0, -1)));

// ---- maintenance statement ----------------------------------------------------------------------

interface Money {
  amount: string;
  currency: string;
}
interface FeeLine {
  licenseKey: string;
  year: number;
  net: Money;
  vatRate: string;
  vat: Money;
  gross: Money;
  reverseCharge: boolean;
  billedBy: { name: string };
  supplierCountry: string;
  customerCountry: string;
}
const STATEMENT_CSV_HEAD = ['licenseKey', 'year', 'customerCountry', 'net', 'vatRate', 'vat', 'gross', 'currency', 'reverseCharge', 'billedBy'];

input('statement-year').value = String(new Date().getFullYear());
interface Statement {
  year: number;
  lines: FeeLine[];
  remitToManufacturer: Money;
}
/** The statement shown, drawn again in another language without asking again. */
let shownStatement: Statement | null = null;

$('statement-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('statement-status');
  const year = Number(input('statement-year').value.trim());
  if (!Number.isInteger(year)) return say(status, w().enterYear, 'error');
  say(status, shared().loading);
  try {
    const { resellerStatement } = await call<{ resellerStatement: Statement }>(
      `query Statement($providerId: ID!, $year: Int!) { resellerStatement(providerId: $providerId, year: $year) { year lines { licenseKey year net { amount currency } vatRate vat { amount currency } gross { amount currency } reverseCharge billedBy { name } supplierCountry customerCountry } remitToManufacturer { amount currency } } }`,
      { providerId: me.id, year },
    );
    shownStatement = resellerStatement;
    showStatement(resellerStatement);
    say(status, '');
  } catch (error) {
    say(status, message(error), 'error');
  }
});

/** The fee lines with money, rates and countries for the reader's locale; the CSV keeps the API's codes and decimal strings. */
function showStatement(statement: Statement) {
  const { year, lines } = statement;
  const rows = lines.map((l) => [
    l.licenseKey,
    String(l.year),
    countryName(l.customerCountry),
    formatMoney(l.net),
    formatRate(l.vatRate),
    formatMoney(l.vat),
    formatMoney(l.gross),
    l.gross.currency,
    l.reverseCharge ? w().yes : w().no,
    l.billedBy.name,
  ]);
  $('statement-result').replaceChildren(
    table(
      count(w().statementCaption, rows.length, { year: String(year) }),
      [w().license, w().year, w().customerCountry, w().net, w().vatRate, w().vat, w().gross, w().currency, w().reverseCharge, w().billedBy],
      rows,
      { id: 'statement-table' },
    ),
    el('p', { id: 'statement-remit' }, w().remit(formatMoney(statement.remitToManufacturer), String(year))),
    csvButton(w().downloadStatement, `maintenance-statement-${me.id}-${year}.csv`, () => ({
      head: STATEMENT_CSV_HEAD,
      rows: lines.map((l) => [
        l.licenseKey,
        l.year,
        l.customerCountry,
        l.net.amount,
        l.vatRate,
        l.vat.amount,
        l.gross.amount,
        l.gross.currency,
        l.reverseCharge,
        l.billedBy.name,
      ]),
    })),
  );
}

// ---- audit trail --------------------------------------------------------------------------------

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  subjectType: string;
  subjectId: string;
  actorRole: string;
  actorSub: string | null;
  actorName: string | null;
  actorKeyId: string | null;
  before: string | null;
  after: string | null;
}
let auditCursor: string | null = null;

/** Who made a change: the person's name when they signed in at an identity provider, else the subject; other organizations' people by role only. */
const actorText = (entry: AuditEntry) => {
  const who = entry.actorName ? `${entry.actorName} (${entry.actorSub})` : entry.actorSub;
  return `${wordFor(w().actorRoles, entry.actorRole)}${who ? ` ${who}` : ''}${entry.actorKeyId ? ` ${w().throughApiKey}` : ''}`;
};

const changeDetails = (entry: AuditEntry) =>
  el(
    'details',
    {},
    el('summary', {}, w().beforeAndAfter),
    el(
      'div',
      { class: 'versions' },
      el('div', {}, el('h4', {}, w().before), el('pre', {}, entry.before ?? w().created)),
      el('div', {}, el('h4', {}, w().after), el('pre', {}, entry.after ?? w().removed)),
    ),
  );

async function loadAudit(fresh: boolean) {
  const status = $('audit-status');
  try {
    const { auditTrail } = await call<{
      auditTrail: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: AuditEntry }[] };
    }>(
      `query Audit($after: String) { auditTrail(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id at action subjectType subjectId actorRole actorSub actorName actorKeyId before after } } } }`,
      { after: fresh ? null : auditCursor },
    );
    auditCursor = auditTrail.pageInfo.hasNextPage ? auditTrail.pageInfo.endCursor : null;
    const rows = auditTrail.edges.map(({ node }) => [
      el('time', { datetime: node.at }, formatInstant(node.at)),
      node.action,
      `${node.subjectType} ${node.subjectId}`,
      actorText(node),
      changeDetails(node),
    ]);
    const existing = fresh ? null : $('audit-list').querySelector('tbody');
    if (existing) {
      for (const row of rows) existing.append(el('tr', {}, ...row.map((cell) => el('td', {}, cell))));
    } else {
      $('audit-list').replaceChildren(
        table(count(w().auditCaption, auditTrail.totalCount), [w().when, w().what, w().record, w().who, w().change], rows, { id: 'audit-table' }),
      );
    }
    $('audit-more').hidden = auditCursor === null;
  } catch (error) {
    say(status, message(error), 'error');
  }
}
$('audit-more').addEventListener('click', () => void loadAudit(false));

// ---- webhooks: endpoints, their state, and the delivery holding each queue ---------------------------

interface WebhookEndpointState {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
}
interface HeldDelivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  replayOf: string | null;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
}

const endpointStateText = (e: WebhookEndpointState) =>
  !e.enabled
    ? w().disabledSince(e.disabledAt ? formatInstant(e.disabledAt) : '–', e.disabledReason ?? '')
    : e.failingSince
      ? count(w().failingSince, e.consecutiveFailures, { when: formatInstant(e.failingSince) })
      : w().enabled;

/** The oldest waiting delivery of the queue that was already tried: what holds it (replays go beside the queue). */
const heldHead = (deliveries: HeldDelivery[]) => deliveries.filter((d) => d.status === 'PENDING' && d.replayOf === null && d.attempts > 0).at(-1);

async function webhookAction(mutation: string, id: string, done: string) {
  const status = $('webhooks-status');
  try {
    await call(mutation, { id });
    say(status, done, 'ok');
  } catch (error) {
    say(status, message(error), 'error');
  }
  await loadWebhooks();
}

async function loadWebhooks() {
  const status = $('webhooks-status');
  try {
    const { webhookEndpoints } = await call<{ webhookEndpoints: WebhookEndpointState[] }>(
      `query Webhooks($providerId: ID!) { webhookEndpoints(providerId: $providerId) { id url events enabled disabledAt disabledReason failingSince consecutiveFailures } }`,
      { providerId: me.id },
    );
    const rows = await Promise.all(
      webhookEndpoints.map(async (endpoint) => {
        const { webhookDeliveries } = await call<{ webhookDeliveries: { edges: { node: HeldDelivery }[] } }>(
          `query Queue($endpointId: ID!) { webhookDeliveries(endpointId: $endpointId, first: 50) { edges { node { id eventType status attempts replayOf nextAttemptAt lastResponseStatus } } } }`,
          { endpointId: endpoint.id },
        );
        const head = heldHead(webhookDeliveries.edges.map((e) => e.node));
        const actions = el('div', { class: 'actions' });
        if (!endpoint.enabled) {
          const enable = el('button', { type: 'button', class: 'secondary' }, w().enableAgain);
          enable.addEventListener('click', () =>
            webhookAction(`mutation Enable($id: ID!) { enableWebhookEndpoint(id: $id) { id } }`, endpoint.id, w().enabledAgain(endpoint.url)),
          );
          actions.append(enable);
        }
        let queue = w().nothingHeld;
        if (head) {
          queue = count(w().heldDelivery, head.attempts, {
            id: head.id,
            event: head.eventType,
            answer: head.lastResponseStatus === null ? w().noAnswer : String(head.lastResponseStatus),
            next: head.nextAttemptAt ? formatInstant(head.nextAttemptAt) : '–',
          });
          const retry = el('button', { type: 'button', class: 'secondary' }, w().retryNow);
          retry.addEventListener('click', () =>
            webhookAction(`mutation Retry($id: ID!) { retryWebhookDelivery(id: $id) { id } }`, head.id, w().dueNow(head.id)),
          );
          const skip = el('button', { type: 'button', class: 'secondary' }, w().skip);
          skip.addEventListener('click', () => webhookAction(`mutation Skip($id: ID!) { skipWebhookDelivery(id: $id) { id } }`, head.id, w().skipped(head.id)));
          if (endpoint.enabled) actions.append(retry);
          actions.append(skip);
        }
        return [endpoint.url, endpoint.events.join(', '), endpointStateText(endpoint), queue, actions];
      }),
    );
    $('webhook-list').replaceChildren(
      rows.length
        ? table(count(w().endpointsCaption, rows.length), [w().url, w().events, w().state, w().held, w().actions], rows, { id: 'webhook-table' })
        : el('p', {}, w().noEndpoints),
    );
  } catch (error) {
    say(status, message(error), 'error');
  }
}

// ---- language -----------------------------------------------------------------------------------

/**
 * The page in the language it is shown in now: its own words, and what is on screen drawn again;
 * what the API worded (the ranking's explanations, topic names) is asked again in that language.
 * What was typed and not saved stays.
 */
function showLanguage() {
  labelPage({ ...shared(), ...w() });
  showOfferFormHeading();
  if ($('portal').hidden) return;
  showWho();
  $('opening-preview').textContent = openingState(me);
  void previewOpening();
  showResponseTimes(true);
  showChoices();
  showLanguages();
  showOffers();
  if (shownStatement) showStatement(shownStatement);
  if (!$('licenses').hidden) void loadLicenses(cursors);
  if (rankingShown) void loadRanking();
  void loadWebhooks();
  void loadAudit(true);
}

setPageLanguage(pageLanguage());
languageMenu($<HTMLSelectElement>('language'), showLanguage);
showLanguage();

// A signed-in tab stays signed in across reloads (sessionStorage), never beyond the tab: startPageSignIn
// (above) picks the kept tokens or key up.
