/** The public GraphQL API, asked like any frontend asks it: POST /graphql with JSON. */

export interface Provider {
  name: string;
  roles: string[];
  active: boolean;
  email: string | null;
  phone: string | null;
  website: string | null;
  businessHours: string | null;
  timeZone: string | null;
  /** Computed by the API in the provider's time zone; null without hours or zone. */
  openNow: boolean | null;
  nextOpening: string | null;
  offers?: Offer[];
}
export interface Offer {
  service: 'TRAINING' | 'USER_SUPPORT' | 'TECHNICAL_SUPPORT';
  title: string;
  unit: string;
  price: { amount: string; currency: string };
}
export interface Topic {
  id: string;
  name: string;
  level: string | null;
  category: { name: string };
}
export interface Finding {
  topic: Topic;
  contacts: Provider[];
  escalation: Provider[];
  billedBy: { name: string } | null;
  explanation: string;
}
export interface LicenseArea {
  key: string;
  holder: { name: string; serviceArea: { providers: Provider[] } };
}

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

export class ApiError extends Error {}

/** The caller's bearer token (licenses are visible only to their holder, their providers and admins). */
export async function ask<T>(query: string, variables: Record<string, unknown> = {}, token = ''): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token.trim() ? { authorization: `Bearer ${token.trim()}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The directory cannot be reached. Check the connection and try again.');
  }
  const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: { message: string }[] } | undefined;
  if (body?.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join(' '));
  if (!response.ok || !body?.data) throw new ApiError(`The directory answered ${response.status}.`);
  return body.data;
}
