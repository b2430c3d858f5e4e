/**
 * The webhook rules, one pure function each (tested rule by rule in test/rules/webhook-rules.test.ts):
 * which endpoints hear of an event, what the body says, which secrets sign it, when a failed
 * delivery is tried again (a receiver's Retry-After included), when an endpoint is disabled, which
 * addresses a delivery never reaches, which URLs an endpoint may have.
 */
import { BlockList, isIP } from 'node:net';
import type { WebhookEventType } from './webhook-event-type';
import { message, type Message } from '../../../lib/i18n/message';

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

/**
 * The longest wait a receiver's `Retry-After` can impose on one attempt: a day, the span of the whole
 * schedule (a receiver asking for a week is waited for a day, then asked again).
 */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * How long the receiver asked us to wait (`Retry-After`, RFC 9110: delay-seconds or an HTTP date),
 * capped at MAX_RETRY_AFTER_MS; null when absent, unreadable or already past.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  const value = header?.trim();
  if (!value) return null;
  const ms = /^\d{1,10}$/.test(value) ? Number(value) * 1000 : /[a-z]/i.test(value) ? Date.parse(value) - now.getTime() : NaN;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * When to try again after `attemptsMade` failed attempts, the last at `lastAttemptAt`; null: give up.
 * A receiver's Retry-After (already read by retryAfterMs) moves the attempt later, never earlier:
 * the schedule's delay or the receiver's, whichever is longer. It does not add attempts.
 */
export function nextAttemptAt(
  attemptsMade: number,
  lastAttemptAt: Date,
  schedule: readonly number[] = DEFAULT_RETRY_SCHEDULE_MS,
  retryAfter: number | null = null,
): Date | null {
  const delay = schedule[attemptsMade - 1];
  return delay === undefined ? null : new Date(lastAttemptAt.getTime() + Math.max(delay, retryAfter ?? 0));
}

/** An answer delivers the event when its status is 2xx; anything else (a redirect too) is tried again. */
export const isDelivered = (responseStatus: number | null): boolean => responseStatus !== null && responseStatus >= 200 && responseStatus < 300;

// ---- when an endpoint is disabled ------------------------------------------------------------------

/**
 * Following the Standard Webhooks guidance (and Svix, its authors' service): an endpoint whose every
 * attempt has failed for five days is disabled, so a receiver that is gone for good stops costing
 * attempts and its provider sees why in the portal. Five days outlast a long weekend's outage, and
 * the five days alone are not enough: at least a whole retry schedule's worth of attempts (ten) must
 * have failed in a row, so two failures on quiet days a week apart disable nothing.
 */
export interface DisablePolicy {
  afterMs: number;
  afterFailures: number;
}
export const DEFAULT_DISABLE_POLICY: DisablePolicy = { afterMs: 5 * 24 * 3_600_000, afterFailures: 10 };

/** An endpoint's run of failures: since when every attempt failed, and how many in a row (null, 0: the last one succeeded). */
export interface EndpointHealth {
  failingSince: Date | null;
  consecutiveFailures: number;
}

/** The run of failures after an attempt at `at`: a success ends it, a failure starts or extends it. */
export function healthAfterAttempt(health: EndpointHealth, delivered: boolean, at: Date): EndpointHealth {
  if (delivered) return { failingSince: null, consecutiveFailures: 0 };
  return { failingSince: health.failingSince ?? at, consecutiveFailures: health.consecutiveFailures + 1 };
}

/**
 * Why the endpoint is disabled after this attempt, or null. `410 Gone` disables at once (the
 * receiver says the URL is gone for good, as the specification asks us to honour); otherwise the
 * run of failures (already counting this attempt) must have lasted the policy's period and count.
 */
export function disableReason(health: EndpointHealth, responseStatus: number | null, at: Date, policy: DisablePolicy = DEFAULT_DISABLE_POLICY): string | null {
  if (responseStatus === 410) return 'the endpoint answered 410 Gone';
  if (!health.failingSince || health.consecutiveFailures < policy.afterFailures) return null;
  if (at.getTime() - health.failingSince.getTime() < policy.afterMs) return null;
  return `every attempt failed since ${health.failingSince.toISOString()} (${health.consecutiveFailures} in a row)`;
}

// ---- which secrets sign a delivery -----------------------------------------------------------------

/** How long a rotated-out secret still signs by default (a day: time to roll the new one out to every receiver), and at most (a week). */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
export const MAX_ROTATION_GRACE_MS = 7 * 24 * 3_600_000;

/**
 * The secrets that sign an attempt at `at`: the current one first, then the one it replaced while
 * its grace period lasts (the `webhook-signature` header then carries both, `v1,<a> v1,<b>`, and a
 * receiver still holding the old secret verifies either way); afterwards the current one alone.
 */
export function signingSecrets(endpoint: { secret: string; previousSecret?: string | null; previousSecretUntil?: Date | null }, at: Date): string[] {
  const previousValid = endpoint.previousSecret && endpoint.previousSecretUntil && new Date(endpoint.previousSecretUntil).getTime() > at.getTime();
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

// ---- the order of an endpoint's queue --------------------------------------------------------------

/**
 * What a provider may do with a delivery that holds its endpoint's queue: "retry now" and "skip" act
 * on a PENDING delivery only (a delivered, failed or skipped one is done; replay it instead). Null:
 * allowed; else why not.
 */
export function queueActionRefusal(delivery: { status: string }, action: 'retry' | 'skip'): Message | null {
  if (delivery.status === 'PENDING') return null;
  return message('webhook.notPending', { status: delivery.status, action });
}

// ---- where a delivery may go -----------------------------------------------------------------------

/** The ranges and what each is, as address.kind names them. */
const PRIVATE_RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'thisNetwork'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'linkLocalMetadata'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  // IPv4-mapped and NAT64 addresses could smuggle any IPv4 address (127.0.0.1 too) past the list.
  ['::ffff:0:0', 96, 'ipv6', 'ipv4Mapped'],
  ['64:ff9b::', 96, 'ipv6', 'nat64'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'uniqueLocal'],
  ['fe80::', 10, 'ipv6', 'linkLocal'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const RANGES = PRIVATE_RANGES.map(([network, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, what };
});

/** Why a delivery must not reach this IP address (loopback, private, link-local…), or null for a public one. */
export function addressRefusal(address: string): Message | null {
  const version = isIP(address);
  if (version === 0) return message('address.notAnAddress', { address });
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const range = RANGES.find((r) => r.family === family && r.list.check(address, family));
  return range ? message('address.kind', { address, kind: range.what }) : null;
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
export function endpointUrlProblem(value: string, options: { allowedHosts: readonly string[]; requireHttps: boolean }): Message | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return message('webhook.urlNotHttp');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return message('webhook.urlNotHttp');
  if (options.requireHttps && url.protocol !== 'https:') return message('webhook.urlNotHttps');
  if (url.username || url.password) return message('webhook.urlWithCredentials');
  const host = hostKey(url.hostname);
  if (isIP(host) && !hostAllowed(host, options.allowedHosts)) {
    const refusal = addressRefusal(host);
    if (refusal) return message('webhook.urlPrivate', { refusal });
  }
  return null;
}
