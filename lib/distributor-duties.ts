/**
 * What a vendor may do and owes, by whether it is still an active distributor (docs/rules.md):
 * one rule for the three places that apply it, so that they cannot drift apart: whom routing rule 3
 * names as billing maintenance and whom the maintenance fee's VAT is reckoned for (support
 * subgraph), and who may record a maintenance payment or register licenses (licenses subgraph).
 */
import { ProviderRole } from './domain';

/** A provider as these rules see it. */
export interface DistributorStanding {
  active: boolean;
  roles: readonly ProviderRole[];
}

/** A vendor keeps its Level 0 and billing duties, and may register licenses, only while it is an active distributor. */
export const isActiveDistributor = (provider: DistributorStanding | null | undefined): boolean =>
  !!provider && provider.active && provider.roles.includes(ProviderRole.DISTRIBUTOR);

/**
 * The reseller that bills a license's software maintenance: its vendor while that is an active
 * distributor; otherwise none, and the manufacturer bills it.
 */
export const maintenanceReseller = <P extends DistributorStanding>(vendor: P | null | undefined): P | null =>
  vendor && isActiveDistributor(vendor) ? vendor : null;
