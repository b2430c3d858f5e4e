/**
 * Whether a provider is active, as the providers subgraph (which holds the flag) tells the gateway
 * on PROVIDER_STANDING_PATH (signed like /graphql when there is a subgraph secret): `?id=<provider>`
 * answers `{"provider": {"id", "active"}}`, or `{"provider": null}` for an id not in the directory.
 * The gateway refuses the tokens and API keys of a deactivated provider (gateway/identity/provider-standing.ts).
 */
export const PROVIDER_STANDING_PATH = '/provider-standing';

export interface ProviderStandingAnswer {
  provider: { id: string; active: boolean } | null;
}
