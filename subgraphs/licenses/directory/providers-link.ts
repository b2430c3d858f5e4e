/**
 * The licenses subgraph's calls to the providers subgraph's internal routes (lib/license-changes.ts
 * says why they exist): signed with SUBGRAPH_SECRET like the gateway's calls, the caller's identity
 * forwarded in the signed identity header. Hand-written over fetch because the signing scheme is
 * the project's own (lib/subgraph-signature.ts). A failure refuses the change (nothing is changed
 * without its audit entry), as DIRECTORY_UNAVAILABLE.
 */
import type { Identity } from '../../../lib/identity';
import {
  LICENSE_CHANGES_PATH,
  PROVIDER_REFERENCES_PATH,
  type LicenseChange,
  type LicenseChangesAnswer,
  type ProviderReferencesAnswer,
} from '../../../lib/license-changes';
import { logEvent } from '../../../lib/log';
import { IDENTITY_HEADER, identityHeaderValue, signSubgraphRequest } from '../../../lib/subgraph-signature';
import { localizedError } from '../../../lib/errors';
import { message } from '../../../lib/i18n/message';

const TIMEOUT_MS = 5_000;

/** `why` is for the operator (English): the caller reads that nothing was changed, in its language. */
const unavailable = (why: string) => localizedError(message('error.directoryUnreachable'), { code: 'DIRECTORY_UNAVAILABLE', reason: why });

export class ProvidersLink {
  constructor(
    private readonly providersUrl: string,
    private readonly secret?: string,
  ) {}

  private headers(method: string, url: URL, body: string, caller: Identity): Record<string, string> {
    const identity = caller.role === 'anonymous' ? '' : identityHeaderValue(caller);
    if (!this.secret) return identity ? { [IDENTITY_HEADER]: identity } : {};
    return signSubgraphRequest({ method, path: url.pathname + url.search, body, identity, secret: this.secret });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, caller: Identity, body = ''): Promise<T> {
    const url = new URL(path, this.providersUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...this.headers(method, url, body, caller), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      logEvent('error', 'providers_unreachable', { service: 'licenses', path, message: error instanceof Error ? error.message : String(error) });
      throw unavailable('unreachable');
    }
    if (!response.ok) {
      logEvent('error', 'providers_refused', { service: 'licenses', path, status: response.status, message: (await response.text()).slice(0, 500) });
      throw unavailable(`HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  /** The facts of the providers among `ids` that exist, and the manufacturer's id. */
  references(ids: readonly string[], caller: Identity): Promise<ProviderReferencesAnswer> {
    const query = ids.length ? `?ids=${encodeURIComponent([...new Set(ids)].join(','))}` : '';
    return this.call('GET', PROVIDER_REFERENCES_PATH + query, caller);
  }

  /** Audit entries for `changes` and a directory version bump, committed by the providers subgraph. */
  async recordChanges(changes: LicenseChange[], caller: Identity): Promise<number> {
    return (await this.call<LicenseChangesAnswer>('POST', LICENSE_CHANGES_PATH, caller, JSON.stringify({ changes }))).version;
  }
}
