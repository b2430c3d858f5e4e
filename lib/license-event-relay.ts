/**
 * The internal route between the two subgraphs of a webhook: the licenses subgraph POSTs the events
 * of its outbox to the providers subgraph, which queues their deliveries. Requests are signed like
 * the gateway's (lib/subgraph-signature.ts, SUBGRAPH_SECRET), so with the secret set nobody else can
 * inject an event that providers' endpoints would receive under their own signature. Neither
 * subgraph reads the other's database; this route and its JSON shape are all they share.
 */
import { signSubgraphRequest } from './subgraph-signature';

export const LICENSE_EVENTS_PATH = '/internal/license-events';

/** One license event as it travels: the licenses outbox row, with the instant as ISO text. */
export interface RelayedLicenseEvent {
  id: string;
  type: string;
  licenseKey: string;
  providerIds: string[];
  payload: Record<string, unknown>;
  occurredAt: string;
}

export interface RelayAnswer {
  /** Ids now recorded (new) or recorded before (a repeat): the sender marks them relayed. */
  recorded: string[];
  /** Ids refused for good, with the reason (never accepted on a retry either): also marked, and logged. */
  refused: Array<{ id: string; reason: string }>;
}

/** POSTs a batch to the providers subgraph (`graphqlUrl`: its /graphql URL); throws unless it answered 200 with a RelayAnswer. */
export async function postLicenseEvents(
  graphqlUrl: string,
  events: RelayedLicenseEvent[],
  options: { secret?: string; timeoutMs: number },
): Promise<RelayAnswer> {
  const url = new URL(LICENSE_EVENTS_PATH, graphqlUrl);
  const body = JSON.stringify({ events });
  const signature = options.secret ? signSubgraphRequest({ secret: options.secret, method: 'POST', path: url.pathname, body }) : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signature },
    body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const answer = (await response.json().catch(() => null)) as RelayAnswer | null;
  if (response.status !== 200 || !answer || !Array.isArray(answer.recorded) || !Array.isArray(answer.refused)) {
    throw new Error(`the providers subgraph answered HTTP ${response.status} to ${LICENSE_EVENTS_PATH}`);
  }
  return answer;
}
