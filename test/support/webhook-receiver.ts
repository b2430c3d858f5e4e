/**
 * A webhook receiver on the loopback for tests: records every request (headers, raw body) as it
 * arrives and answers with the statuses (and headers) it is told, in turn (the last one from then
 * on); held, it records requests but answers none until released (a slow endpoint).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** Path and query string the delivery was POSTed to. */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status the receiver answered with. */
  status: number;
}

/** An answer: a status, or a status with headers (e.g. Retry-After). */
export type ReceiverAnswer = number | { status: number; headers?: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** The answers to the next requests, in order; the last one stays. */
  answerWith(...answers: ReceiverAnswer[]): void;
  /** From now on requests are recorded but not answered until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answers: ReceiverAnswer[] = [200];
  let held: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      const { status, headers = {} } = typeof next === 'number' ? { status: next } : next;
      received.push({
        path: req.url ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      void held.then(() => res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : 'not now'));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/hooks`,
    port: actual,
    received,
    answerWith: (...next) => {
      answers = next;
    },
    hold: () => {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = Promise.resolve();
        release();
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `check` holds (polling); fails naming `what` if it does not within `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
