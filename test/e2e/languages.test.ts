/**
 * The API's texts in the reader's language, through the gateway over HTTP with signed subgraph
 * calls (docs/api.md "Languages"): Accept-Language chooses among de, en, fr, it, pl (English
 * otherwise); explanations, topic names and errors follow it while codes, enum values and ids do not;
 * the response cache keeps one answer per language. The catalogues themselves:
 * test/rules/message-catalogues.test.ts.
 */
import { networkDirectory } from '../fixtures/network';
import { ADMIN, startTestStack, tokenFor, type TestStack } from '../support/stack';

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
