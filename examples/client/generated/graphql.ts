/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** The level of a technical support topic. */
export type SupportLevel =
  /** First contact: the vendor (distributor/reseller) of the license. */
  | 'LEVEL_0'
  /** Further technical support: the manufacturer. */
  | 'LEVEL_1';

export type SupportContactQueryVariables = Exact<{
  licenseKey: string;
  topic: string;
}>;


export type SupportContactQuery = { supportContact: { explanation: string, topic: { id: string, name: string, level: SupportLevel | null }, contacts: Array<{ name: string, email: string | null, phone: string | null, businessHours: string | null, timeZone: string | null }>, escalation: Array<{ name: string }>, billedBy: { name: string } | null } };
