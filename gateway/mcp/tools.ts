/**
 * The assistants' tools: curated questions, each one trusted document (gateway/mcp/operations.ts)
 * with a description a model can act on, and the kinds of caller it is offered to. Who may call a
 * tool is the API's matrix seen from the tool list (docs/rules.md "Who may see and change what"):
 * a tool about licenses is offered to the callers who can see some, the network figures to admins.
 * The API still checks every call as it checks /graphql; the list only spares an assistant tools
 * that could never answer its caller. No tool changes anything.
 */
import type { Identity } from '../../lib/identity';
import * as operations from './operations';

export type CallerKind = Identity['role'];

export interface AssistantTool {
  name: string;
  title: string;
  /** What the tool answers and when to use it, for a model choosing among the tools. */
  description: string;
  /** The trusted document it runs. */
  document: string;
  /** Who finds it in `tools/list`. */
  offeredTo: readonly CallerKind[];
  /** Variables the caller's own identity supplies, each by its name (they are not part of the input). */
  fromCaller?: Record<string, (caller: Identity) => unknown>;
  /** Better words for an input than the argument's own description in the schema. */
  inputDescriptions?: Record<string, string>;
  /** An answer that names nothing (a null license) as the error the API gives for what does not exist. */
  nothingFound?: (data: Record<string, unknown>, variables: Record<string, unknown>) => string | undefined;
}

const EVERYONE: readonly CallerKind[] = ['anonymous', 'holder', 'provider', 'admin'];
const LICENSE_READERS: readonly CallerKind[] = ['holder', 'provider', 'admin'];

const COUNTRY = 'ISO 3166-1 alpha-2 country code in capitals, e.g. "AT" for Austria, "DE" for Germany.';
const LICENSE_KEY = 'The license number printed on the license papers, e.g. "OC3-DEMO-0001".';

export const ASSISTANT_TOOLS: readonly AssistantTool[] = [
  {
    name: 'list_support_topics',
    title: 'Support topics',
    description:
      'Lists every OnyxCeph³ support topic with its id, name, support category (software maintenance, technical support, user support) and ' +
      'level (LEVEL_0: the distributor, LEVEL_1: the manufacturer). Use it first to turn what a practice describes ("our server does not ' +
      'start", "we need a training") into the topic id the other tools take.',
    document: operations.MCP_SUPPORT_TOPICS,
    offeredTo: EVERYONE,
  },
  {
    name: 'find_support_partners',
    title: 'Support partners in a country',
    description:
      'The active support partners serving a country, each with contact channels, languages, business hours (openNow, nextOpening) and ' +
      'current offers with net prices (plus VAT; each partner sets its own). Support partners give user support and training, which the ' +
      'manufacturer does not. Give `service` to list only offers for TRAINING, USER_SUPPORT or TECHNICAL_SUPPORT.',
    document: operations.MCP_SUPPORT_PARTNERS,
    offeredTo: EVERYONE,
    inputDescriptions: {
      country: `The practice's country: ${COUNTRY}`,
      service: 'Only offers for this service: TRAINING, USER_SUPPORT or TECHNICAL_SUPPORT; omit it for every current offer.',
    },
  },
  {
    name: 'compare_support_prices',
    title: 'Price figures for a service',
    description:
      'Count, minimum, median and maximum of the current net prices for a service (TRAINING, USER_SUPPORT, TECHNICAL_SUPPORT) across the ' +
      'network, per country, currency and unit (per hour, per day, per participant, one-time, annual). Prices in different currencies or ' +
      'units are never compared or converted. Use it to tell whether an offer is usual.',
    document: operations.MCP_SUPPORT_PRICES,
    offeredTo: EVERYONE,
  },
  {
    name: 'find_support_contact',
    title: 'Whom to contact',
    description:
      'The headline question: for a support topic under a license, whom the practice contacts (best first, with phone, email and whether ' +
      'they are open now), whom to turn to when they cannot solve it (escalation), who bills the service, and a one-line explanation why. ' +
      'Take the topic id from list_support_topics. A license the caller may not see answers NOT_FOUND, like one that does not exist.',
    document: operations.MCP_SUPPORT_CONTACT,
    offeredTo: LICENSE_READERS,
    inputDescriptions: { licenseKey: LICENSE_KEY, topic: 'The support topic id from list_support_topics, e.g. "server-installation" or "training".' },
  },
  {
    name: 'maintenance_quote',
    title: 'Maintenance fees',
    description:
      'The obligatory software maintenance fee of license packages for a calendar year: one line per license (EUR 99.00 net per package and ' +
      'year, VAT by the billing party and the holder, reverse charge flagged, who bills it) and gross totals per currency. Every key must be ' +
      'a license the caller may see; any other is NOT_FOUND naming it.',
    document: operations.MCP_MAINTENANCE_QUOTE,
    offeredTo: LICENSE_READERS,
    inputDescriptions: { licenseKeys: `The license numbers to quote (each once), e.g. ["OC3-DEMO-0001"].`, year: 'The calendar year, e.g. 2026.' },
  },
  {
    name: 'get_license',
    title: 'A license',
    description:
      'One license package: its package name, type, program version, status (ACTIVE, SUSPENDED, EXPIRED), holder, the distributor it was ' +
      'bought through (vendor; none: bought directly from the manufacturer), its designated support partner and the date maintenance is paid through.',
    document: operations.MCP_LICENSE,
    offeredTo: LICENSE_READERS,
    inputDescriptions: { licenseKey: LICENSE_KEY },
    nothingFound: (data, variables) => (data.license === null ? `NOT_FOUND: there is no license "${String(variables.licenseKey)}".` : undefined),
  },
  {
    name: 'list_licenses',
    title: 'Licenses',
    description:
      'The licenses the caller may see (a practice: its own; a distributor or support partner: the ones it sold or is designated for; an ' +
      'admin: all), in key order, 50 at a time: pass pageInfo.endCursor as `after` for the next page. Narrow by a search text (key or holder ' +
      'name), status or holder country.',
    document: operations.MCP_LICENSES,
    offeredTo: LICENSE_READERS,
    inputDescriptions: { country: `Only licenses whose holder is in this country: ${COUNTRY}` },
  },
  {
    name: 'my_routing_standing',
    title: 'How practices find me',
    description:
      'For the partner calling: in each country it serves and for each topic it can be routed for, its place among the contacts practices ' +
      'are given (position of total, with the explanation), both for practices with nobody designated (openRanking) and for the holders ' +
      'of its own licenses (ownHolders). Use it to explain a partner its standing and what moves it (languages, prices, service countries).',
    document: operations.MCP_ROUTING_STANDING,
    offeredTo: ['provider'],
    fromCaller: { providerId: (caller) => (caller.role === 'provider' ? caller.provider : undefined) },
    inputDescriptions: { holderLanguage: 'The practices\' language (ISO 639-1, e.g. "de"); default: the partner\'s first language.' },
  },
  {
    name: 'provider_routing_standing',
    title: "A provider's routing standing",
    description:
      "Admin: a distributor's or support partner's place among the contacts practices are given, per service country and routed topic " +
      '(openRanking: practices with nobody designated; ownHolders: holders of its own licenses).',
    document: operations.MCP_ROUTING_STANDING,
    offeredTo: ['admin'],
    inputDescriptions: { providerId: 'The provider id (slug), e.g. "alpine-dental-support".' },
  },
  {
    name: 'license_figures',
    title: 'License figures',
    description:
      'License counts over the licenses the caller may see (an admin: the whole network; a partner: its own), grouped by any of VENDOR, ' +
      'COUNTRY, STATUS and MAINTENANCE_PAID (maintenance paid through today); an empty groupBy gives the total.',
    document: operations.MCP_LICENSE_FIGURES,
    offeredTo: ['provider', 'admin'],
    inputDescriptions: { groupBy: 'Dimensions to group by, any of VENDOR, COUNTRY, STATUS, MAINTENANCE_PAID; [] for the total.' },
  },
  {
    name: 'routing_load',
    title: 'Routing load',
    description:
      'Admin: for each support category, how many licenses in force each provider is the first contact for (the network load routing ' +
      'puts on each distributor, support partner and the manufacturer), most first.',
    document: operations.MCP_ROUTING_LOAD,
    offeredTo: ['admin'],
    inputDescriptions: { category: 'One category (SOFTWARE_MAINTENANCE, TECHNICAL_SUPPORT, USER_SUPPORT); omit it for all three.' },
  },
];

/** The tools `caller` finds in `tools/list`. */
export const toolsFor = (caller: Identity) => ASSISTANT_TOOLS.filter((tool) => tool.offeredTo.includes(caller.role));
