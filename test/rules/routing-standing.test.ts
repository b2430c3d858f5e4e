/**
 * How practices find a provider (docs/rules.md "How practices find a provider"): which topics a
 * provider's roles are routed for, and its place per service country and topic, read from the
 * routing rules' own answers (routeSupportContact) for the two holders the function builds.
 */
import { PriceUnit, ProviderRole, ServiceKind, SupportCategoryId, SupportLevel } from '../../lib/domain';
import type { ProviderFacts, ServiceAreaFacts, TopicFacts } from '../../subgraphs/support/routing/route-support-contact';
import { routingStanding, topicsRoutedFor } from '../../subgraphs/support/routing/routing-standing';

import { provider } from '../fixtures/routing-facts';

const TODAY = '2026-06-15';
const { MANUFACTURER, DISTRIBUTOR, SUPPORT_PARTNER } = ProviderRole;

const manufacturer = provider('maker', { name: 'Maker', roles: [MANUFACTURER], serviceCountries: ['DE', 'AT'] });
const area = (country: string, providers: ProviderFacts[]): ServiceAreaFacts => ({ country, currency: 'EUR', providers, manufacturer });
const topic = (id: string, category: SupportCategoryId, level: SupportLevel | null = null, service: ServiceKind | null = null): TopicFacts => ({
  id,
  name: id,
  category,
  level,
  service,
});
const TOPICS = [
  topic('updates', SupportCategoryId.SOFTWARE_MAINTENANCE),
  topic('server-installation', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_0),
  topic('troubleshooting', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_1),
  topic('user-support', SupportCategoryId.USER_SUPPORT, null, ServiceKind.USER_SUPPORT),
  topic('training', SupportCategoryId.USER_SUPPORT, null, ServiceKind.TRAINING),
];
const ids = (topics: TopicFacts[]) => topics.map((t) => t.id);
const perHour = (service: ServiceKind, amount: string) => ({ service, price: { amount, currency: 'EUR' }, unit: PriceUnit.PER_HOUR });

describe('topicsRoutedFor', () => {
  test('a distributor: Level 0 technical support (a technical topic without a level counts as Level 0)', () => {
    const unlevelled = topic('other', SupportCategoryId.TECHNICAL_SUPPORT);
    expect(ids(topicsRoutedFor([DISTRIBUTOR], [...TOPICS, unlevelled]))).toEqual(['server-installation', 'other']);
  });
  test('a support partner: user support and training; both roles: both', () => {
    expect(ids(topicsRoutedFor([SUPPORT_PARTNER], TOPICS))).toEqual(['user-support', 'training']);
    expect(ids(topicsRoutedFor([DISTRIBUTOR, SUPPORT_PARTNER], TOPICS))).toEqual(['server-installation', 'user-support', 'training']);
  });
  test('the manufacturer is never routed for user support, and nobody but it for Level 1 or maintenance', () => {
    expect(ids(topicsRoutedFor([MANUFACTURER, SUPPORT_PARTNER], TOPICS))).toEqual([]);
    expect(ids(topicsRoutedFor([], TOPICS))).toEqual([]);
  });
});

describe('routingStanding', () => {
  const me = provider('me', {
    name: 'Me',
    roles: [DISTRIBUTOR, SUPPORT_PARTNER],
    serviceCountries: ['DE', 'AT'],
    offers: [perHour(ServiceKind.USER_SUPPORT, '95.00')],
  });
  const rival = provider('rival', { name: 'Alpha', roles: [DISTRIBUTOR, SUPPORT_PARTNER], offers: [perHour(ServiceKind.USER_SUPPORT, '80.00')] });
  const areas = [area('DE', [me, rival]), area('AT', [me])];
  const places = routingStanding({ provider: me, areas, topics: TOPICS, holderLanguage: 'de', today: TODAY });
  const at = (country: string, id: string) => places.find((p) => p.country === country && p.topic.id === id)!;

  test('a place per service country and routed topic, in that order', () => {
    expect(places.map((p) => `${p.country} ${p.topic.id}`)).toEqual([
      'DE server-installation',
      'DE user-support',
      'DE training',
      'AT server-installation',
      'AT user-support',
      'AT training',
    ]);
  });

  test('Level 0, open: ranked with the other distributors for a holder whose vendor dropped out (language, then name)', () => {
    expect(at('DE', 'server-installation').openRanking).toMatchObject({ position: 2, total: 2, contacts: [rival, me] });
    expect(at('DE', 'server-installation').openRanking.explanation).toMatch(/is no longer active, so choose among the active distributors serving DE/);
    expect(at('AT', 'server-installation').openRanking).toMatchObject({ position: 1, total: 1 });
  });

  test('Level 0, its own holders: the vendor alone', () => {
    expect(at('DE', 'server-installation').ownHolders).toMatchObject({ position: 1, total: 1 });
    expect(at('DE', 'server-installation').ownHolders.explanation).toMatch(/comes from its vendor Me/);
  });

  test('user support, open: by price; its own (designated) holders: first', () => {
    expect(at('DE', 'user-support').openRanking).toMatchObject({ position: 2, total: 2 });
    expect(at('DE', 'user-support').ownHolders).toMatchObject({ position: 1, total: 2 });
    expect(at('DE', 'user-support').ownHolders.explanation).toMatch(/its designated support partner Me first/);
  });

  test('an inactive provider stands nowhere, and its own holders are told so', () => {
    const gone = { ...me, active: false };
    const [first] = routingStanding({ provider: gone, areas: [area('DE', [gone, rival])], topics: TOPICS, holderLanguage: 'de', today: TODAY });
    expect(first.openRanking.position).toBeNull();
    expect(first.ownHolders).toMatchObject({ position: null, total: 1 });
    expect(first.ownHolders.explanation).toMatch(/its vendor Me is no longer active/);
  });

  test('the holders’ language comes first', () => {
    const french = provider('fr-partner', { name: 'Zulu', roles: [SUPPORT_PARTNER], languages: ['fr'] });
    const standing = routingStanding({ provider: french, areas: [area('DE', [french, rival])], topics: TOPICS, holderLanguage: 'fr', today: TODAY });
    expect(standing.find((p) => p.topic.id === 'user-support')!.openRanking.position).toBe(1);
  });
});
