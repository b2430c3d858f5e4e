/**
 * The webhook rules, one pure function each (tested rule by rule in test/rules/webhook-rules.test.ts):
 * which endpoints hear of an event, what the body says, when a failed delivery is tried again,
 * which addresses a delivery never reaches, which URLs an endpoint may have.
 */
import { BlockList, isIP } from 'node:net';
import type { WebhookEventType } from './webhook-event-type';

// ---- who hears of an event -------------------------------------------------------------------------

/** The endpoints an event goes to: those of the providers concerned that subscribed to its type. */
export function subscribedEndpoints<E extends { providerId: string; events: readonly string[] }>(
  endpoints: readonly E[],
  event: { type: WebhookEventType; providerIds: readonly string[] },
): E[] {
  return endpoints.filter((e) => event.providerIds.includes(e.providerId) && e.events.includes(event.type));
}

// ---- what a delivery says --------------------------------------------------------------------------

/**
 * The body of every delivery of an event, in the shape the Standard Webhooks specification
 * recommends: `{"type": …, "timestamp": …, "data": {…}}`; `timestamp` is when the change happened.
 */
export function webhookBody(type: WebhookEventType, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

// ---- when to try again -----------------------------------------------------------------------------

/**
 * The delays after the 1st, 2nd, … failed attempt: growing, and together about a day (23 h 36 min);
 * after the last one fails the delivery is FAILED (a provider can replay it).
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  60_000,
  5 * 60_000,
  30 * 60_000,
  3_600_000,
  2 * 3_600_000,
  4 * 3_600_000,
  8 * 3_600_000,
  8 * 3_600_000,
];

/** When to try again after `attemptsMade` failed attempts, the last at `lastAttemptAt`; null: give up. */
export function nextAttemptAt(attemptsMade: number, lastAttemptAt: Date, schedule: readonly number[] = DEFAULT_RETRY_SCHEDULE_MS): Date | null {
  const delay = schedule[attemptsMade - 1];
  return delay === undefined ? null : new Date(lastAttemptAt.getTime() + delay);
}

/** An answer delivers the event when its status is 2xx; anything else (a redirect too) is tried again. */
export const isDelivered = (responseStatus: number | null): boolean => responseStatus !== null && responseStatus >= 200 && responseStatus < 300;

// ---- where a delivery may go -----------------------------------------------------------------------

const PRIVATE_RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'a "this network" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (cloud metadata services live there)'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  // IPv4-mapped and NAT64 addresses could smuggle any IPv4 address (127.0.0.1 too) past the list.
  ['::ffff:0:0', 96, 'ipv6', 'an IPv4-mapped address'],
  ['64:ff9b::', 96, 'ipv6', 'a NAT64 address'],
  ['100::', 64, 'ipv6', 'a discard address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a private (unique local) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const RANGES = PRIVATE_RANGES.map(([network, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, what };
});

/** Why a delivery must not reach this IP address (loopback, private, link-local…), or null for a public one. */
export function addressRefusal(address: string): string | null {
  const version = isIP(address);
  if (version === 0) return `"${address}" is not an IP address`;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const range = RANGES.find((r) => r.family === family && r.list.check(address, family));
  return range ? `${address} is ${range.what}` : null;
}

/** URL host names compare without case, brackets or a trailing dot. */
export const hostKey = (hostname: string) =>
  hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

/** Whether the allow-list (WEBHOOK_ALLOWED_HOSTS, tests and development) lets a delivery reach `hostname` at a private address. */
export const hostAllowed = (hostname: string, allowedHosts: readonly string[]): boolean => allowedHosts.map(hostKey).includes(hostKey(hostname));

/**
 * Why an endpoint cannot have this URL, or null. http(s) only, no user name or password in it;
 * https only where required (production); a literal IP address must be a public one unless its
 * host is on the allow-list. Host names are resolved and checked at every delivery instead (what a
 * name resolves to can change).
 */
export function endpointUrlProblem(value: string, options: { allowedHosts: readonly string[]; requireHttps: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL like "https://erp.example.org/webhooks"';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http(s) URL like "https://erp.example.org/webhooks"';
  if (options.requireHttps && url.protocol !== 'https:') return "must be an https URL: deliveries carry license holders' data";
  if (url.username || url.password) return 'must not contain a user name or password (deliveries are authenticated by their signature)';
  const host = hostKey(url.hostname);
  if (isIP(host) && !hostAllowed(host, options.allowedHosts)) {
    const refusal = addressRefusal(host);
    if (refusal) return `must not point at a private or loopback address: ${refusal}; deliveries go to public addresses only`;
  }
  return null;
}
