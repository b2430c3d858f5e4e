/**
 * The support finder: a practice enters its license key and picks a topic from the catalogue; the
 * page shows whom to contact, who takes over, who bills, why, and the partners' current prices for
 * training and user support. Everything comes from the public GraphQL API in one request.
 */
import './style.css';
import { ask, ApiError, FINDER_QUERY, TOPICS_QUERY, type Finding, type LicenseArea, type Offer, type Provider, type Topic } from './api';

const form = document.querySelector<HTMLFormElement>('#finder')!;
const licenseInput = document.querySelector<HTMLInputElement>('#license')!;
const topicSelect = document.querySelector<HTMLSelectElement>('#topic')!;
const status = document.querySelector<HTMLParagraphElement>('#status')!;
const answer = document.querySelector<HTMLElement>('#answer')!;

/** Builds an element; text is always set as text, never parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null)[]) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

const UNITS: Record<string, string> = { ONE_TIME: 'once', ANNUAL: 'per year', PER_HOUR: 'per hour', PER_DAY: 'per day', PER_PARTICIPANT: 'per participant' };
const SERVICES: Record<string, string> = { TRAINING: 'Training', USER_SUPPORT: 'User support' };

/** "Open now", or when it opens next in the provider's own time zone (the hours are written in it). */
function openingState(provider: Provider): string | null {
  if (provider.openNow === true) return 'Open now';
  if (provider.openNow !== false) return null;
  if (!provider.nextOpening) return 'Closed';
  const at = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: provider.timeZone ?? undefined }).format(new Date(provider.nextOpening));
  return `Closed, opens ${at}${provider.timeZone ? ` (${provider.timeZone})` : ''}`;
}

function contactCard(provider: Provider) {
  const lines = el('dl');
  const add = (term: string, value: Node | string | null) => {
    if (value === null) return;
    lines.append(el('dt', {}, term), el('dd', {}, value));
  };
  add('E-mail', provider.email ? el('a', { href: `mailto:${provider.email}` }, provider.email) : null);
  add('Phone', provider.phone ? el('a', { href: `tel:${provider.phone.replace(/\s+/g, '')}` }, provider.phone) : null);
  add('Opening hours', provider.businessHours ? `${provider.businessHours}${provider.timeZone ? ` (${provider.timeZone})` : ''}` : null);
  add('Now', openingState(provider));
  return el('article', { class: 'card' }, el('h3', {}, provider.name), lines.childElementCount ? lines : el('p', {}, 'No contact details in the directory.'));
}

/** Each support partner's current training and user-support offers, as cards that fit a phone. */
function partnerPrices(partners: Provider[]) {
  const cards = partners.flatMap((partner) => {
    const offers = (partner.offers ?? []).filter((offer: Offer) => offer.service in SERVICES);
    if (offers.length === 0) return [];
    const list = el('ul', { class: 'offers' }, ...offers.map((offer) => el('li', {}, el('span', { class: 'service' }, SERVICES[offer.service]), ` ${offer.title}: `, el('strong', { class: 'price' }, `${offer.price.amount} ${offer.price.currency}`), ` ${UNITS[offer.unit] ?? offer.unit}`)));
    return [el('article', { class: 'card partner' }, el('h4', {}, partner.name), list)];
  });
  if (cards.length === 0) return el('p', {}, 'No partner serving this country has current prices for training or user support.');
  return el('div', {}, el('p', { class: 'meta' }, 'Current net prices (plus VAT).'), ...cards);
}

function show(finding: Finding, license: LicenseArea) {
  const partners = license.holder.serviceArea.providers.filter((p) => p.active && p.roles.includes('SUPPORT_PARTNER'));
  answer.replaceChildren(
    el('h2', { tabindex: '-1', id: 'answer-heading' }, `${finding.topic.name} for ${license.key}`),
    el('p', { class: 'meta' }, `${license.holder.name} · ${finding.topic.category.name}${finding.topic.level ? ` · ${finding.topic.level.replace('LEVEL_', 'Level ')}` : ''}`),
    el('p', { class: 'explanation' }, finding.explanation),
    el('h3', {}, 'Contact'),
    ...(finding.contacts.length ? finding.contacts.map(contactCard) : [el('p', {}, 'Nobody in the network provides this for the practice’s country.')]),
    el('h3', {}, 'If they cannot solve it'),
    finding.escalation.length ? el('ol', { class: 'escalation' }, ...finding.escalation.map((p) => el('li', {}, p.name))) : el('p', {}, 'No further escalation.'),
    el('h3', {}, 'Who bills'),
    el('p', { class: 'billed-by' }, finding.billedBy ? finding.billedBy.name : 'Each provider the practice chooses bills its own offers.'),
    el('h3', {}, 'Partners’ prices for training and user support'),
    partnerPrices(partners),
  );
  answer.hidden = false;
  document.querySelector<HTMLElement>('#answer-heading')!.focus();
}

function fail(message: string) {
  answer.hidden = true;
  status.textContent = message;
  status.className = 'error';
}

async function loadTopics() {
  try {
    const { supportTopics } = await ask<{ supportTopics: Topic[] }>(TOPICS_QUERY);
    const groups = new Map<string, HTMLOptGroupElement>();
    for (const topic of supportTopics) {
      const group = groups.get(topic.category.name) ?? el('optgroup', { label: topic.category.name });
      groups.set(topic.category.name, group);
      group.append(el('option', { value: topic.id }, topic.name));
    }
    topicSelect.replaceChildren(el('option', { value: '' }, 'Choose a topic…'), ...groups.values());
  } catch (error) {
    fail(error instanceof ApiError ? error.message : 'The topics could not be loaded.');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const licenseKey = licenseInput.value.trim();
  const topic = topicSelect.value;
  if (!licenseKey) return (fail('Enter your license key.'), licenseInput.focus());
  if (!topic) return (fail('Choose a topic.'), topicSelect.focus());
  status.className = '';
  status.textContent = 'Looking up…';
  form.setAttribute('aria-busy', 'true');
  try {
    const { supportContact, license } = await ask<{ supportContact: Finding; license: LicenseArea }>(FINDER_QUERY, { licenseKey, topic }, (document.getElementById('token') as HTMLInputElement).value);
    status.textContent = '';
    show(supportContact, license);
  } catch (error) {
    fail(error instanceof ApiError ? error.message : 'Something went wrong.');
  } finally {
    form.removeAttribute('aria-busy');
  }
});

void loadTopics();
