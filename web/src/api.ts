/** The public GraphQL API, asked like any frontend asks it: POST /graphql with JSON. */

export type ServiceKind = 'TRAINING' | 'USER_SUPPORT' | 'TECHNICAL_SUPPORT';

export interface Offer {
  service: ServiceKind;
  title: string;
  unit: string;
  price: { amount: string; currency: string };
}
export interface Provider {
  id: string;
  name: string;
  languages: string[];
  email: string | null;
  phone: string | null;
  website: string | null;
  businessHours: string | null;
  timeZone: string | null;
  /** Computed by the API in the provider's time zone; null without hours or zone. */
  openNow: boolean | null;
  nextOpening: string | null;
  offers: Offer[];
}
export interface Topic {
  id: string;
  name: string;
  level: string | null;
  category: { id: string; name: string };
}
export interface Finding {
  topic: Topic;
  contacts: Provider[];
  escalation: { name: string }[];
  billedBy: { name: string } | null;
  explanation: string;
}
export interface LicenseSummary {
  key: string;
  holder: { name: string; country: string };
}
export interface Session {
  licenseKey: string;
  token: string;
  expiresAt: string;
}

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
    escalation { name }
    billedBy { name }
    explanation
  }
  license(key: $licenseKey) { key holder { name country } }
}`;

/** Public: the support partners serving a country, with their current training and user-support offers. */
export const PARTNERS_QUERY = `query Partners($country: String!) {
  providers(role: SUPPORT_PARTNER, country: $country, active: true) { ${PROVIDER} offers(current: true) { service title unit price { amount currency } } }
}`;

/** Public: every country some support partner serves (the country choice). */
export const COUNTRIES_QUERY = `query PartnerCountries { providers(role: SUPPORT_PARTNER, active: true) { serviceCountries } }`;

export const SIGN_IN_MUTATION = `mutation SignIn($licenseKey: ID!, $accessCode: String!) { signIn(licenseKey: $licenseKey, accessCode: $accessCode) { token expiresAt } }`;

/** An error answer, worded by the API (its message) with its code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
/** The directory could not be reached at all (no API words to show). */
export class Unreachable extends Error {}

export async function ask<T>(query: string, variables: Record<string, unknown> = {}, token = ''): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Unreachable();
  }
  const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  if (body?.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join(' '), body.errors[0].extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(`HTTP ${response.status}`);
  return body.data;
}
