/**
 * Routing rules of docs/rules.md ("Routing: whom to contact for a topic under a license"), case by case.
 * The function is pure, so every test builds its facts with the small builders below; that the facts
 * it needs (the offers' units) arrive by federation is checked through the gateway in
 * test/e2e/routing-through-the-gateway.test.ts.
 */
import { LicenseStatus, PriceUnit, ProviderRole, ServiceKind, SupportCategoryId, SupportLevel } from '../../lib/domain';
import {
  LicenseFacts,
  MissingManufacturerError,
  OfferFacts,
  ProviderFacts,
  ServiceAreaFacts,
  SupportRoute,
  TopicFacts,
  routeSupportContact,
} from '../../subgraphs/support/routing/route-support-contact';
import { maintenanceReseller } from '../../lib/distributor-duties';
import { maintenanceBillingParty } from '../../subgraphs/support/fee/maintenance-fee';
import { provider } from '../fixtures/routing-facts';

const TODAY = '2026-06-15';
const { MANUFACTURER, DISTRIBUTOR, SUPPORT_PARTNER } = ProviderRole;

// ---- builders ------------------------------------------------------------------------------------

const distributor = (id: string, overrides: Partial<ProviderFacts> = {}) => provider(id, { roles: [DISTRIBUTOR], ...overrides });
const partner = (id: string, overrides: Partial<ProviderFacts> = {}) => provider(id, { roles: [SUPPORT_PARTNER], ...overrides });
const imageInstruments = () =>
  provider('image-instruments', { name: 'Image Instruments GmbH', roles: [MANUFACTURER], serviceCountries: ['DE', 'AT', 'CH', 'FR'], languages: ['de', 'en'] });

/** A per-day offer unless `more` says otherwise (unit, validity). */
const offer = (service: ServiceKind, amount: string, currency = 'EUR', more: Partial<OfferFacts> = {}): OfferFacts => ({
  service,
  price: { amount, currency },
  unit: PriceUnit.PER_DAY,
  ...more,
});
const training = (amount: string, currency = 'EUR', validity: Partial<OfferFacts> = {}) => offer(ServiceKind.TRAINING, amount, currency, validity);
const userSupport = (amount: string, currency = 'EUR', validity: Partial<OfferFacts> = {}) => offer(ServiceKind.USER_SUPPORT, amount, currency, validity);

const license = (overrides: Partial<LicenseFacts> = {}): LicenseFacts => ({
  key: 'OC3-0001',
  status: LicenseStatus.ACTIVE,
  maintenancePaidThrough: '2026-12-31',
  holder: { country: 'DE', language: 'de' },
  vendor: null,
  supportPartner: null,
  ...overrides,
});

const area = (providers: ProviderFacts[], overrides: Partial<ServiceAreaFacts> = {}): ServiceAreaFacts => ({
  country: 'DE',
  currency: 'EUR',
  providers,
  manufacturer: imageInstruments(),
  ...overrides,
});

const topic = (id: string, name: string, category: SupportCategoryId, level: SupportLevel | null = null, service: ServiceKind | null = null): TopicFacts => ({
  id,
  name,
  category,
  level,
  service,
});
const T = {
  serverInstallation: topic('server-installation', 'Server installation', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_0),
  softwareUpdate: topic('software-update', 'Software update', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_0),
  licenseRenewal: topic('license-renewal', 'Renew/extend license', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_0),
  troubleshooting: topic('troubleshooting', 'Troubleshooting / Error messages', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_1),
  patchInstallation: topic('patch-installation', 'Installation of patches', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_1),
  databaseRestore: topic('database-restore', 'Database restore', SupportCategoryId.TECHNICAL_SUPPORT, SupportLevel.LEVEL_1),
  updates: topic('updates', 'Updates', SupportCategoryId.SOFTWARE_MAINTENANCE),
  upgrades: topic('upgrades', 'Upgrades', SupportCategoryId.SOFTWARE_MAINTENANCE),
  training: topic('training', 'Training', SupportCategoryId.USER_SUPPORT, null, ServiceKind.TRAINING),
  userSupport: topic('user-support', 'User support', SupportCategoryId.USER_SUPPORT, null, ServiceKind.USER_SUPPORT),
};
const ALL_TOPICS = Object.values(T);

const route = (lic: LicenseFacts, where: ServiceAreaFacts, what: TopicFacts, today = TODAY): SupportRoute =>
  routeSupportContact({ license: lic, area: where, topic: what, today });
const ids = (providers: ProviderFacts[]) => providers.map((p) => p.id);
/** The route reduced to ids, so one assertion states contacts, escalation and billing together. */
const shape = (r: SupportRoute) => ({ contacts: ids(r.contacts), escalation: ids(r.escalation), billedBy: r.billedBy?.id ?? null });
const M = 'image-instruments';

// ---- rule 1: Level 0 -----------------------------------------------------------------------------

describe('rule 1: Level 0 technical support', () => {
  const alpha = distributor('alpha', { name: 'Alpha Dental GmbH' });

  it('goes to the vendor, escalates to the manufacturer, billed by the vendor', () => {
    const r = route(license({ vendor: alpha }), area([alpha]), T.serverInstallation);
    expect(shape(r)).toEqual({ contacts: ['alpha'], escalation: [M], billedBy: 'alpha' });
    expect(r.explanation).toBe(
      'Level 0 technical support (Server installation) for license OC3-0001 comes from its vendor Alpha Dental GmbH; Image Instruments GmbH takes over what it cannot solve.',
    );
  });

  it.each([T.serverInstallation, T.softwareUpdate, T.licenseRenewal])('applies to every Level 0 topic ($id)', (t) => {
    expect(shape(route(license({ vendor: alpha }), area([alpha]), t))).toEqual({ contacts: ['alpha'], escalation: [M], billedBy: 'alpha' });
  });

  it('keeps an active distributor vendor even when other distributors would fit better', () => {
    const better = distributor('aaa', { name: 'AAA' });
    const englishVendor = distributor('zulu', { name: 'Zulu', languages: ['en'] });
    expect(ids(route(license({ vendor: englishVendor }), area([better, englishVendor]), T.serverInstallation).contacts)).toEqual(['zulu']);
  });

  it('direct purchase: the manufacturer is the contact, with no escalation', () => {
    const r = route(license({ vendor: null }), area([alpha]), T.serverInstallation);
    expect(shape(r)).toEqual({ contacts: [M], escalation: [], billedBy: M });
    expect(r.explanation).toContain('bought directly from the manufacturer');
    expect(r.explanation).toContain('Image Instruments GmbH');
  });

  describe('(our rule) vendor no longer an active distributor', () => {
    it('inactive vendor: the single active distributor serving the country takes over and bills', () => {
      const gone = distributor('gone', { name: 'Gone GmbH', active: false });
      const beta = distributor('beta', { name: 'Beta Dental' });
      const r = route(license({ vendor: gone }), area([gone, beta]), T.serverInstallation);
      expect(shape(r)).toEqual({ contacts: ['beta'], escalation: [M], billedBy: 'beta' });
      expect(r.explanation).toContain('Gone GmbH is no longer active');
      expect(r.explanation).toContain('Beta Dental');
      expect(r.explanation).toContain('Image Instruments GmbH takes over');
    });

    it('vendor that lost the DISTRIBUTOR role is replaced too', () => {
      const former = provider('former', { name: 'Former Reseller', roles: [SUPPORT_PARTNER] });
      const beta = distributor('beta', { name: 'Beta Dental' });
      const r = route(license({ vendor: former }), area([former, beta]), T.serverInstallation);
      expect(shape(r)).toEqual({ contacts: ['beta'], escalation: [M], billedBy: 'beta' });
      expect(r.explanation).toContain('Former Reseller is no longer a distributor');
    });

    it('orders several candidates by holder language first, then name, then id; billedBy none', () => {
      const gone = distributor('gone', { active: false });
      const candidates = [
        distributor('en-alpha', { name: 'Alpha', languages: ['en'] }),
        distributor('de-charlie', { name: 'Charlie', languages: ['fr', 'de'] }),
        distributor('de-beta-2', { name: 'Beta', languages: ['de'] }),
        distributor('de-beta-1', { name: 'Beta', languages: ['de'] }),
        distributor('en-able', { name: 'Able', languages: ['en'] }),
      ];
      const r = route(license({ vendor: gone }), area([gone, ...candidates]), T.serverInstallation);
      expect(shape(r)).toEqual({
        contacts: ['de-beta-1', 'de-beta-2', 'de-charlie', 'en-able', 'en-alpha'],
        escalation: [M],
        billedBy: null,
      });
      expect(r.explanation).toContain('Beta, Beta, Charlie, Able, Alpha');
    });

    it('uses the holder language, not a fixed one', () => {
      const gone = distributor('gone', { active: false, serviceCountries: ['FR'] });
      const a = distributor('a', { name: 'A', languages: ['de'], serviceCountries: ['FR'] });
      const b = distributor('b', { name: 'B', languages: ['fr'], serviceCountries: ['FR'] });
      const lic = license({ vendor: gone, holder: { country: 'FR', language: 'fr' } });
      expect(ids(route(lic, area([gone, a, b], { country: 'FR' }), T.serverInstallation).contacts)).toEqual(['b', 'a']);
    });

    it('ignores inactive distributors, distributors not serving the country, and non-distributors', () => {
      const gone = distributor('gone', { active: false });
      const others = [
        distributor('asleep', { active: false }),
        distributor('austrian', { serviceCountries: ['AT'] }),
        partner('partner-only'),
        distributor('ok'),
      ];
      expect(shape(route(license({ vendor: gone }), area([gone, ...others]), T.serverInstallation))).toEqual({
        contacts: ['ok'],
        escalation: [M],
        billedBy: 'ok',
      });
    });

    it('no candidate: the manufacturer, with no escalation and billing by the manufacturer', () => {
      const gone = distributor('gone', { name: 'Gone GmbH', active: false });
      const r = route(license({ vendor: gone }), area([gone, distributor('austrian', { serviceCountries: ['AT'] })]), T.serverInstallation);
      expect(shape(r)).toEqual({ contacts: [M], escalation: [], billedBy: M });
      expect(r.explanation).toContain('no active distributor serves DE');
    });
  });
});

// ---- rule 2: Level 1 -----------------------------------------------------------------------------

describe('rule 2: Level 1 technical support', () => {
  it.each([T.troubleshooting, T.patchInstallation, T.databaseRestore])('$id goes to the manufacturer even with an active vendor', (t) => {
    const alpha = distributor('alpha');
    const r = route(license({ vendor: alpha }), area([alpha]), t);
    expect(shape(r)).toEqual({ contacts: [M], escalation: [], billedBy: M });
    expect(r.explanation).toContain('Level 1');
    expect(r.explanation).toContain('Image Instruments GmbH');
  });

  it('direct purchase is the same', () => {
    expect(shape(route(license(), area([]), T.troubleshooting))).toEqual({ contacts: [M], escalation: [], billedBy: M });
  });
});

// ---- rule 3: software maintenance ----------------------------------------------------------------

describe('rule 3: software maintenance', () => {
  it.each([T.updates, T.upgrades])('$id: manufacturer provides, the active distributor vendor bills', (t) => {
    const alpha = distributor('alpha', { name: 'Alpha Dental GmbH' });
    const r = route(license({ vendor: alpha }), area([alpha]), t);
    expect(shape(r)).toEqual({ contacts: [M], escalation: [], billedBy: 'alpha' });
    expect(r.explanation).toContain('billed by its vendor Alpha Dental GmbH');
  });

  it('direct purchase: billed by the manufacturer', () => {
    expect(shape(route(license({ vendor: null }), area([]), T.updates))).toEqual({ contacts: [M], escalation: [], billedBy: M });
  });

  it('inactive vendor: billed by the manufacturer', () => {
    const gone = distributor('gone', { active: false });
    expect(shape(route(license({ vendor: gone }), area([gone]), T.updates))).toEqual({ contacts: [M], escalation: [], billedBy: M });
  });

  it('vendor no longer a distributor: billed by the manufacturer (not by another distributor)', () => {
    const former = partner('former');
    expect(shape(route(license({ vendor: former }), area([former, distributor('other')]), T.upgrades))).toEqual({ contacts: [M], escalation: [], billedBy: M });
  });

  it.each([
    ['an active distributor', distributor('alpha')],
    ['an inactive distributor', distributor('gone', { active: false })],
    ['a former distributor', partner('former')],
    ['no vendor', null],
  ])("with %s as vendor, the maintenance fee's supplier is the party rule 3 bills by", (_, vendor) => {
    const manufacturer = imageInstruments();
    const routed = route(license({ vendor }), area(vendor ? [vendor] : []), T.updates).billedBy!.id;
    const country = (p: ProviderFacts) => ({ id: p.id, active: p.active, roles: p.roles, country: 'DE' });
    const fee = maintenanceBillingParty({
      key: 'OC3-0001',
      holder: { country: 'DE' },
      vendor: vendor && country(vendor),
      manufacturer: country(manufacturer),
    });
    expect(fee.id).toBe(routed);
    expect(maintenanceReseller(vendor)?.id ?? M).toBe(routed);
  });

  it('explanation says maintenance is not paid through today, naming the past date', () => {
    const r = route(license({ maintenancePaidThrough: '2026-06-14' }), area([]), T.updates);
    expect(r.explanation).toContain('not paid through today');
    expect(r.explanation).toContain('2026-06-14');
  });

  it('explanation says maintenance is not paid when no payment is recorded', () => {
    const r = route(license({ maintenancePaidThrough: null }), area([]), T.updates);
    expect(r.explanation).toContain('not paid through today');
    expect(r.explanation).toContain('no payment recorded');
  });

  it.each(['2026-06-15', '2027-01-01'])('paid through %s: no arrears in the explanation', (paidThrough) => {
    const r = route(license({ maintenancePaidThrough: paidThrough }), area([]), T.updates);
    expect(r.explanation).not.toContain('not paid');
  });

  it('arrears do not change who provides or bills', () => {
    const alpha = distributor('alpha');
    expect(shape(route(license({ vendor: alpha, maintenancePaidThrough: null }), area([alpha]), T.updates))).toEqual({
      contacts: [M],
      escalation: [],
      billedBy: 'alpha',
    });
  });
});

// ---- rule 4: user support and training -----------------------------------------------------------

describe('rule 4: user support and training', () => {
  const contactsFor = (lic: LicenseFacts, providers: ProviderFacts[], t = T.training, overrides: Partial<ServiceAreaFacts> = {}) =>
    ids(route(lic, area(providers, overrides), t).contacts);

  it('no escalation and no single biller', () => {
    const p = partner('p', { offers: [training('100.00')] });
    expect(shape(route(license(), area([p]), T.training))).toEqual({ contacts: ['p'], escalation: [], billedBy: null });
  });

  it('the designated support partner comes first, even dearer and in another language', () => {
    const designated = partner('designated', { languages: ['en'], offers: [training('900.00')] });
    const cheap = partner('cheap', { offers: [training('10.00')] });
    const r = route(license({ supportPartner: designated }), area([cheap, designated]), T.training);
    expect(ids(r.contacts)).toEqual(['designated', 'cheap']);
    expect(r.explanation).toContain('designated support partner DESIGNATED first');
  });

  it('an inactive designated partner is not a contact at all', () => {
    const designated = partner('designated', { active: false });
    const other = partner('other');
    expect(contactsFor(license({ supportPartner: designated }), [designated, other])).toEqual(['other']);
  });

  it('a designated partner that does not serve the holder country is not a contact', () => {
    const designated = partner('designated', { serviceCountries: ['AT'] });
    const other = partner('other');
    expect(contactsFor(license({ supportPartner: designated }), [designated, other])).toEqual(['other']);
  });

  it('a designated provider without the SUPPORT_PARTNER role is not a contact', () => {
    const designated = distributor('designated');
    const other = partner('other');
    expect(contactsFor(license({ supportPartner: designated }), [designated, other])).toEqual(['other']);
  });

  it('holder language before price', () => {
    const english = partner('english', { languages: ['en'], offers: [training('1.00')] });
    const german = partner('german', { languages: ['en', 'de'], offers: [training('500.00')] });
    expect(contactsFor(license(), [english, german])).toEqual(['german', 'english']);
  });

  it('lower current price first, compared as amounts, not strings', () => {
    const a = partner('a', { name: 'A', offers: [training('1000.00')] });
    const b = partner('b', { name: 'B', offers: [training('999.99')] });
    const c = partner('c', { name: 'C', offers: [training('99.50')] });
    expect(contactsFor(license(), [a, b, c])).toEqual(['c', 'b', 'a']);
  });

  it('a partner is ranked by its lowest current offer for the service', () => {
    const a = partner('a', { name: 'A', offers: [training('300.00'), training('50.00')] });
    const b = partner('b', { name: 'B', offers: [training('100.00')] });
    expect(contactsFor(license(), [b, a])).toEqual(['a', 'b']);
  });

  it('offers in the local currency before offers only in other currencies, whatever the amounts', () => {
    const swiss = partner('swiss', { name: 'A Swiss', offers: [training('1.00', 'CHF')] });
    const local = partner('local', { name: 'Z Local', offers: [training('999.00', 'EUR')] });
    expect(contactsFor(license(), [swiss, local])).toEqual(['local', 'swiss']);
  });

  it('a partner with both local and foreign offers counts as local', () => {
    const mixed = partner('mixed', { name: 'Z Mixed', offers: [training('1.00', 'CHF'), training('500.00', 'EUR')] });
    const local = partner('local', { name: 'A Local', offers: [training('600.00', 'EUR')] });
    const foreign = partner('foreign', { name: 'A Foreign', offers: [training('0.50', 'CHF')] });
    expect(contactsFor(license(), [foreign, local, mixed])).toEqual(['mixed', 'local', 'foreign']);
  });

  it('foreign-only partners are ordered by currency code, then amount', () => {
    const usd = partner('usd', { name: 'A', offers: [training('1.00', 'USD')] });
    const chfHigh = partner('chf-high', { name: 'B', offers: [training('200.00', 'CHF')] });
    const chfLow = partner('chf-low', { name: 'C', offers: [training('100.00', 'CHF')] });
    const gbp = partner('gbp', { name: 'D', offers: [training('1000.00', 'GBP')] });
    expect(contactsFor(license(), [usd, chfHigh, chfLow, gbp])).toEqual(['chf-low', 'chf-high', 'gbp', 'usd']);
  });

  it('with no known local currency every offer counts as foreign', () => {
    const eur = partner('eur', { name: 'A', offers: [training('5.00', 'EUR')] });
    const chf = partner('chf', { name: 'B', offers: [training('500.00', 'CHF')] });
    expect(contactsFor(license(), [eur, chf], T.training, { currency: null })).toEqual(['chf', 'eur']);
  });

  it('partners without a current offer for the service come last', () => {
    const none = partner('none', { name: 'A None' });
    const foreign = partner('foreign', { name: 'B Foreign', offers: [training('9999.00', 'USD')] });
    const local = partner('local', { name: 'C Local', offers: [training('9999.00')] });
    expect(contactsFor(license(), [none, foreign, local])).toEqual(['local', 'foreign', 'none']);
  });

  it('expired and not-yet-valid offers are ignored; validity bounds are inclusive', () => {
    const expired = partner('expired', { name: 'A', offers: [training('1.00', 'EUR', { validUntil: '2026-06-14' })] });
    const future = partner('future', { name: 'B', offers: [training('1.00', 'EUR', { validFrom: '2026-06-16' })] });
    const endsToday = partner('ends-today', { name: 'C', offers: [training('300.00', 'EUR', { validFrom: '2026-01-01', validUntil: TODAY })] });
    const startsToday = partner('starts-today', { name: 'D', offers: [training('200.00', 'EUR', { validFrom: TODAY, validUntil: null })] });
    expect(contactsFor(license(), [expired, future, endsToday, startsToday])).toEqual(['starts-today', 'ends-today', 'expired', 'future']);
  });

  it('an expired cheap offer does not beat a current dearer one of the same partner', () => {
    const a = partner('a', { name: 'A', offers: [training('10.00', 'EUR', { validUntil: '2025-12-31' }), training('500.00')] });
    const b = partner('b', { name: 'B', offers: [training('400.00')] });
    expect(contactsFor(license(), [a, b])).toEqual(['b', 'a']);
  });

  it('name, then id, breaks ties on equal prices', () => {
    const zed = partner('zed', { name: 'Zed', offers: [training('100.00')] });
    const amy2 = partner('amy-2', { name: 'Amy', offers: [training('100.00')] });
    const amy1 = partner('amy-1', { name: 'Amy', offers: [training('100.00')] });
    expect(contactsFor(license(), [zed, amy2, amy1])).toEqual(['amy-1', 'amy-2', 'zed']);
  });

  it('training and user support each use their own service offers', () => {
    const trainer = partner('trainer', { name: 'A', offers: [training('50.00'), userSupport('900.00')] });
    const helper = partner('helper', { name: 'B', offers: [training('900.00'), userSupport('50.00')] });
    const techOnly = partner('tech-only', { name: 'C', offers: [offer(ServiceKind.TECHNICAL_SUPPORT, '1.00')] });
    expect(contactsFor(license(), [techOnly, helper, trainer], T.training)).toEqual(['trainer', 'helper', 'tech-only']);
    expect(contactsFor(license(), [techOnly, helper, trainer], T.userSupport)).toEqual(['helper', 'trainer', 'tech-only']);
  });

  it('only active support partners serving the country; a distributor that is also a partner counts', () => {
    const both = provider('both', { name: 'Both', roles: [DISTRIBUTOR, SUPPORT_PARTNER] });
    const providers = [partner('inactive', { active: false }), partner('austrian', { serviceCountries: ['AT'] }), distributor('distributor-only'), both];
    expect(contactsFor(license(), providers, T.userSupport)).toEqual(['both']);
  });

  it('the manufacturer is never a contact, even holding SUPPORT_PARTNER and the cheapest offer', () => {
    const manufacturer = provider(M, { name: 'Image Instruments GmbH', roles: [MANUFACTURER, SUPPORT_PARTNER], offers: [training('1.00')] });
    const p = partner('p', { offers: [training('500.00')] });
    const r = route(license({ supportPartner: manufacturer }), area([manufacturer, p], { manufacturer }), T.training);
    expect(ids(r.contacts)).toEqual(['p']);
    expect(r.explanation).toContain('does not provide training');
  });

  it('no partner serves the country: no contacts, explained, not an error', () => {
    const r = route(license(), area([partner('austrian', { serviceCountries: ['AT'] }), distributor('alpha')]), T.userSupport);
    expect(shape(r)).toEqual({ contacts: [], escalation: [], billedBy: null });
    expect(r.explanation).toContain('No active support partner serves DE');
  });

  it('the explanation names the partners in order', () => {
    const a = partner('a', { name: 'Alpha Training', offers: [training('100.00')] });
    const b = partner('b', { name: 'Beta Schulung', offers: [training('200.00')] });
    expect(route(license(), area([b, a]), T.training).explanation).toContain('Alpha Training, Beta Schulung');
  });

  describe('(our rule) prices compare like with like: currency, then unit, then amount', () => {
    const { PER_HOUR, PER_PARTICIPANT, PER_DAY, ONE_TIME, ANNUAL } = PriceUnit;
    const priced = (id: string, amount: string, unit: PriceUnit, currency = 'EUR') =>
      partner(id, { name: id.toUpperCase(), offers: [training(amount, currency, { unit })] });

    it('amounts of different units are not compared: a per-participant price ranks before a per-day one with a smaller number', () => {
      // Names in reverse of the expected order, so no tie-break by name can produce it.
      const perDay = priced('a-day', '50.00', PER_DAY);
      const perParticipant = priced('b-participant', '80.00', PER_PARTICIPANT);
      expect(contactsFor(license(), [perDay, perParticipant])).toEqual(['b-participant', 'a-day']);
    });

    it('every unit in order: per hour, per participant, per day, one-time, annual, whatever the amounts', () => {
      const partners = [
        priced('a-annual', '1.00', ANNUAL),
        priced('b-one-time', '2.00', ONE_TIME),
        priced('c-day', '3.00', PER_DAY),
        priced('d-participant', '4.00', PER_PARTICIPANT),
        priced('e-hour', '5.00', PER_HOUR),
      ];
      expect(contactsFor(license(), partners)).toEqual(['e-hour', 'd-participant', 'c-day', 'b-one-time', 'a-annual']);
    });

    it('the same unit compares amounts, as numbers', () => {
      expect(contactsFor(license(), [priced('a', '1000.00', PER_HOUR), priced('b', '99.00', PER_HOUR)])).toEqual(['b', 'a']);
    });

    it('the currency comes before the unit: a local annual price before a foreign per-hour one', () => {
      const foreignHourly = priced('a-chf-hour', '10.00', PER_HOUR, 'CHF');
      const localAnnual = priced('b-eur-annual', '5000.00', ANNUAL);
      expect(contactsFor(license(), [foreignHourly, localAnnual])).toEqual(['b-eur-annual', 'a-chf-hour']);
    });

    it("a partner's ranking price is its first offer in that order, not its smallest number", () => {
      const both = partner('a-both', { name: 'A', offers: [training('10.00', 'EUR', { unit: PER_DAY }), training('900.00', 'EUR', { unit: PER_HOUR })] });
      const hourly = partner('b-hourly', { name: 'B', offers: [training('100.00', 'EUR', { unit: PER_HOUR })] });
      // both's ranking price is EUR 900.00 per hour (per hour before per day), dearer than B's 100.00 per hour.
      expect(contactsFor(license(), [both, hourly])).toEqual(['b-hourly', 'a-both']);
    });

    it('the explanation names the units when they differ, and not when they agree', () => {
      const hourly = priced('hourly', '120.00', PER_HOUR);
      const daily = priced('daily', '650.00', PER_DAY);
      const none = partner('none', { name: 'NONE' });
      expect(route(license(), area([daily, none, hourly]), T.training).explanation).toContain(
        'prices compare like with like, per hour before per participant, per day, one-time and annual: HOURLY EUR 120.00 per hour, DAILY EUR 650.00 per day',
      );
      expect(route(license(), area([priced('a', '1.00', PER_DAY), priced('b', '2.00', PER_DAY), none]), T.training).explanation).not.toContain(
        'like with like',
      );
    });
  });
});

// ---- rule 5: licenses not active -----------------------------------------------------------------

describe('rule 5: suspended or expired licenses still get an answer', () => {
  const alpha = distributor('alpha');
  const p = partner('p');

  it.each([LicenseStatus.SUSPENDED, LicenseStatus.EXPIRED])('%s: same route, explanation says not active', (status) => {
    for (const t of ALL_TOPICS) {
      const active = route(license({ vendor: alpha }), area([alpha, p]), t);
      const inactive = route(license({ vendor: alpha, status }), area([alpha, p]), t);
      expect(shape(inactive)).toEqual(shape(active));
      expect(inactive.explanation).toContain(`is ${status} (not active)`);
    }
  });

  it('an active license is not called inactive', () => {
    for (const t of ALL_TOPICS) {
      expect(route(license({ vendor: alpha }), area([alpha, p]), t).explanation).not.toContain('not active');
    }
  });
});

// ---- explanation and errors ----------------------------------------------------------------------

describe('explanation', () => {
  it('is one line of text for every topic, naming the license', () => {
    const gone = distributor('gone', { active: false });
    for (const t of ALL_TOPICS) {
      const { explanation } = route(license({ vendor: gone, maintenancePaidThrough: null, status: LicenseStatus.EXPIRED }), area([gone]), t);
      expect(explanation).not.toMatch(/[\r\n]/);
      expect(explanation).toContain('OC3-0001');
    }
  });
});

describe('MissingManufacturerError', () => {
  it.each(ALL_TOPICS.map((t) => [t.id, t] as const))('is thrown for %s when the directory has no manufacturer', (_id, t) => {
    const alpha = distributor('alpha');
    const call = () => route(license({ vendor: alpha }), area([alpha, partner('p')], { manufacturer: null }), t);
    expect(call).toThrow(MissingManufacturerError);
    expect(call).toThrow('the directory has no provider with role MANUFACTURER');
  });

  it('is an Error', () => {
    expect(new MissingManufacturerError()).toBeInstanceOf(Error);
  });
});
