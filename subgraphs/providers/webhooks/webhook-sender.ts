/**
 * Sends one signed delivery. Hand-written on node:http(s) rather than fetch because the address
 * check must hold for the connection actually made: the host name is resolved here, every address
 * it resolves to is checked (no loopback, private or link-local address unless the host is on the
 * allow-list), and the socket connects to the checked address through the request's `lookup`, so a
 * name that resolves differently a moment later (DNS rebinding) cannot slip past. fetch offers no
 * such hook without an extra dispatcher package. Redirects are not followed (a 3xx is a failure):
 * following one would reach an address nobody checked.
 *
 * Signing is the standardwebhooks package's (the Standard Webhooks reference implementation):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret,
 * space-separated, while a rotated-out secret still signs (webhook-rules.ts signingSecrets).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { addressRefusal, hostAllowed, hostKey } from './webhook-rules';

export interface OutgoingDelivery {
  url: string;
  /** The endpoint's signing secrets (`whsec_…`), the current one first; two while a rotation's grace period lasts. */
  secrets: readonly string[];
  /** The event id: the `webhook-id` header. */
  messageId: string;
  body: string;
  /** The attempt's instant: the `webhook-timestamp` header (seconds). */
  at: Date;
}

export interface SendOptions {
  timeoutMs: number;
  allowedHosts: readonly string[];
}

/** What came of an attempt: the endpoint's status (and its Retry-After header, if any), or why there was none. */
export type SendResult = { responseStatus: number; retryAfter: string | null; error: null } | { responseStatus: null; retryAfter: null; error: string };

/** The Standard Webhooks headers (and the content type) of one attempt. */
export function signedHeaders(delivery: Pick<OutgoingDelivery, 'secrets' | 'messageId' | 'body' | 'at'>): Record<string, string> {
  const timestamp = Math.floor(delivery.at.getTime() / 1000);
  const signedAt = new Date(timestamp * 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'onyx-support-directory-webhooks/1',
    'webhook-id': delivery.messageId,
    'webhook-timestamp': String(timestamp),
    // A receiver accepts the delivery when any one of the space-separated signatures verifies.
    'webhook-signature': delivery.secrets.map((secret) => new Webhook(secret).sign(delivery.messageId, signedAt, delivery.body)).join(' '),
  };
}

/** The address to connect to: the host itself when it is one, else what it resolves to; every one checked. */
async function checkedAddress(hostname: string, allowedHosts: readonly string[]): Promise<{ address: string; family: number }> {
  const host = hostKey(hostname);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await dnsLookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} resolves to no address`);
  if (!hostAllowed(host, allowedHosts)) {
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      // Any private answer refuses the name: picking the public one would still let the name's owner aim at our network.
      if (refusal) throw new Error(`refused: ${refusal} (${host} resolves to it); deliveries go to public addresses only`);
    }
  }
  return addresses[0];
}

export async function sendDelivery(delivery: OutgoingDelivery, options: SendOptions): Promise<SendResult> {
  const url = new URL(delivery.url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const target = await Promise.race([
      checkedAddress(url.hostname, options.allowedHosts),
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`no answer within ${options.timeoutMs} ms`)), { once: true })),
    ]);
    // The connection goes to the address checked above, whatever the name resolves to by then.
    const lookup: LookupFunction = (_host, opts, callback) => {
      if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    const answer = await new Promise<{ status: number; retryAfter: string | null }>((resolve, reject) => {
      const request = client.request(
        url,
        { method: 'POST', headers: { ...signedHeaders(delivery), 'content-length': String(Buffer.byteLength(delivery.body)) }, lookup, signal, agent: false },
        (response) => {
          // Only the status (and Retry-After) matter; the body is read and dropped so the socket closes cleanly.
          response.resume();
          const retryAfter = response.headers['retry-after'];
          response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter.slice(0, 100) : null }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(delivery.body);
    });
    return { responseStatus: answer.status, retryAfter: answer.retryAfter, error: null };
  } catch (error) {
    const message = signal.aborted ? `no answer within ${options.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { responseStatus: null, retryAfter: null, error: message.slice(0, 500) };
  }
}
