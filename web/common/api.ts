/**
 * What the partner portal and the manufacturer dashboard share: the GraphQL API asked over
 * POST /graphql with the signed-in caller's credentials (an API key in X-API-Key, or a bearer
 * token), kept for the browser tab's session only (sessionStorage), plus small DOM and CSV helpers.
 */
import { spreadsheetCsv, type CsvCell } from './csv';
import { pageLanguage } from './i18n';
import { shared } from './words';

export type Credentials = { kind: 'apiKey' | 'bearer'; value: string };

/** A GraphQL error as the API words it, with its code (CONFLICT, BAD_USER_INPUT, FORBIDDEN, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class Session {
  constructor(private readonly storageKey: string) {}
  get(): Credentials | null {
    try {
      const stored = JSON.parse(sessionStorage.getItem(this.storageKey) ?? 'null') as Credentials | null;
      return stored && (stored.kind === 'apiKey' || stored.kind === 'bearer') && typeof stored.value === 'string' ? stored : null;
    } catch {
      return null;
    }
  }
  set(credentials: Credentials) {
    sessionStorage.setItem(this.storageKey, JSON.stringify(credentials));
  }
  clear() {
    sessionStorage.removeItem(this.storageKey);
  }
}

export async function ask<T>(credentials: Credentials | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  // The API writes its texts for people (explanations, errors) in the language the page is shown in.
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    'accept-language': pageLanguage(),
  };
  if (credentials?.kind === 'apiKey') headers['x-api-key'] = credentials.value.trim();
  if (credentials?.kind === 'bearer') headers.authorization = `Bearer ${credentials.value.trim()}`;
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError(shared().unreachable, undefined);
  }
  const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  if (body?.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join(' '), body.errors[0].extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(shared().answeredStatus(response.status), undefined);
  return body.data;
}

/** The values of one of the schema's enums, asked from the schema itself (introspection). */
export async function enumValues(credentials: Credentials | null, name: string): Promise<string[]> {
  const { __type } = await ask<{ __type: { enumValues: { name: string }[] } | null }>(
    credentials,
    `query EnumValues($name: String!) { __type(name: $name) { enumValues { name } } }`,
    { name },
  );
  if (!__type) throw new ApiError(shared().noSuchEnum(name), undefined);
  return __type.enumValues.map((v) => v.name);
}

/** Builds an element; text is always set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** A table with a header row; cells are text. */
export function table(caption: string, head: string[], rows: (string | number | Node)[][], attrs: Record<string, string> = {}) {
  return el(
    'table',
    attrs,
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, typeof cell === 'number' ? String(cell) : cell))))),
  );
}

/** A CSV file's content: its header row and rows (written by csv.ts for the reader's spreadsheet). */
export interface CsvTable {
  head: string[];
  rows: CsvCell[][];
}

/**
 * The language of the reader's spreadsheet: the browser's first preference (the machine's, which the
 * spreadsheet follows too), even when the page is shown in another language the reader chose.
 */
export const readerLanguage = (): string => navigator.languages?.[0] ?? navigator.language ?? 'en';

/** A button that saves the table as a CSV file (built in the browser from the figures shown) for the reader's spreadsheet. */
export function csvButton(label: string, fileName: string, csv: () => CsvTable) {
  const button = el('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', () => {
    const { head, rows } = csv();
    const text = spreadsheetCsv(head, rows, readerLanguage());
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const link = el('a', { href: url, download: fileName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return button;
}

/** Writes a message into a status line (role=status or alert). */
export function say(target: HTMLElement, message: string, kind: 'ok' | 'error' | '' = '') {
  target.textContent = message;
  target.className = kind;
}
