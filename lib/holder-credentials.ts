/**
 * Which access code of a license is in force, as the licenses subgraph (which holds the codes)
 * tells the gateway on HOLDER_CREDENTIAL_PATH, signed like /graphql when there is a subgraph
 * secret: `?license=<key>` answers `{"licenseKey", "accessCodeId"}`, the id of the code in force or
 * null when the license has none (never issued, or revoked by a transfer) or does not exist.
 *
 * A holder token minted at sign-in names the code it was signed in with (`codeId`); it is good only
 * while that code is the license's code in force. Reissuing the code, or transferring the license
 * (which revokes its codes), therefore ends every token signed in before (gateway/identity/holder-standing.ts).
 */
export const HOLDER_CREDENTIAL_PATH = '/holder-credential';

export interface HolderCredentialAnswer {
  licenseKey: string;
  accessCodeId: string | null;
}
