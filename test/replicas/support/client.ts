/** GraphQL over HTTP for the multi-replica suite: one call, its status, body and headers; tokens kept per caller. */
import http from 'node:http';
import { tokenFor } from '../../support/stack';

export interface Answer<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, any> }[] } & Record<string, any>;
  headers: Headers;
}

export type Caller = { sub: string; role: string } & Record<string, unknown>;

const tokens = new Map<string, Promise<string>>();
/** One token per caller for the whole suite: the response cache shares answers per credentials. */
export const tokenOf = (caller: Caller) => {
  const key = JSON.stringify(caller);
  if (!tokens.has(key)) tokens.set(key, tokenFor(caller, '2h'));
  return tokens.get(key)!;
};

export const admin = (sub: string): Caller => ({ sub, role: 'admin' });

/** POSTs to `${base}/graphql`; `as` null: anonymous. */
export async function graphql<T = any>(
  base: string,
  query: string | undefined,
  variables: Record<string, unknown> = {},
  options: { as?: Caller | null; headers?: Record<string, string>; extensions?: unknown; signal?: AbortSignal } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.as) headers.authorization = `Bearer ${await tokenOf(options.as)}`;
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...(query === undefined ? {} : { query }), variables, ...(options.extensions ? { extensions: options.extensions } : {}) }),
    signal: options.signal,
  });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: `not JSON (HTTP ${response.status}): ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body, headers: response.headers };
}

/** The data of an answer that must have succeeded (else the test fails naming the answer). */
export function dataOf<T = any>(answer: Answer<T>): T {
  if (answer.status !== 200 || answer.body.errors?.length || !answer.body.data)
    throw new Error(`expected data, got HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/** A POST over node:http on `agent` (keep-alive), to see the connection header and the socket's fate. */
export function rawPost(
  base: string,
  body: string,
  agent: http.Agent,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; connection: string | undefined }> {
  const url = new URL(`${base}/graphql`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, connection: response.headers.connection }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
