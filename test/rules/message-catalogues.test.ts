/**
 * The API's texts in five languages (lib/i18n): every catalogue has every key another one has, each
 * message is ICU MessageFormat with the same placeholders as the English one, Accept-Language picks
 * the language the RFC way, and the routing rules explain themselves in the reader's language while
 * their decisions (contacts, codes, ids) do not change with it. Through the gateway:
 * test/e2e/languages.test.ts.
 */
import { LANGUAGES, negotiateLanguage } from '../../lib/i18n/languages';
import { CATALOGUES, translate, type MessageId } from '../../lib/i18n/translate';
import { LicenseStatus, ProviderRole, SupportCategoryId, SupportLevel } from '../../lib/domain';
import { MissingManufacturerError, routeSupportContact, type ProviderFacts } from '../../subgraphs/support/routing/route-support-contact';
import { routed } from '../../subgraphs/support/contact/support-contact.reference';

// The ICU parser ships as an ES module only; loaded through Node's own loader, as lib/i18n/translate.ts loads @formatjs/intl.
const nodeRequire = (process as any).getBuiltinModule('node:module').createRequire(__filename);
const { parse, TYPE } = nodeRequire('@formatjs/icu-messageformat-parser');

/** The argument names a message uses, at any depth (plural branches included). */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const visit = (elements: any[]) => {
    for (const element of elements) {
      if (element.type !== TYPE.literal && element.type !== TYPE.pound) names.add(element.value);
      for (const option of Object.values(element.options ?? {}) as { value: any[] }[]) visit(option.value);
    }
  };
  visit(parse(message));
  return [...names].sort();
}

/** The arguments a message formats as numbers (`{n, number}`, `{n, plural, …}`), at any depth. */
function numericArgumentsOf(message: string): string[] {
  const names = new Set<string>();
  const visit = (elements: any[]) => {
    for (const element of elements) {
      if (element.type === TYPE.number || element.type === TYPE.plural) names.add(element.value);
      for (const option of Object.values(element.options ?? {}) as { value: any[] }[]) visit(option.value);
    }
  };
  visit(parse(message));
  return [...names];
}

/** The arguments shown when every select takes its `other` branch (the select's own argument is a key, never shown). */
function shownArguments(message: string): Set<string> {
  const names = new Set<string>();
  const visit = (elements: any[]) => {
    for (const element of elements) {
      if (element.type === TYPE.select) visit(element.options.other.value);
      else if (element.type === TYPE.plural) for (const option of Object.values(element.options) as { value: any[] }[]) visit(option.value);
      else if (element.type !== TYPE.literal && element.type !== TYPE.pound) names.add(element.value);
    }
  };
  visit(parse(message));
  return names;
}

describe('the catalogues', () => {
  const keys = Object.fromEntries(LANGUAGES.map((language) => [language, Object.keys(CATALOGUES[language]).sort()]));
  const allKeys = [...new Set(Object.values(keys).flat())].sort();

  test.each(LANGUAGES)('%s has every key any catalogue has, and no other', (language) => {
    expect(keys[language]).toEqual(allKeys);
  });

  test.each(LANGUAGES.filter((l) => l !== 'en'))('%s: every message is ICU MessageFormat with the English placeholders', (language) => {
    for (const id of allKeys) {
      expect({ id, arguments: argumentsOf(CATALOGUES[language][id]) }).toEqual({ id, arguments: argumentsOf(CATALOGUES.en[id]) });
    }
  });

  /** Arguments any catalogue formats as a number (plural, number): the code passes numbers for them. */
  const numeric = new Set<string>();
  for (const language of LANGUAGES) for (const id of allKeys) for (const name of numericArgumentsOf(CATALOGUES[language][id])) numeric.add(`${id} ${name}`);

  test.each(LANGUAGES)('%s: every message formats, numbers as numbers, selects falling back to their other branch', (language) => {
    for (const id of allKeys) {
      const values = Object.fromEntries(argumentsOf(CATALOGUES.en[id]).map((name) => [name, numeric.has(`${id} ${name}`) ? 2 : `<${name}>`]));
      const text = translate(language, id as MessageId, values);
      // Every string value shows up (a stray apostrophe would quote a placeholder away), none is left as a placeholder.
      const shown = [...shownArguments(CATALOGUES[language][id])].filter((name) => typeof values[name] === 'string');
      expect({ id, missing: shown.filter((name) => !text.includes(values[name] as string)) }).toEqual({ id, missing: [] });
      expect({ id, text }).toEqual({ id, text: expect.not.stringMatching(/\{[a-zA-Z]+[,}]/) });
    }
  });

  test('plural forms come from the language, not from string concatenation', () => {
    const takeover = (language: (typeof LANGUAGES)[number], count: number) =>
      translate(language, 'routing.level0.takeover', { explanation: 'X', manufacturer: 'M', count });
    expect(takeover('en', 1)).toBe('X; M takes over what it cannot solve.');
    expect(takeover('en', 2)).toBe('X; M takes over what they cannot solve.');
    expect(takeover('de', 1)).toBe('X; M übernimmt, was er nicht lösen kann.');
    expect(takeover('de', 3)).toBe('X; M übernimmt, was sie nicht lösen können.');
    expect(takeover('pl', 5)).toBe('X; M przejmuje to, czego nie mogą rozwiązać.');
  });
});

describe('negotiateLanguage: Accept-Language among de, en, fr, it, pl', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['de-CH,de;q=0.9,en;q=0.8', 'de'],
    ['PL', 'pl'],
    ['fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7', 'fr'],
    ['en;q=0.5, it;q=0.8', 'it'],
    ['es, pt;q=0.9', 'en'],
    ['es, pl;q=0.1', 'pl'],
    ['de;q=0, it', 'it'],
    ['*', 'en'],
    ['nonsense;;q=x, ,', 'en'],
  ])('%p answers in %p', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });
});

describe('routing explanations in the reader’s language', () => {
  const provider = (id: string, name: string, roles: ProviderRole[]): ProviderFacts => ({
    id,
    name,
    active: true,
    roles,
    serviceCountries: ['DE'],
    languages: ['de'],
    offers: [],
  });
  const manufacturer = provider('ii', 'Image Instruments GmbH', [ProviderRole.MANUFACTURER]);
  const vendor = provider('nord', 'Nordkiefer GmbH', [ProviderRole.DISTRIBUTOR]);
  const input = (language?: (typeof LANGUAGES)[number]) => ({
    license: {
      key: 'L-1',
      status: LicenseStatus.SUSPENDED,
      maintenancePaidThrough: '2099-12-31',
      holder: { country: 'DE', language: 'de' },
      vendor,
      supportPartner: null,
    },
    area: { country: 'DE', currency: 'EUR', providers: [vendor], manufacturer },
    topic: { id: 'server-installation', name: 'Serverinstallation', category: SupportCategoryId.TECHNICAL_SUPPORT, level: SupportLevel.LEVEL_0, service: null },
    today: '2026-12-07',
    language,
  });

  test('German and Polish sentences; the decision and the codes in them are the same in every language', () => {
    expect(routeSupportContact(input('de')).explanation).toBe(
      'Technischen Support Level 0 (Serverinstallation) für Lizenz L-1 leistet ihr Händler Nordkiefer GmbH; Image Instruments GmbH übernimmt, was er nicht lösen kann. Hinweis: Lizenz L-1 ist SUSPENDED (nicht aktiv).',
    );
    expect(routeSupportContact(input('pl')).explanation).toMatch(
      /^Wsparcie techniczne poziomu 0 \(Serverinstallation\) dla licencji L-1 zapewnia jej sprzedawca Nordkiefer GmbH; /,
    );
    const english = routeSupportContact(input());
    expect(english.explanation).toMatch(/^Level 0 technical support \(Serverinstallation\) for license L-1 comes from its vendor Nordkiefer GmbH; /);
    for (const language of LANGUAGES) {
      const { contacts, escalation, billedBy } = routeSupportContact(input(language));
      expect({ contacts, escalation, billedBy }).toEqual({ contacts: english.contacts, escalation: english.escalation, billedBy: english.billedBy });
    }
  });
});

test('a directory without a manufacturer is DIRECTORY_INCOMPLETE, said in the reader’s language', () => {
  const fail = (language: 'de' | 'en') =>
    routed(() => {
      throw new MissingManufacturerError();
    }, language);
  expect(() => fail('de')).toThrow('das Verzeichnis hat keinen Anbieter mit der Rolle MANUFACTURER');
  expect(() => fail('en')).toThrow('the directory has no provider with role MANUFACTURER');
});
