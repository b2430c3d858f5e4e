/**
 * What the licenses subgraph and the providers subgraph agree on for license lifecycle changes
 * (registerLicense, transferLicense, …). The licenses subgraph owns licenses but not providers, the
 * audit trail or the directory change marker; those live in the providers database, which it cannot
 * read (each subgraph has its own database, possibly on another server). So the providers subgraph
 * serves two internal routes, signed like /graphql when SUBGRAPH_SECRET is set (the same channel as
 * the gateway's /api-key-identity), the caller's identity travelling in the signed identity header:
 *
 * - GET PROVIDER_REFERENCES_PATH?ids=a,b: the facts of those providers that exist (role and
 *   activity checks: a registration's vendor must be a distributor) and the manufacturer's id;
 * - POST LICENSE_CHANGES_PATH: records each change in the audit trail (who from the identity header,
 *   what, before and after) and bumps the directory version, in one providers transaction, so
 *   the response cache and the replicas see the change at once, as for a partner's own change.
 *
 * A hand-written pair of routes, not a GraphQL mutation: they are not part of the public API, and
 * the gateway must never plan them.
 */
import type { ProviderRole } from './domain';

export const PROVIDER_REFERENCES_PATH = '/provider-references';
export const LICENSE_CHANGES_PATH = '/license-changes';

/** What the licenses subgraph may know of a provider it references. */
export interface ProviderReferenceFacts {
  id: string;
  roles: ProviderRole[];
  active: boolean;
  country: string;
}

export interface ProviderReferencesAnswer {
  /** Those of the asked ids that name a provider. */
  providers: ProviderReferenceFacts[];
  /** The manufacturer, whose trail holds the changes to licenses bought directly. */
  manufacturerId: string | null;
}

/** One change to one license, as the audit trail keeps it. */
export interface LicenseChange {
  /** The mutation: registerLicense, transferLicense, suspendLicense, … */
  action: string;
  licenseKey: string;
  /** The providers whose trail the entry goes into (vendor, support partner, a former vendor); none: the manufacturer's. */
  providerIds: string[];
  before: object | null;
  after: object | null;
}

export interface LicenseChangesRequest {
  changes: LicenseChange[];
}

export interface LicenseChangesAnswer {
  /** The directory version after the change. */
  version: number;
}
