/**
 * The API's texts in the reader's language, through the gateway over HTTP with signed subgraph
 * calls (docs/api.md "Languages"): Accept-Language chooses among de, en, fr, it, pl (English
 * otherwise); explanations, topic names and errors follow it while codes, enum values and ids do not;
 * the response cache keeps one answer per language. The catalogues themselves:
 * test/rules/message-catalogues.test.ts.
 */
import { networkDirectory } from '../fixtures/network';
import { ADMIN, gatewayBeside, startTestStack, tokenFor, type TestStack } from '../support/stack';

let stack: TestStack;
let adminToken: string;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory(), gateway: { responseCache: true } });
  adminToken = await tokenFor(ADMIN);
});
afterAll(() => stack?.close());

/** POSTs a query as the admin (or anonymously) with an Accept-Language header. */
async function ask(query: string, acceptLanguage?: string, anonymous = false) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
  if (!anonymous) headers.authorization = `Bearer ${adminToken}`;
  const response = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, cache: response.headers.get('x-cache'), body: (await response.json()) as any };
}

const ROUTE = `{ supportContact(licenseKey: "L-SUSPENDED", topic: "server-installation") { topic { id name level category { id name } } contacts { id } explanation } }`;

describe('Accept-Language through the gateway', () => {
  it('German: the explanation, the topic and category names; ids, codes and enum values as always', async () => {
    const { body } = await ask(ROUTE, 'de-AT,de;q=0.9,en;q=0.5');
    expect(body.errors).toBeUndefined();
    const answer = body.data.supportContact;
    expect(answer.topic).toEqual({
      id: 'server-installation',
      name: 'Serverinstallation',
      level: 'LEVEL_0',
      category: { id: 'TECHNICAL_SUPPORT', name: 'Technischer Support' },
    });
    expect(answer.contacts).toEqual([{ id: 'alpha' }]);
    expect(answer.explanation).toBe(
      'Technischen Support Level 0 (Serverinstallation) für Lizenz L-SUSPENDED leistet ihr Händler Alpha Dental Vertrieb; Image Instruments GmbH übernimmt, was er nicht lösen kann. Hinweis: Lizenz L-SUSPENDED ist SUSPENDED (nicht aktiv).',
    );
  });

  it('Polish, French and Italian likewise; a language the API does not speak, or none, is English', async () => {
    const explanation = async (header?: string) => (await ask(ROUTE, header)).body.data.supportContact.explanation as string;
    expect(await explanation('pl')).toMatch(
      /^Wsparcie techniczne poziomu 0 \(Instalacja serwera\) dla licencji L-SUSPENDED zapewnia jej sprzedawca Alpha Dental Vertrieb; /,
    );
    expect(await explanation('fr-CH')).toMatch(/^Le support technique de niveau 0 \(Installation du serveur\) pour la licence L-SUSPENDED /);
    expect(await explanation('it')).toMatch(/^Il supporto tecnico di livello 0 \(Installazione del server\) per la licenza L-SUSPENDED /);
    expect(await explanation('es-ES')).toMatch(
      /^Level 0 technical support \(Server installation\) for license L-SUSPENDED comes from its vendor Alpha Dental Vertrieb; /,
    );
    expect(await explanation()).toMatch(/^Level 0 technical support \(Server installation\)/);
  });

  it('errors in the reader’s language, with the same codes', async () => {
    const unknownTopic = await ask(`{ supportContact(licenseKey: "L-VENDOR", topic: "nope") { explanation } }`, 'de');
    expect(unknownTopic.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Unbekanntes Supportthema „nope“; bekannte Themen: updates, /),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknownLicense = await ask(`{ supportContact(licenseKey: "L-NOPE", topic: "training") { explanation } }`, 'pl');
    expect(unknownLicense.body.errors[0]).toMatchObject({ message: 'Nie znaleziono licencji „L-NOPE”', extensions: { code: 'NOT_FOUND' } });
    const signIn = `mutation { signIn(licenseKey: "L-VENDOR", accessCode: "AAAA-BBBB-CCCC-DDDD") { token } }`;
    const german = await ask(signIn, 'de', true);
    expect(german.body.errors[0]).toMatchObject({
      message:
        'Lizenzschlüssel oder Zugangscode stimmen nicht. Prüfen Sie beide auf Ihren Lizenzunterlagen oder bitten Sie Ihren Distributor um einen neuen Zugangscode.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_FAILED' },
    });
    const twice = await ask(
      `mutation { a: signIn(licenseKey: "L-VENDOR", accessCode: "x") { token } b: signIn(licenseKey: "L-VENDOR", accessCode: "y") { token } }`,
      'it',
      true,
    );
    expect(twice.body.errors[0]).toMatchObject({
      message: 'Un solo accesso per richiesta: l’operazione chiede signIn più di una volta.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it("routingStanding's explanations too, for a provider in the reader's language", async () => {
    const { body } = await ask(`{ routingStanding(providerId: "alpha") { places { country topic { id name } openRanking { explanation } } } }`, 'de');
    expect(body.errors).toBeUndefined();
    const place = body.data.routingStanding.places.find((p: any) => p.topic.id === 'server-installation');
    expect(place.topic.name).toBe('Serverinstallation');
    expect(place.openRanking.explanation).toMatch(/^Technischen Support Level 0 \(Serverinstallation\) für Lizenz /);
  });

  it('the response cache keeps one answer per language: a German answer is never served to an English reader', async () => {
    const query = `{ supportTopic(id: "training") { id name category { name } } }`;
    const first = await ask(query, 'de');
    const again = await ask(query, 'de-CH');
    const english = await ask(query, 'en-GB');
    expect(first.body.data.supportTopic).toEqual({ id: 'training', name: 'Schulung', category: { name: 'Anwendersupport' } });
    expect(again.body).toEqual(first.body);
    expect(english.body.data.supportTopic).toEqual({ id: 'training', name: 'Training', category: { name: 'User support' } });
    const polish = await ask(query, 'pl');
    expect(polish.body.data.supportTopic.name).toBe('Szkolenie');
  });
});

/** POSTs a query with a token of its own (or none) and an Accept-Language header, to `url` (the stack's gateway by default). */
async function askAs(query: string, acceptLanguage: string | undefined, token: string | null, url = stack.url) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('every sentence the API writes follows Accept-Language; codes, fields and ids do not (docs/api.md "Languages")', () => {
  it("a mutation's refused value: the check of lib/validation.ts said in German and Polish, with English's code and field", async () => {
    const alpha = await tokenFor({ sub: 'alpha-desk', role: 'provider', provider: 'alpha' });
    const update = `mutation { updateProvider(id: "alpha", version: 1, input: { email: "kein-at" }) { id } }`;
    const [english, german, polish] = await Promise.all(['en', 'de-DE', 'pl'].map((language) => askAs(update, language, alpha)));
    expect(english.body.errors[0]).toMatchObject({
      message: 'input.email must contain one "@" with text on both sides and a domain with a dot, like "support@example.org" (got "kein-at")',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.email' },
    });
    expect(german.body.errors[0]).toEqual({
      ...english.body.errors[0],
      message:
        'input.email muss genau ein „@“ mit Text auf beiden Seiten und eine Domain mit Punkt enthalten, z. B. „support@example.org“ (erhalten: "kein-at")',
    });
    expect(polish.body.errors[0]).toEqual({
      ...english.body.errors[0],
      message: 'input.email musi zawierać jeden znak „@” z tekstem po obu stronach i domenę z kropką, np. „support@example.org” (otrzymano: "kein-at")',
    });
  });

  it("a registration's problems: the message and each extensions.problems reason in the reader's language, index and field as in English", async () => {
    const register = `mutation { registerLicense(input: { key: "L-NEW-1", packageName: "OnyxCeph³", type: WORKSTATION, programVersion: "3.2", holder: { name: "Praxis", country: "XX", language: "de" } }) { key } }`;
    const [english, german] = await Promise.all(['en', 'de'].map((language) => askAs(register, language, adminToken)));
    expect(english.body.errors[0]).toMatchObject({
      message: 'License refused, nothing registered: input.holder.country: country must be an ISO 3166-1 alpha-2 country code like "DE" (got "XX")',
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ index: 0, field: 'holder.country', reason: 'country must be an ISO 3166-1 alpha-2 country code like "DE" (got "XX")' }],
      },
    });
    const inGerman = 'country muss ein Ländercode nach ISO 3166-1 alpha-2 sein, z. B. „DE“ (erhalten: "XX")';
    expect(german.body.errors[0]).toEqual({
      ...english.body.errors[0],
      message: `Lizenz abgelehnt, nichts registriert: input.holder.country: ${inGerman}`,
      extensions: { ...english.body.errors[0].extensions, problems: [{ index: 0, field: 'holder.country', reason: inGerman }] },
    });
  });

  it("a refusal of who may do what: the action named in the reader's words", async () => {
    const holder = `mutation { suspendLicense(key: "L-VENDOR", version: 1) { key } }`;
    const alpha = await tokenFor({ sub: 'alpha-desk', role: 'provider', provider: 'alpha' });
    const [english, italian, german] = await Promise.all(['en', 'it', 'de'].map((language) => askAs(holder, language, alpha)));
    expect(english.body.errors[0]).toMatchObject({ message: 'Only an admin may suspend a license', extensions: { code: 'FORBIDDEN' } });
    expect(italian.body.errors[0]).toMatchObject({ message: 'Solo un amministratore può sospendere una licenza', extensions: { code: 'FORBIDDEN' } });
    expect(german.body.errors[0]).toMatchObject({ message: 'Nur ein Administrator darf eine Lizenz sperren', extensions: { code: 'FORBIDDEN' } });
  });

  it("a fee line's vatExplanation in French and Italian: countries named and the rate written in the reader's way; the treatment's code as always", async () => {
    const fee = (key: string) => `{ license(key: "${key}") { maintenanceFee(year: 2026) { vatTreatment vatRate vatExplanation } } }`;
    const line = async (key: string, language: string) => (await askAs(fee(key), language, adminToken)).body.data.license.maintenanceFee;
    expect(await line('L-DIRECT', 'en')).toEqual({
      vatTreatment: 'DESTINATION',
      vatRate: '0.20',
      vatExplanation: 'VAT of Austria at 20 %: a customer in the EU without a VAT id, billed from Germany.',
    });
    expect(await line('L-DIRECT', 'fr-CH')).toEqual({
      vatTreatment: 'DESTINATION',
      vatRate: '0.20',
      vatExplanation: 'TVA du pays du client (Autriche) à 20 % : client dans l’UE sans numéro de TVA, facturé depuis un autre pays (Allemagne).',
    });
    expect(await line('L-VENDOR', 'it')).toEqual({ vatTreatment: 'DOMESTIC', vatRate: '0.20', vatExplanation: 'Vendita nazionale (Austria): IVA al 20%.' });
    expect(await line('L-US', 'it')).toEqual({
      vatTreatment: 'NOT_TAXED',
      vatRate: '0',
      vatExplanation: 'Non imponibile: il paese del cliente (Stati Uniti) non applica l’IVA.',
    });
  });

  it("the gateway's own refusals: an over-deep query in Polish, with English's code", async () => {
    let deep = 'key';
    for (let i = 0; i < 8; i++) deep = `license { supportContact(topic: "training") { ${deep} } }`;
    deep = `{ license(key: "L-VENDOR") { supportContact(topic: "training") { ${deep} } } }`;
    const [english, polish] = await Promise.all(['en', 'pl'].map((language) => askAs(deep, language, null)));
    expect(english.status).toBe(400);
    expect(english.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Syntax Error: Query depth limit of 12 exceeded, found \d+\.$/),
      extensions: { code: 'OPERATION_TOO_DEEP' },
    });
    const found = /found (\d+)/.exec(english.body.errors[0].message)![1];
    expect(polish.status).toBe(400);
    expect(polish.body.errors[0]).toMatchObject({
      message: `Operacja jest zagnieżdżona na ${found} poziomów; dozwolone jest najwyżej 12.`,
      extensions: { code: 'OPERATION_TOO_DEEP' },
    });
  });

  it('a rate-limited request in Polish (429, RATE_LIMITED, Retry-After as always)', async () => {
    const limited = await gatewayBeside(stack, { rateLimit: { requests: 1, windowSeconds: 60 } });
    try {
      const query = '{ supportCategories { id } }';
      expect((await askAs(query, 'pl', null, limited.url)).status).toBe(200);
      const refused = await fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'pl-PL,pl;q=0.9' },
        body: JSON.stringify({ query }),
      });
      expect(refused.status).toBe(429);
      const retryAfter = refused.headers.get('retry-after');
      expect(await refused.json()).toEqual({
        errors: [{ message: `Zbyt wiele żądań: najwyżej 1 na 60 s. Spróbuj ponownie za ${retryAfter} s.`, extensions: { code: 'RATE_LIMITED' } }],
      });
    } finally {
      await limited.close();
    }
  });
});
