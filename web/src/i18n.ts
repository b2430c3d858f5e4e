/**
 * The page's own words in German, English, French and Italian. What the API says (topic names,
 * explanations, error messages) is shown as the API words it: it does not offer translations.
 * Numbers, money, dates, countries and languages are formatted by Intl for the page's language.
 */
export const LANGUAGES = ['de', 'en', 'fr', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

const en = {
  title: 'OnyxCeph³ support finder',
  lead: 'Whom does your practice contact, who takes over, who bills, and what does it cost?',
  language: 'Language',
  signInHeading: 'Sign in with your license',
  signInHint: 'Your license key and access code are on your license papers.',
  licenseKey: 'License key',
  accessCode: 'Access code',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signedInAs: (key: string, until: string) => `Signed in for license ${key} until ${until}.`,
  signOut: 'Sign out',
  signedOut: 'You are signed out.',
  sessionEnded: 'Your session has ended. Please sign in again.',
  findHeading: 'Find support',
  topic: 'Topic',
  chooseTopic: 'Choose a topic…',
  find: 'Find support',
  lookingUp: 'Looking up…',
  signInFirst: 'Sign in with your license key and access code to see whom your practice contacts.',
  enterKey: 'Enter your license key.',
  enterCode: 'Enter your access code.',
  chooseTopicFirst: 'Choose a topic.',
  unreachable: 'The directory cannot be reached. Check the connection and try again.',
  partnersHeading: 'Support partners by country',
  partnersHint: 'Without signing in: who offers training and user support in a country, and at what price.',
  country: 'Country',
  chooseCountry: 'Choose a country…',
  showPartners: 'Show partners',
  noPartners: 'No support partner serves this country.',
  partnersIn: (country: string) => `Support partners in ${country}`,
  answerFor: (topic: string, key: string) => `${topic} for ${key}`,
  contactsHeading: 'Whom to contact, best first',
  noContacts: 'Nobody in the network provides this for the practice’s country.',
  escalationHeading: 'If they cannot solve it',
  noEscalation: 'No further escalation.',
  billedByHeading: 'Who bills',
  eachBillsOwn: 'Each provider the practice chooses bills its own offers.',
  languages: 'Languages',
  email: 'E-mail',
  phone: 'Call',
  website: 'Website',
  hours: 'Opening hours',
  openNow: 'Open now',
  closed: 'Closed',
  opensAt: (when: string) => `Closed, opens ${when}`,
  /** "answers within 4 business hours": `plural` is Intl.PluralRules' category of the number. */
  answersWithin: (hours: string, plural: Intl.LDMLPluralRule) => `answers within ${hours} business ${plural === 'one' ? 'hour' : 'hours'}`,
  answersBy: (when: string) => ` — by ${when}`,
  noHoursToCount: ' (no business hours stated, so no time can be given)',
  noResponseTime: 'No response time stated.',
  offers: 'Offers',
  noOffers: 'No current offers for this.',
  netNote: 'Prices are net, plus VAT.',
  net: 'net',
  print: 'Print',
  units: { ONE_TIME: 'once', ANNUAL: 'per year', PER_HOUR: 'per hour', PER_DAY: 'per day', PER_PARTICIPANT: 'per participant' } as Record<string, string>,
  services: { TRAINING: 'Training', USER_SUPPORT: 'User support', TECHNICAL_SUPPORT: 'Technical support' } as Record<string, string>,
};

export type Labels = typeof en;

const de: Labels = {
  title: 'OnyxCeph³ Support-Finder',
  lead: 'Wen kontaktiert Ihre Praxis, wer hilft weiter, wer stellt in Rechnung, und was kostet es?',
  language: 'Sprache',
  signInHeading: 'Mit Ihrer Lizenz anmelden',
  signInHint: 'Lizenzschlüssel und Zugangscode stehen in Ihren Lizenzunterlagen.',
  licenseKey: 'Lizenzschlüssel',
  accessCode: 'Zugangscode',
  signIn: 'Anmelden',
  signingIn: 'Anmeldung läuft…',
  signedInAs: (key, until) => `Angemeldet für Lizenz ${key} bis ${until}.`,
  signOut: 'Abmelden',
  signedOut: 'Sie sind abgemeldet.',
  sessionEnded: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  findHeading: 'Support finden',
  topic: 'Thema',
  chooseTopic: 'Thema wählen…',
  find: 'Support finden',
  lookingUp: 'Wird gesucht…',
  signInFirst: 'Melden Sie sich mit Lizenzschlüssel und Zugangscode an, um zu sehen, wen Ihre Praxis kontaktiert.',
  enterKey: 'Geben Sie Ihren Lizenzschlüssel ein.',
  enterCode: 'Geben Sie Ihren Zugangscode ein.',
  chooseTopicFirst: 'Wählen Sie ein Thema.',
  unreachable: 'Das Verzeichnis ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
  partnersHeading: 'Supportpartner nach Land',
  partnersHint: 'Ohne Anmeldung: wer in einem Land Schulung und Anwendersupport anbietet, und zu welchem Preis.',
  country: 'Land',
  chooseCountry: 'Land wählen…',
  showPartners: 'Partner anzeigen',
  noPartners: 'Kein Supportpartner betreut dieses Land.',
  partnersIn: (country) => `Supportpartner in ${country}`,
  answerFor: (topic, key) => `${topic} für ${key}`,
  contactsHeading: 'Ansprechpartner, der beste zuerst',
  noContacts: 'Niemand im Netzwerk bietet dies im Land der Praxis an.',
  escalationHeading: 'Wenn sie nicht weiterhelfen können',
  noEscalation: 'Keine weitere Eskalation.',
  billedByHeading: 'Wer stellt in Rechnung',
  eachBillsOwn: 'Jeder Anbieter, den die Praxis wählt, stellt seine eigenen Angebote in Rechnung.',
  languages: 'Sprachen',
  email: 'E-Mail',
  phone: 'Anrufen',
  website: 'Website',
  hours: 'Öffnungszeiten',
  openNow: 'Jetzt geöffnet',
  closed: 'Geschlossen',
  opensAt: (when) => `Geschlossen, öffnet ${when}`,
  answersWithin: (hours, plural) => `antwortet innerhalb von ${hours} ${plural === 'one' ? 'Geschäftsstunde' : 'Geschäftsstunden'}`,
  answersBy: (when) => ` – bis ${when}`,
  noHoursToCount: ' (ohne angegebene Geschäftszeiten lässt sich kein Zeitpunkt nennen)',
  noResponseTime: 'Keine Antwortzeit angegeben.',
  offers: 'Angebote',
  noOffers: 'Keine aktuellen Angebote dafür.',
  netNote: 'Preise netto, zuzüglich MwSt.',
  net: 'netto',
  print: 'Drucken',
  units: { ONE_TIME: 'einmalig', ANNUAL: 'pro Jahr', PER_HOUR: 'pro Stunde', PER_DAY: 'pro Tag', PER_PARTICIPANT: 'pro Teilnehmer' },
  services: { TRAINING: 'Schulung', USER_SUPPORT: 'Anwendersupport', TECHNICAL_SUPPORT: 'Technischer Support' },
};

const fr: Labels = {
  title: 'OnyxCeph³ – trouver le support',
  lead: 'Qui votre cabinet contacte-t-il, qui prend le relais, qui facture, et combien cela coûte-t-il ?',
  language: 'Langue',
  signInHeading: 'Se connecter avec votre licence',
  signInHint: 'La clé de licence et le code d’accès figurent sur vos documents de licence.',
  licenseKey: 'Clé de licence',
  accessCode: 'Code d’accès',
  signIn: 'Se connecter',
  signingIn: 'Connexion…',
  signedInAs: (key, until) => `Connecté pour la licence ${key} jusqu’à ${until}.`,
  signOut: 'Se déconnecter',
  signedOut: 'Vous êtes déconnecté.',
  sessionEnded: 'Votre session a expiré. Veuillez vous reconnecter.',
  findHeading: 'Trouver le support',
  topic: 'Sujet',
  chooseTopic: 'Choisir un sujet…',
  find: 'Trouver le support',
  lookingUp: 'Recherche…',
  signInFirst: 'Connectez-vous avec votre clé de licence et votre code d’accès pour voir qui votre cabinet contacte.',
  enterKey: 'Saisissez votre clé de licence.',
  enterCode: 'Saisissez votre code d’accès.',
  chooseTopicFirst: 'Choisissez un sujet.',
  unreachable: 'L’annuaire est injoignable. Vérifiez la connexion et réessayez.',
  partnersHeading: 'Partenaires de support par pays',
  partnersHint: 'Sans connexion : qui propose formation et assistance utilisateur dans un pays, et à quel prix.',
  country: 'Pays',
  chooseCountry: 'Choisir un pays…',
  showPartners: 'Afficher les partenaires',
  noPartners: 'Aucun partenaire de support ne dessert ce pays.',
  partnersIn: (country) => `Partenaires de support : ${country}`,
  answerFor: (topic, key) => `${topic} pour ${key}`,
  contactsHeading: 'Qui contacter, le meilleur d’abord',
  noContacts: 'Personne dans le réseau ne propose cela dans le pays du cabinet.',
  escalationHeading: 'S’ils ne peuvent pas résoudre le problème',
  noEscalation: 'Pas d’autre escalade.',
  billedByHeading: 'Qui facture',
  eachBillsOwn: 'Chaque prestataire choisi par le cabinet facture ses propres offres.',
  languages: 'Langues',
  email: 'E-mail',
  phone: 'Appeler',
  website: 'Site web',
  hours: 'Heures d’ouverture',
  openNow: 'Ouvert maintenant',
  closed: 'Fermé',
  opensAt: (when) => `Fermé, ouvre ${when}`,
  answersWithin: (hours, plural) => `répond sous ${hours} ${plural === 'one' ? 'heure ouvrée' : 'heures ouvrées'}`,
  answersBy: (when) => ` — d’ici ${when}`,
  noHoursToCount: ' (sans horaires indiqués, aucune heure ne peut être donnée)',
  noResponseTime: 'Aucun délai de réponse indiqué.',
  offers: 'Offres',
  noOffers: 'Aucune offre actuelle pour cela.',
  netNote: 'Prix nets, hors TVA.',
  net: 'net',
  print: 'Imprimer',
  units: { ONE_TIME: 'une fois', ANNUAL: 'par an', PER_HOUR: 'par heure', PER_DAY: 'par jour', PER_PARTICIPANT: 'par participant' },
  services: { TRAINING: 'Formation', USER_SUPPORT: 'Assistance utilisateur', TECHNICAL_SUPPORT: 'Support technique' },
};

const it: Labels = {
  title: 'OnyxCeph³ – trova assistenza',
  lead: 'Chi contatta il vostro studio, chi subentra, chi fattura e quanto costa?',
  language: 'Lingua',
  signInHeading: 'Accedere con la vostra licenza',
  signInHint: 'Chiave di licenza e codice di accesso si trovano nei documenti della licenza.',
  licenseKey: 'Chiave di licenza',
  accessCode: 'Codice di accesso',
  signIn: 'Accedi',
  signingIn: 'Accesso in corso…',
  signedInAs: (key, until) => `Accesso per la licenza ${key} fino alle ${until}.`,
  signOut: 'Esci',
  signedOut: 'Siete usciti.',
  sessionEnded: 'La sessione è scaduta. Accedete di nuovo.',
  findHeading: 'Trova assistenza',
  topic: 'Argomento',
  chooseTopic: 'Scegliete un argomento…',
  find: 'Trova assistenza',
  lookingUp: 'Ricerca…',
  signInFirst: 'Accedete con chiave di licenza e codice di accesso per vedere chi contatta il vostro studio.',
  enterKey: 'Inserite la chiave di licenza.',
  enterCode: 'Inserite il codice di accesso.',
  chooseTopicFirst: 'Scegliete un argomento.',
  unreachable: 'L’elenco non è raggiungibile. Controllate la connessione e riprovate.',
  partnersHeading: 'Partner di assistenza per paese',
  partnersHint: 'Senza accesso: chi offre formazione e assistenza utenti in un paese, e a quale prezzo.',
  country: 'Paese',
  chooseCountry: 'Scegliete un paese…',
  showPartners: 'Mostra partner',
  noPartners: 'Nessun partner di assistenza serve questo paese.',
  partnersIn: (country) => `Partner di assistenza: ${country}`,
  answerFor: (topic, key) => `${topic} per ${key}`,
  contactsHeading: 'Chi contattare, il migliore prima',
  noContacts: 'Nessuno nella rete offre questo nel paese dello studio.',
  escalationHeading: 'Se non possono risolvere',
  noEscalation: 'Nessuna ulteriore escalation.',
  billedByHeading: 'Chi fattura',
  eachBillsOwn: 'Ogni fornitore scelto dallo studio fattura le proprie offerte.',
  languages: 'Lingue',
  email: 'E-mail',
  phone: 'Chiama',
  website: 'Sito web',
  hours: 'Orari di apertura',
  openNow: 'Aperto ora',
  closed: 'Chiuso',
  opensAt: (when) => `Chiuso, apre ${when}`,
  answersWithin: (hours, plural) => `risponde entro ${hours} ${plural === 'one' ? 'ora lavorativa' : 'ore lavorative'}`,
  answersBy: (when) => ` — entro ${when}`,
  noHoursToCount: ' (senza orari indicati non si può dare un orario)',
  noResponseTime: 'Nessun tempo di risposta indicato.',
  offers: 'Offerte',
  noOffers: 'Nessuna offerta attuale per questo.',
  netNote: 'Prezzi netti, IVA esclusa.',
  net: 'netto',
  print: 'Stampa',
  units: { ONE_TIME: 'una tantum', ANNUAL: 'all’anno', PER_HOUR: 'all’ora', PER_DAY: 'al giorno', PER_PARTICIPANT: 'per partecipante' },
  services: { TRAINING: 'Formazione', USER_SUPPORT: 'Assistenza utenti', TECHNICAL_SUPPORT: 'Supporto tecnico' },
};

export const LABELS: Record<Language, Labels> = { de, en, fr, it };

/** The first of the browser's languages the page speaks (de-CH is German), else English. */
export function preferredLanguage(browserLanguages: readonly string[]): Language {
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/** "1.100,00 CHF pro Tag" (de), "CHF 1,100.00 per day" (en): the amount for the locale, with its unit. */
export function formatPrice(language: Language, price: { amount: string; currency: string }, unit: string): string {
  // Display only: the API's decimal string is never computed with.
  const money = new Intl.NumberFormat(language === 'en' ? 'en-GB' : language, { style: 'currency', currency: price.currency, currencyDisplay: 'code' }).format(
    Number(price.amount),
  );
  return `${money} ${LABELS[language].units[unit] ?? unit}`;
}

/**
 * "answers within 4 business hours — by Tuesday 10:00": the commitment with its plural form, and the
 * expected time in the reader's own time zone (the browser's), in the page's language. A date is
 * added when the time is not within the coming week.
 */
export function formatFirstResponse(language: Language, businessHours: number | null, expectedBy: string | null, now = new Date()): string {
  const labels = LABELS[language];
  if (businessHours === null) return labels.noResponseTime;
  const locale = language === 'en' ? 'en-GB' : language;
  const hours = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(businessHours);
  const within = labels.answersWithin(hours, new Intl.PluralRules(locale).select(businessHours));
  if (!expectedBy) return within + labels.noHoursToCount;
  const at = new Date(expectedBy);
  const withinAWeek = at.getTime() - now.getTime() < 6 * 86_400_000;
  const when = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    ...(withinAWeek ? {} : { day: 'numeric', month: 'long' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return within + labels.answersBy(when);
}
