/**
 * The support finder's own GraphQL operations. Plain strings without browser code, so that
 * `npm run build` lists them as the page's trusted documents (scripts/persisted-documents.ts).
 */

const PROVIDER = `name roles active email phone website businessHours timeZone openNow nextOpening`;

export const TOPICS_QUERY = `query Topics { supportTopics { id name level category { name } } }`;

/**
 * The headline question, and beside it the providers serving the practice's country with their
 * current prices (the page shows the support partners'). Two root fields, not
 * supportContact.license.holder...: the Rust planner (router-runtime 1.4.23) aborts the whole
 * gateway process when Provider.offers is asked both under contacts and under that path.
 */
export const FINDER_QUERY = `query SupportFinder($licenseKey: ID!, $topic: ID!) {
  supportContact(licenseKey: $licenseKey, topic: $topic) {
    topic { id name level category { name } }
    contacts { ${PROVIDER} }
    escalation { ${PROVIDER} }
    billedBy { name }
    explanation
  }
  license(key: $licenseKey) {
    key
    holder { name serviceArea { providers { ${PROVIDER} offers(current: true) { service title unit price { amount currency } } } } }
  }
}`;

