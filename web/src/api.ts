/** The public GraphQL API, asked like any frontend asks it: POST /graphql with JSON. */
import { pageLanguage } from '../common/i18n';

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
/** A contact's or escalation provider's first-response commitment (null: none stated) and when to expect an answer. */
export interface FirstResponse {
  provider: { id: string };
  businessHours: number | null;
  expectedBy: string | null;
}
export interface Finding {
  topic: Topic;
  contacts: Provider[];
  escalation: { id: string; name: string }[];
  billedBy: { name: string } | null;
  explanation: string;
  /** One per contact, then per escalation provider, in their order. */
  firstResponses: FirstResponse[];
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

export { COUNTRIES_QUERY, FINDER_QUERY, HOLDER_LANGUAGE_QUERY, PARTNERS_QUERY, SIGN_IN_MUTATION, TOPICS_QUERY } from './operations';

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

/** The document's id: its SHA-256 in hex, as `npm run build` lists it (web/dist/persisted-documents.json). */
async function documentId(query: string): Promise<string | undefined> {
  // Only in a secure context (https, localhost, 127.0.0.1); elsewhere the document itself is sent.
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(query));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

type Answer<T> = { response: Response; body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined };

async function post<T>(body: Record<string, unknown>, token: string): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        // The API writes its texts (explanations, topic names, errors) in the page's language.
        'accept-language': pageLanguage(),
        ...(token.trim() ? { authorization: `Bearer ${token.trim()}` } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Unreachable();
  }
  return { response, body: (await response.json().catch(() => undefined)) as Answer<T>['body'] };
}

/**
 * Asks by the document's id first (automatic persisted queries: a gateway with
 * PERSISTED_DOCUMENTS=only answers only the ids it trusts), and sends the document with its id when
 * the gateway does not know it yet. The caller's bearer token: licenses are visible only to their
 * holder, their providers and admins.
 */
export async function ask<T>(query: string, variables: Record<string, unknown> = {}, token = ''): Promise<T> {
  const id = await documentId(query).catch(() => undefined);
  const persistedQuery = id ? { persistedQuery: { version: 1, sha256Hash: id } } : undefined;
  let answer = persistedQuery ? await post<T>({ variables, extensions: persistedQuery }, token) : undefined;
  if (!answer || answer.body?.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
    answer = await post<T>({ query, variables, ...(persistedQuery ? { extensions: persistedQuery } : {}) }, token);
  }
  const { response, body } = answer;
  if (body?.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join(' '), body.errors[0].extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(`The directory answered ${response.status}.`);
  return body.data;
}
