/**
 * The assistants' questions: one trusted document per tool (gateway/mcp/tools.ts). Plain strings,
 * so that `npm run build` writes them into the trusted documents file beside the pages' own
 * (scripts/persisted-documents.ts): a gateway with PERSISTED_DOCUMENTS=only answers its tools too.
 * Each operation's variables are its tool's input; each answer's data is its tool's output.
 */

const CONTACT = `id name roles country languages email phone website businessHours timeZone openNow nextOpening`;
const MONEY = `amount currency`;
const LICENSE = `key packageName type programVersion status maintenancePaidThrough
    holder { name country language vatId }
    vendor { id name active }
    supportPartner { id name active }`;

export const MCP_SUPPORT_TOPICS = `query McpSupportTopics {
  supportTopics { id name level category { id name content providedBy obligatory } }
}`;

export const MCP_SUPPORT_PARTNERS = `query McpSupportPartners($country: String!, $service: ServiceKind) {
  providers(role: SUPPORT_PARTNER, country: $country, active: true) {
    ${CONTACT}
    offers(current: true, service: $service) { id service title description unit price { ${MONEY} } validUntil }
  }
}`;

export const MCP_SUPPORT_PRICES = `query McpSupportPrices($service: ServiceKind!) {
  priceStats(service: $service, groupBy: [COUNTRY, UNIT]) {
    country currency unit count min { ${MONEY} } median { ${MONEY} } max { ${MONEY} }
  }
}`;

export const MCP_SUPPORT_CONTACT = `query McpSupportContact($licenseKey: ID!, $topic: ID!) {
  supportContact(licenseKey: $licenseKey, topic: $topic) {
    topic { id name level category { id name } }
    contacts { ${CONTACT} }
    escalation { ${CONTACT} }
    billedBy { id name }
    explanation
  }
}`;

export const MCP_MAINTENANCE_QUOTE = `query McpMaintenanceQuote($licenseKeys: [ID!]!, $year: Int!) {
  maintenanceQuote(licenseKeys: $licenseKeys, year: $year) {
    year
    lines {
      licenseKey year net { ${MONEY} } vatRate vat { ${MONEY} } gross { ${MONEY} } reverseCharge
      billedBy { id name } supplierCountry customerCountry
    }
    totals { ${MONEY} }
  }
}`;

export const MCP_LICENSE = `query McpLicense($licenseKey: ID!) {
  license(key: $licenseKey) {
    ${LICENSE}
  }
}`;

export const MCP_LICENSES = `query McpLicenses($search: String, $status: LicenseStatus, $country: String, $first: Int, $after: String) {
  licenses(search: $search, status: $status, country: $country, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${LICENSE} } }
  }
}`;

export const MCP_ROUTING_STANDING = `query McpRoutingStanding($providerId: ID!, $holderLanguage: String) {
  routingStanding(providerId: $providerId) {
    provider { id name roles serviceCountries languages }
    places(holderLanguage: $holderLanguage) {
      country topic { id name } holderLanguage
      openRanking { position total explanation }
      ownHolders { position total explanation }
    }
  }
}`;

export const MCP_LICENSE_FIGURES = `query McpLicenseFigures($groupBy: [LicenseDimension!]!) {
  licenseStats(groupBy: $groupBy) { vendor { id name } country status maintenancePaid count }
}`;

export const MCP_ROUTING_LOAD = `query McpRoutingLoad($category: SupportCategoryId) {
  routingLoad(category: $category) { category buckets { category provider { id name } licenses } }
}`;
