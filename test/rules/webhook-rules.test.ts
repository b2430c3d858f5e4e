/** The webhook rules (subgraphs/providers/webhooks/webhook-rules.ts), rule by rule. */
import { Webhook } from 'standardwebhooks';
import { WebhookEventType } from '../../subgraphs/providers/webhooks/webhook-event-type';
import {
  addressRefusal,
  DEFAULT_DISABLE_POLICY,
  DEFAULT_RETRY_SCHEDULE_MS,
  DEFAULT_ROTATION_GRACE_MS,
  disableReason,
  endpointUrlProblem,
  healthAfterAttempt,
  hostAllowed,
  isDelivered,
  MAX_RETRY_AFTER_MS,
  MAX_ROTATION_GRACE_MS,
  nextAttemptAt,
  queueActionRefusal,
  retryAfterMs,
  signingSecrets,
  subscribedEndpoints,
  webhookBody,
} from '../../subgraphs/providers/webhooks/webhook-rules';
import { signedHeaders } from '../../subgraphs/providers/webhooks/webhook-sender';
import { relayedEventProblem } from '../../subgraphs/providers/webhooks/license-event-intake';

describe('who hears of an event', () => {
  const endpoints = [
    { id: 'a1', providerId: 'alpha', events: ['license.registered', 'license.suspended'] },
    { id: 'a2', providerId: 'alpha', events: ['maintenance.recorded'] },
    { id: 'b1', providerId: 'beta', events: ['license.registered'] },
  ];
  test('the endpoints of the providers concerned that subscribed to the type', () => {
    expect(subscribedEndpoints(endpoints, { type: WebhookEventType.LICENSE_REGISTERED, providerIds: ['alpha'] }).map((e) => e.id)).toEqual(['a1']);
    expect(subscribedEndpoints(endpoints, { type: WebhookEventType.LICENSE_REGISTERED, providerIds: ['alpha', 'beta'] }).map((e) => e.id)).toEqual([
      'a1',
      'b1',
    ]);
  });
  test('nobody when no provider concerned subscribed', () => {
    expect(subscribedEndpoints(endpoints, { type: WebhookEventType.LICENSE_TRANSFERRED, providerIds: ['alpha', 'beta'] })).toEqual([]);
    expect(subscribedEndpoints(endpoints, { type: WebhookEventType.LICENSE_REGISTERED, providerIds: ['gamma'] })).toEqual([]);
  });
});

describe('what a delivery says', () => {
  test('type, the instant of the change, and the data (Standard Webhooks body shape)', () => {
    expect(JSON.parse(webhookBody(WebhookEventType.OFFER_WITHDRAWN, new Date('2026-12-03T10:00:00Z'), { offerId: 'o1' }))).toEqual({
      type: 'offer.withdrawn',
      timestamp: '2026-12-03T10:00:00.000Z',
      data: { offerId: 'o1' },
    });
  });
  test('signed as Standard Webhooks says: the reference verifier accepts it, and a changed body or another secret fails', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = webhookBody(WebhookEventType.LICENSE_REGISTERED, new Date(), { licenseKey: 'L-1' });
    const headers = signedHeaders({ secrets: [secret], messageId: 'e7c6c9a0-5b7c-4f55-9b8e-2f0f5a8d1c11', body, at: new Date() });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('L-1', 'L-2'), headers)).toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(body, headers)).toThrow();
  });
});

describe('when to try again', () => {
  test('growing delays', () => {
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE_MS.length; i++) expect(DEFAULT_RETRY_SCHEDULE_MS[i]).toBeGreaterThanOrEqual(DEFAULT_RETRY_SCHEDULE_MS[i - 1]);
  });
  test('for about a day in all, then no more', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThanOrEqual(24 * 3_600_000);
    const last = new Date('2026-12-03T00:00:00Z');
    expect(nextAttemptAt(DEFAULT_RETRY_SCHEDULE_MS.length + 1, last)).toBeNull();
  });
  test('the next attempt after the n-th failure is the n-th delay after it', () => {
    const last = new Date('2026-12-03T00:00:00Z');
    expect(nextAttemptAt(1, last)).toEqual(new Date('2026-12-03T00:00:05Z'));
    expect(nextAttemptAt(2, last)).toEqual(new Date('2026-12-03T00:01:00Z'));
    expect(nextAttemptAt(9, last)).toEqual(new Date('2026-12-03T08:00:00Z'));
    expect(nextAttemptAt(1, last, [100])).toEqual(new Date(last.getTime() + 100));
    expect(nextAttemptAt(2, last, [100])).toBeNull();
  });
  test('delivered on a 2xx answer only; redirects, client and server errors and no answer are tried again', () => {
    expect([200, 201, 204, 299].map(isDelivered)).toEqual([true, true, true, true]);
    expect([null, 199, 301, 302, 400, 410, 500, 503].map(isDelivered)).toEqual(Array(8).fill(false));
  });
});

describe("a receiver's Retry-After", () => {
  const now = new Date('2026-12-07T10:00:00Z');
  test('delay-seconds and an HTTP date are both read', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 3600 ', now)).toBe(3_600_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:05:00 GMT', now)).toBe(300_000);
  });
  test('absent, unreadable, zero or already past: none', () => {
    for (const value of [undefined, null, '', 'soon', '-5', '1.5', '0', 'Mon, 07 Dec 2026 09:00:00 GMT']) expect(retryAfterMs(value, now)).toBeNull();
  });
  test('capped at a day (a receiver cannot park a delivery for a week)', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(86_400_000);
    expect(retryAfterMs(String(7 * 86_400), now)).toBe(MAX_RETRY_AFTER_MS);
  });
  test('moves the next attempt later, never earlier than the schedule, and adds no attempt', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    expect(nextAttemptAt(1, at, [5_000, 60_000], 3_600_000)).toEqual(new Date('2026-12-07T11:00:00Z'));
    expect(nextAttemptAt(2, at, [5_000, 60_000], 1_000)).toEqual(new Date('2026-12-07T10:01:00Z'));
    expect(nextAttemptAt(1, at, [5_000, 60_000], null)).toEqual(new Date('2026-12-07T10:00:05Z'));
    expect(nextAttemptAt(3, at, [5_000, 60_000], 3_600_000)).toBeNull();
  });
});

describe('when an endpoint is disabled', () => {
  const day = 86_400_000;
  const start = new Date('2026-12-01T00:00:00Z');
  const later = (ms: number) => new Date(start.getTime() + ms);
  test('five days and ten failed attempts in a row by default (Standard Webhooks guidance)', () => {
    expect(DEFAULT_DISABLE_POLICY).toEqual({ afterMs: 5 * day, afterFailures: 10 });
  });
  test('a failure starts or extends the run; a success ends it', () => {
    const fresh = { failingSince: null, consecutiveFailures: 0 };
    const one = healthAfterAttempt(fresh, false, start);
    expect(one).toEqual({ failingSince: start, consecutiveFailures: 1 });
    expect(healthAfterAttempt(one, false, later(day))).toEqual({ failingSince: start, consecutiveFailures: 2 });
    expect(healthAfterAttempt(one, true, later(day))).toEqual(fresh);
  });
  test('410 Gone disables at once, whatever came before', () => {
    expect(disableReason({ failingSince: start, consecutiveFailures: 1 }, 410, start)).toBe('the endpoint answered 410 Gone');
  });
  test('failing for five days with ten attempts in a row disables; either alone does not', () => {
    const failing = (n: number) => ({ failingSince: start, consecutiveFailures: n });
    expect(disableReason(failing(10), 500, later(5 * day))).toBe('every attempt failed since 2026-12-01T00:00:00.000Z (10 in a row)');
    expect(disableReason(failing(10), null, later(5 * day - 1))).toBeNull();
    expect(disableReason(failing(9), 503, later(30 * day))).toBeNull();
    expect(disableReason({ failingSince: null, consecutiveFailures: 0 }, 500, later(30 * day))).toBeNull();
  });
  test('other statuses, 404 and 401 included, do not disable at once', () => {
    for (const status of [400, 401, 403, 404, 429, 500, 503]) expect(disableReason({ failingSince: start, consecutiveFailures: 1 }, status, start)).toBeNull();
  });
  test('a configured policy is read the same way', () => {
    expect(disableReason({ failingSince: start, consecutiveFailures: 3 }, 500, start, { afterMs: 0, afterFailures: 3 })).toMatch(/3 in a row/);
  });
});

describe('which secrets sign', () => {
  const at = new Date('2026-12-07T10:00:00Z');
  test('the current one alone when nothing was rotated', () => expect(signingSecrets({ secret: 'new' }, at)).toEqual(['new']));
  test('the current one first, then the replaced one while its grace period lasts', () => {
    expect(signingSecrets({ secret: 'new', previousSecret: 'old', previousSecretUntil: new Date('2026-12-07T10:00:01Z') }, at)).toEqual(['new', 'old']);
  });
  test('the current one alone once the grace period is over', () => {
    expect(signingSecrets({ secret: 'new', previousSecret: 'old', previousSecretUntil: at }, at)).toEqual(['new']);
    expect(signingSecrets({ secret: 'new', previousSecret: 'old', previousSecretUntil: null }, at)).toEqual(['new']);
  });
  test('a day of grace by default, a week at most', () => {
    expect(DEFAULT_ROTATION_GRACE_MS).toBe(86_400_000);
    expect(MAX_ROTATION_GRACE_MS).toBe(7 * 86_400_000);
  });
  test('both signatures in one header, each verifiable by the reference verifier with its own secret', () => {
    const [a, b] = [7, 9].map((n) => `whsec_${Buffer.alloc(32, n).toString('base64')}`);
    const body = '{"type":"license.registered"}';
    const headers = signedHeaders({ secrets: [a, b], messageId: 'e7c6c9a0-5b7c-4f55-9b8e-2f0f5a8d1c11', body, at: new Date() });
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [a, b]) expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(body, headers)).toThrow();
  });
});

describe("what may be done with a queue's head", () => {
  test('retry now and skip act on a PENDING delivery only', () => {
    expect(queueActionRefusal({ status: 'PENDING' }, 'retry')).toBeNull();
    expect(queueActionRefusal({ status: 'PENDING' }, 'skip')).toBeNull();
    for (const status of ['DELIVERED', 'FAILED', 'SKIPPED']) {
      expect(String(queueActionRefusal({ status }, 'retry'))).toMatch(
        new RegExp(`^is ${status}, not PENDING: only a delivery still waiting can be retried now`),
      );
      expect(String(queueActionRefusal({ status }, 'skip'))).toMatch(/can be skipped \(replayWebhookDelivery sends a finished one again\)$/);
    }
  });
});

describe('where a delivery never goes', () => {
  test.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.8.9.10', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.5.4', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address (cloud metadata services live there)'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['0.0.0.0', 'a "this network" address'],
    ['::', 'the unspecified address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address'],
    ['::ffff:8.8.8.8', 'an IPv4-mapped address'],
    ['64:ff9b::7f00:1', 'a NAT64 address'],
    ['fd12:3456::1', 'a private (unique local) address'],
    ['fe80::1', 'a link-local address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
  ])('%s is %s', (address, what) => {
    expect(String(addressRefusal(address))).toBe(`${address} is ${what}`);
  });
  test.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700:4700::1111', '100.128.0.1'])('%s is public', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });
  test('the allow-list names hosts, compared without case, brackets or a trailing dot', () => {
    expect(hostAllowed('LocalHost.', ['localhost'])).toBe(true);
    expect(hostAllowed('[::1]', ['::1'])).toBe(true);
    expect(hostAllowed('127.0.0.1', [])).toBe(false);
  });
});

describe('which URL an endpoint may have', () => {
  const open = { allowedHosts: [], requireHttps: false };
  test('http(s) URLs at public addresses or host names', () => {
    expect(endpointUrlProblem('https://erp.example.org/hooks', open)).toBeNull();
    expect(endpointUrlProblem('http://93.184.216.34:8080/hooks', open)).toBeNull();
    // Names are checked when delivering (what they resolve to can change).
    expect(endpointUrlProblem('http://localhost/hooks', open)).toBeNull();
  });
  test('not another scheme, nor a relative URL', () => {
    expect(String(endpointUrlProblem('ftp://example.org/x', open))).toMatch(/absolute http\(s\) URL/);
    expect(String(endpointUrlProblem('/hooks', open))).toMatch(/absolute http\(s\) URL/);
  });
  test('https only where required (production)', () => {
    expect(String(endpointUrlProblem('http://erp.example.org/hooks', { allowedHosts: [], requireHttps: true }))).toMatch(/must be an https URL/);
    expect(endpointUrlProblem('https://erp.example.org/hooks', { allowedHosts: [], requireHttps: true })).toBeNull();
  });
  test('no credentials in the URL', () => {
    expect(String(endpointUrlProblem('https://u:p@example.org/', open))).toMatch(/user name or password/);
  });
  test('a literal private address only when its host is on the allow-list', () => {
    expect(String(endpointUrlProblem('http://127.0.0.1:9000/x', open))).toBe(
      'must not point at a private or loopback address: 127.0.0.1 is a loopback address; deliveries go to public addresses only',
    );
    expect(String(endpointUrlProblem('http://[::ffff:7f00:1]/x', open))).toMatch(/IPv4-mapped/);
    expect(endpointUrlProblem('http://127.0.0.1:9000/x', { allowedHosts: ['127.0.0.1'], requireHttps: false })).toBeNull();
  });
});

describe('a relayed license event', () => {
  const good = {
    id: '6f1c1a8e-2b0a-4c1e-9a55-0d7b8f3e2a10',
    type: 'license.registered',
    licenseKey: 'L-1',
    providerIds: ['alpha'],
    payload: {},
    occurredAt: '2026-12-03T10:00:00Z',
  };
  test('is taken whole', () => expect(relayedEventProblem(good)).toBeNull());
  test.each([
    [{ id: 'x' }, 'id must be a UUID'],
    [{ type: 'offer.withdrawn' }, 'type must be one of'],
    [{ licenseKey: '' }, 'licenseKey must be a license key'],
    [{ providerIds: 'alpha' }, 'providerIds must be a list of provider ids'],
    [{ payload: [] }, 'payload must be a JSON object'],
    [{ occurredAt: 'yesterday' }, 'occurredAt must be an ISO 8601 instant'],
  ])('%j is refused', (change, reason) => {
    expect(relayedEventProblem({ ...good, ...(change as object) })).toMatch(reason);
  });
});
