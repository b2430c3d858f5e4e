/**
 * GraphiQL at GET /graphql for a browser (Accept: text/html), with every asset inside the page
 * itself (@graphql-yoga/render-graphiql bundles GraphiQL's JS, CSS and editor workers), so it works
 * without internet access; Yoga's default GraphiQL would load them from a CDN. The headline query
 * and its variables are prefilled. On unless GRAPHIQL=off; off by default when NODE_ENV=production.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { withGraphiqlPolicy } from './content-security-policy';
import type { SettingValues } from '../../lib/settings';

export const HEADLINE_QUERY = `# Whom does a practice contact for a support topic under its license, and who bills it?
query SupportContact($licenseKey: ID!, $topic: ID!) {
  supportContact(licenseKey: $licenseKey, topic: $topic) {
    topic { id name level }
    contacts { name email phone businessHours timeZone }
    escalation { name }
    billedBy { name }
    explanation
  }
}
`;

export const HEADLINE_VARIABLES = { licenseKey: 'OC3-DEMO-0001', topic: 'server-installation' };

/** GRAPHIQL=on|off; unset: on, except when NODE_ENV=production. */
export function graphiqlEnabled(settings: Pick<SettingValues, 'GRAPHIQL' | 'NODE_ENV'>): boolean {
  return settings.GRAPHIQL ?? settings.NODE_ENV !== 'production';
}

/**
 * The runtime's graphiql/renderGraphiQL options: the bundled GraphiQL, or none; `headline`: prefilled
 * with the headline query (this product's supergraph only). `plugin` sends the page's
 * Content-Security-Policy (content-security-policy.ts).
 */
export function graphiqlOptions(enabled: boolean, { headline = true } = {}) {
  if (!enabled) return { options: { graphiql: false as const }, plugin: undefined };
  const policed = withGraphiqlPolicy(renderGraphiQL);
  if (!headline) return { options: { graphiql: { title: 'GraphQL gateway' }, renderGraphiQL: policed.render }, plugin: policed.plugin };
  const variables = JSON.stringify(HEADLINE_VARIABLES, null, 2);
  const options = {
    graphiql: {
      title: 'OnyxCeph³ support directory',
      defaultTabs: [{ query: HEADLINE_QUERY, variables }],
      // The variables editor is filled from this (Yoga's GraphiQL passes it on as initialVariables;
      // the tab's own variables are not shown), though Yoga's GraphiQLOptions type omits it.
      variables,
    },
    renderGraphiQL: policed.render,
  };
  return { options, plugin: policed.plugin };
}

/** A browser asking for a page, not a GraphQL answer: what GraphiQL answers (Yoga's own test). */
export const wantsPage = (method: string | undefined, accept: string | undefined) => method === 'GET' && !!accept?.includes('text/html');
