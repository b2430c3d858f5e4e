/**
 * The support finder, for a practice's reception: sign in with the license key and the access code
 * from the license papers (the session lasts as long as the browser tab, in sessionStorage), pick a
 * topic, and get one ranked list: whom to contact in the API's routing order, each with languages,
 * buttons to write or call, whether it is open, and its current offers for that service (net
 * prices, formatted for the page's language). Without signing in, the public part: the support
 * partners serving a chosen country, with their offers. German, English, French, Italian and Polish,
 * chosen as every page chooses (web/common/i18n.ts), then the signed-in practice's own.
 */
import './style.css';
import {
  ask,
  ApiError,
  COUNTRIES_QUERY,
  FINDER_QUERY,
  HOLDER_LANGUAGE_QUERY,
  PARTNERS_QUERY,
  SIGN_IN_MUTATION,
  TOPICS_QUERY,
  Unreachable,
  type Finding,
  type LicenseSummary,
  type Provider,
  type FirstResponse,
  type ServiceKind,
  type Session,
  type Topic,
} from './api';
import { chosenLanguage, isLanguage, labelPage, languageMenu, pageLanguage, pageLocale, setPageLanguage } from '../common/i18n';
import { SHARED_WORDS } from '../common/words';
import { formatFirstResponse, formatPrice, LABELS, type Labels } from './i18n';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const signInForm = $<HTMLFormElement>('#sign-in');
const licenseInput = $<HTMLInputElement>('#license');
const codeInput = $<HTMLInputElement>('#code');
const sessionBox = $<HTMLDivElement>('#session');
const finderForm = $<HTMLFormElement>('#finder');
const topicSelect = $<HTMLSelectElement>('#topic');
const partnersForm = $<HTMLFormElement>('#partners-form');
const countrySelect = $<HTMLSelectElement>('#country');
const partnersBox = $<HTMLDivElement>('#partners');
const status = $<HTMLParagraphElement>('#status');
const answer = $<HTMLElement>('#answer');
const languageSelect = $<HTMLSelectElement>('#language');

const SESSION_KEY = 'onyx-finder-session';

const t = (): Labels => LABELS[pageLanguage()];
const serviceWords = (): Record<string, string> => SHARED_WORDS[pageLanguage()].services;
const locale = pageLocale;
let topics: Topic[] = [];
let countries: string[] = [];
/** What is on screen, so a change of language can draw it again. */
let shown: { kind: 'answer'; finding: Finding; license: LicenseSummary } | undefined;
let shownPartners: { country: string; partners: Provider[] } | undefined;

/** Builds an element; text is always set as text, never parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null | undefined | false)[]) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const present = (...items: (Node | null | false | 0)[]) => items.filter((item): item is Node => !!item);

// ----------------------------------------------------------------------------------------------
// Session (this tab only)

function readSession(): Session | undefined {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    if (session && new Date(session.expiresAt).getTime() > Date.now()) return session;
  } catch {
    // An unreadable session is no session.
  }
  sessionStorage.removeItem(SESSION_KEY);
  return undefined;
}

const timeFormat = () => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' });

function drawSession() {
  const session = readSession();
  signInForm.hidden = !!session;
  sessionBox.hidden = !session;
  if (session) $('#session-text').textContent = t().signedInAs(session.licenseKey, timeFormat().format(new Date(session.expiresAt)));
}

function say(message: string, kind: 'info' | 'error' = 'info') {
  status.textContent = message;
  status.className = kind === 'error' ? 'error no-print' : 'no-print';
  status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

function endSession(message: string) {
  sessionStorage.removeItem(SESSION_KEY);
  shown = undefined;
  answer.hidden = true;
  answer.replaceChildren();
  drawSession();
  say(message, 'error');
  licenseInput.focus();
}

/** An API error in the API's own words; the page's words only where the API gave none. */
function explain(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Unreachable) return t().unreachable;
  return String(error);
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const licenseKey = licenseInput.value.trim();
  const accessCode = codeInput.value.trim();
  if (!licenseKey) return (say(t().enterKey, 'error'), licenseInput.focus());
  if (!accessCode) return (say(t().enterCode, 'error'), codeInput.focus());
  say(t().signingIn);
  signInForm.setAttribute('aria-busy', 'true');
  try {
    const { signIn } = await ask<{
      signIn: { token: string; expiresAt: string };
    }>(SIGN_IN_MUTATION, { licenseKey, accessCode });
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ licenseKey, ...signIn } satisfies Session));
    codeInput.value = '';
    await adoptHolderLanguage(licenseKey, signIn.token);
    drawSession();
    say($('#session-text').textContent ?? '');
    topicSelect.focus();
  } catch (error) {
    say(explain(error), 'error');
    codeInput.select();
    codeInput.focus();
  } finally {
    signInForm.removeAttribute('aria-busy');
  }
});

$('#sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(SESSION_KEY);
  shown = undefined;
  answer.hidden = true;
  answer.replaceChildren();
  drawSession();
  say(t().signedOut);
  licenseInput.focus();
});

// ----------------------------------------------------------------------------------------------
// Drawing providers

const languageNames = () => new Intl.DisplayNames([locale()], { type: 'language' });
const countryName = (code: string) => new Intl.DisplayNames([locale()], { type: 'region' }).of(code) ?? code;

/** "Open now", or when it opens next, in the provider's own time zone (its hours are written in it). */
function openingState(provider: Provider): string | null {
  if (provider.openNow === true) return t().openNow;
  if (provider.openNow !== false) return null;
  if (!provider.nextOpening) return t().closed;
  const at = new Intl.DateTimeFormat(locale(), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: provider.timeZone ?? undefined,
  }).format(new Date(provider.nextOpening));
  return t().opensAt(`${at}${provider.timeZone ? ` (${provider.timeZone})` : ''}`);
}

function offerList(provider: Provider, services: ServiceKind[]) {
  const offers = provider.offers.filter((offer) => services.includes(offer.service));
  if (offers.length === 0) return el('p', { class: 'no-offers' }, t().noOffers);
  return el(
    'ul',
    { class: 'offers', 'aria-label': t().offers },
    ...offers.map((offer) =>
      el(
        'li',
        {},
        services.length > 1 ? el('span', { class: 'service' }, `${serviceWords()[offer.service] ?? offer.service}: `) : null,
        `${offer.title}: `,
        el('strong', { class: 'price' }, formatPrice(pageLanguage(), offer.price, offer.unit)),
        ' ',
        el('span', { class: 'net' }, `(${t().net})`),
      ),
    ),
  );
}

/** "answers within 4 business hours — by Tuesday 10:00", in the page's language and the reader's time zone. */
const responseLine = (response: FirstResponse | undefined) =>
  response ? el('p', { class: 'response-time' }, formatFirstResponse(pageLanguage(), response.businessHours, response.expectedBy)) : null;

/** One provider: name, languages, buttons to write or call, opening state, its response time and its offers. */
function providerItem(provider: Provider, services: ServiceKind[], headingLevel: 'h3' | 'h4', response?: FirstResponse) {
  const names = languageNames();
  const state = openingState(provider);
  const actions = el(
    'div',
    { class: 'actions' },
    provider.email && el('a', { class: 'button', href: `mailto:${provider.email}` }, `${t().email}: ${provider.email}`),
    provider.phone &&
      el(
        'a',
        {
          class: 'button',
          href: `tel:${provider.phone.replace(/[^\d+]/g, '')}`,
        },
        `${t().phone}: ${provider.phone}`,
      ),
    provider.website && el('a', { class: 'button secondary', href: provider.website, rel: 'noopener' }, t().website),
  );
  const facts = el(
    'dl',
    {},
    el('dt', {}, t().languages),
    el('dd', { class: 'languages' }, provider.languages.map((code) => names.of(code) ?? code).join(', ')),
    provider.businessHours && el('dt', {}, t().hours),
    provider.businessHours && el('dd', {}, `${provider.businessHours}${provider.timeZone ? ` (${provider.timeZone})` : ''}`),
  );
  return el(
    'article',
    { class: 'card', 'data-provider': provider.id },
    el(headingLevel, {}, provider.name),
    state && el('p', { class: `opening ${provider.openNow ? 'open' : 'closed'}` }, state),
    responseLine(response),
    facts,
    actions.childElementCount ? actions : null,
    services.length ? offerList(provider, services) : null,
  );
}

// ----------------------------------------------------------------------------------------------
// The answer for a signed-in practice

/** The offers that belong to a topic: its service (none for software maintenance). */
function serviceOf(topic: Pick<Topic, 'id' | 'category'>): ServiceKind | undefined {
  if (topic.category.id === 'USER_SUPPORT') return topic.id === 'training' ? 'TRAINING' : 'USER_SUPPORT';
  if (topic.category.id === 'TECHNICAL_SUPPORT') return 'TECHNICAL_SUPPORT';
  return undefined;
}

function drawAnswer(finding: Finding, license: LicenseSummary) {
  const service = serviceOf(finding.topic);
  const services = service ? [service] : [];
  const level = finding.topic.level ? ` · ${finding.topic.level.replace('LEVEL_', 'Level ')}` : '';
  answer.replaceChildren(
    ...present(
      el(
        'div',
        { class: 'answer-head' },
        el('h2', { tabindex: '-1', id: 'answer-heading' }, t().answerFor(finding.topic.name, license.key)),
        el('button', { type: 'button', id: 'print', class: 'secondary no-print' }, t().print),
      ),
      el('p', { class: 'meta' }, `${license.holder.name} · ${countryName(license.holder.country)} · ${finding.topic.category.name}${level}`),
      el('p', { class: 'explanation' }, finding.explanation),
      el('h3', {}, t().contactsHeading),
      finding.contacts.length
        ? el(
            'ol',
            { class: 'ranked', id: 'contacts' },
            ...finding.contacts.map((provider, i) => el('li', {}, providerItem(provider, services, 'h4', finding.firstResponses[i]))),
          )
        : el('p', {}, t().noContacts),
      services.length && finding.contacts.length ? el('p', { class: 'meta' }, t().netNote) : null,
      el('h3', {}, t().escalationHeading),
      finding.escalation.length
        ? el(
            'ol',
            { class: 'escalation' },
            ...finding.escalation.map((p, i) =>
              el('li', { 'data-provider': p.id }, el('span', { class: 'name' }, p.name), responseLine(finding.firstResponses[finding.contacts.length + i])),
            ),
          )
        : el('p', {}, t().noEscalation),
      el('h3', {}, t().billedByHeading),
      el('p', { class: 'billed-by' }, finding.billedBy ? finding.billedBy.name : t().eachBillsOwn),
    ),
  );
  answer.hidden = false;
  $('#print').addEventListener('click', () => window.print());
}

finderForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const session = readSession();
  // A license is private: without a session the page asks to sign in, it never says "not found".
  if (!session) return (say(t().signInFirst, 'error'), licenseInput.focus());
  const topic = topics.find((candidate) => candidate.id === topicSelect.value);
  if (!topic) return (say(t().chooseTopicFirst, 'error'), topicSelect.focus());
  say(t().lookingUp);
  finderForm.setAttribute('aria-busy', 'true');
  try {
    const service = serviceOf(topic);
    const { supportContact, license } = await ask<{
      supportContact: Finding;
      license: LicenseSummary | null;
    }>(
      FINDER_QUERY,
      {
        licenseKey: session.licenseKey,
        topic: topic.id,
        service: service ?? 'TRAINING',
        withOffers: !!service,
      },
      session.token,
    );
    if (!license) return endSession(t().signInFirst);
    say('');
    shown = { kind: 'answer', finding: supportContact, license };
    drawAnswer(supportContact, license);
    $('#answer-heading').focus();
  } catch (error) {
    // The token ran out (or the license is not this session's): sign in again, never "not found".
    if (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_FOUND')) return endSession(t().sessionEnded);
    say(explain(error), 'error');
  } finally {
    finderForm.removeAttribute('aria-busy');
  }
});

// ----------------------------------------------------------------------------------------------
// Public: support partners by country

function drawPartners(country: string, partners: Provider[]) {
  partnersBox.replaceChildren(
    ...present(
      el('h3', { id: 'partners-result', tabindex: '-1' }, t().partnersIn(countryName(country))),
      partners.length
        ? el('ul', { class: 'partner-list' }, ...partners.map((provider) => el('li', {}, providerItem(provider, ['TRAINING', 'USER_SUPPORT'], 'h4'))))
        : el('p', {}, t().noPartners),
      partners.length ? el('p', { class: 'meta' }, t().netNote) : null,
    ),
  );
}

partnersForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const country = countrySelect.value;
  if (!country) return countrySelect.focus();
  partnersForm.setAttribute('aria-busy', 'true');
  try {
    const { providers } = await ask<{ providers: Provider[] }>(PARTNERS_QUERY, {
      country,
    });
    shownPartners = { country, partners: providers };
    drawPartners(country, providers);
    $('#partners-result').focus();
  } catch (error) {
    partnersBox.replaceChildren(el('p', { class: 'error', role: 'alert' }, explain(error)));
  } finally {
    partnersForm.removeAttribute('aria-busy');
  }
});

// ----------------------------------------------------------------------------------------------
// Language

function drawChoices() {
  const chosenTopic = topicSelect.value;
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const topic of topics) {
    const group = groups.get(topic.category.name) ?? el('optgroup', { label: topic.category.name });
    groups.set(topic.category.name, group);
    group.append(el('option', { value: topic.id }, topic.name));
  }
  topicSelect.replaceChildren(el('option', { value: '' }, t().chooseTopic), ...groups.values());
  topicSelect.value = chosenTopic;
  const chosenCountry = countrySelect.value;
  const byName = countries.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name, pageLanguage()));
  countrySelect.replaceChildren(el('option', { value: '' }, t().chooseCountry), ...byName.map(({ code, name }) => el('option', { value: code }, name)));
  countrySelect.value = chosenCountry;
}

function applyLanguage() {
  languageSelect.value = pageLanguage();
  document.title = t().title;
  labelPage(t());
  drawChoices();
  drawSession();
  if (shown) drawAnswer(shown.finding, shown.license);
  if (shownPartners) drawPartners(shownPartners.country, shownPartners.partners);
}

/**
 * The holder's language becomes the page's when the reader has not chosen one: a practice in Poland
 * reads the finder, and the API's answers, in Polish. A choice made with the language menu wins.
 */
async function adoptHolderLanguage(licenseKey: string, token: string) {
  if (chosenLanguage()) return;
  try {
    const { license } = await ask<{ license: { holder: { language: string } } | null }>(HOLDER_LANGUAGE_QUERY, { licenseKey }, token);
    const holderLanguage = license?.holder.language;
    if (isLanguage(holderLanguage) && holderLanguage !== pageLanguage()) {
      setPageLanguage(holderLanguage);
      await switchLanguage();
    }
  } catch {
    // The page keeps the browser's language; the question itself reports what went wrong.
  }
}

/** Shows the page in its language now, and asks the API again for what it wrote in the old one (topic names, the answer). */
async function switchLanguage() {
  applyLanguage();
  try {
    topics = (await ask<{ supportTopics: Topic[] }>(TOPICS_QUERY)).supportTopics;
    drawChoices();
    if (shown && readSession()) finderForm.requestSubmit();
  } catch (error) {
    say(explain(error), 'error');
  }
}

languageMenu(languageSelect, () => void switchLanguage());

async function start() {
  setPageLanguage(pageLanguage());
  applyLanguage();
  try {
    const [{ supportTopics }, { providers }] = await Promise.all([
      ask<{ supportTopics: Topic[] }>(TOPICS_QUERY),
      ask<{ providers: { serviceCountries: string[] }[] }>(COUNTRIES_QUERY),
    ]);
    topics = supportTopics;
    countries = [...new Set(providers.flatMap((p) => p.serviceCountries))];
    drawChoices();
    document.body.dataset.ready = 'true';
  } catch (error) {
    say(explain(error), 'error');
  }
}

void start();
