/**
 * The support finder's own GraphQL operations. Plain strings without browser code, so that
 * `npm run build` lists them as the page's trusted documents (scripts/persisted-documents.ts).
 */

const PROVIDER = `id name languages email phone website businessHours timeZone openNow nextOpening`;

export const TOPICS_QUERY = `query Topics { supportTopics { id name level category { id name } } }`;

/**
 * The headline question for a signed-in practice: the contacts in routing order, each with its
 * current offers for the service the topic is about (one path to Provider.offers only: the Rust
 * planner of router-runtime 1.4.23 has aborted on the same field under two paths).
 */
export const FINDER_QUERY = `query SupportFinder($licenseKey: ID!, $topic: ID!, $service: ServiceKind!, $withOffers: Boolean!) {
  supportContact(licenseKey: $licenseKey, topic: $topic) {
    topic { id name level category { id name } }
    contacts { ${PROVIDER} offers(current: true, service: $service) @include(if: $withOffers) { service title unit price { amount currency } } }
    escalation { id name }
    billedBy { name }
    explanation
    firstResponses { provider { id } businessHours expectedBy }
  }
  license(key: $licenseKey) { key holder { name country } }
}`;

/** Public: the support partners serving a country, with their current training and user-support offers. */
export const PARTNERS_QUERY = `query Partners($country: String!) {
  providers(role: SUPPORT_PARTNER, country: $country, active: true) { ${PROVIDER} offers(current: true) { service title unit price { amount currency } } }
}`;

/** Public: every country some support partner serves (the country choice). */
export const COUNTRIES_QUERY = `query PartnerCountries { providers(role: SUPPORT_PARTNER, active: true) { serviceCountries } }`;

/** The signed-in practice's own language: the page's default when the reader chose none. */
export const HOLDER_LANGUAGE_QUERY = `query HolderLanguage($licenseKey: ID!) { license(key: $licenseKey) { holder { language } } }`;

export const SIGN_IN_MUTATION = `mutation SignIn($licenseKey: ID!, $accessCode: String!) { signIn(licenseKey: $licenseKey, accessCode: $accessCode) { token expiresAt } }`;
