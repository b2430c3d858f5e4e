/**
 * What belongs to this product rather than to a GraphQL gateway: the directory change feed (and the
 * response cache keyed by its version), API keys, the support finder page and its GraphiQL
 * headline query, the demo tokens of `npm start`. They all need the providers subgraph; a gateway
 * serving any other supergraph (SUPERGRAPH_FILE) switches them off, one log line each, and keeps
 * everything else (limits, masking, signing, timeouts, metrics, the response cache).
 */
import type { DirectoryVersionSource } from './shared-state/response-cache';

export const PRODUCT_PARTS = ['directory change feed', 'API keys (X-API-Key)', 'support finder page', 'assistant tools (MCP at /mcp)'] as const;

/** Whether the supergraph is this product's: it has the providers subgraph (join__Graph). */
export const servesSupportDirectory = (endpoints: Record<string, string>) => endpoints.providers !== undefined;

/** The version source of a supergraph without a directory: one version, which never moves. */
export const NO_DIRECTORY: DirectoryVersionSource = { current: () => 0, subscribe: () => () => undefined };
