/**
 * Ready-made tokens for the demo directory, shown by `npm start` outside production: an admin, the
 * distributor and the holder of the first license sold through a distributor, and the support
 * partner of the first license that has one, each with a request that shows what that role sees.
 * Read from the licenses database, so they match whatever directory was loaded.
 *
 * They are working credentials for 12 hours (an admin's among them), so `npm start` prints them only
 * to a terminal; when its output goes to a file or a log collector they are written to a file only
 * the user can read (DEMO_TOKENS_FILE under DATA_DIR) and the output says where. A generated
 * JWT_SECRET is never shown in full: with it anyone could sign any identity.
 *
 * Beside them, the access codes of the demo licenses, as a practice signs in with them
 * (demoAccessCodes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { verifyAccessCode } from '../lib/access-codes';
import type { SubgraphORM } from '../lib/orm';
import { LicenseAccessCode } from '../subgraphs/licenses/access-code/access-code.entity';
import { License } from '../subgraphs/licenses/license/license.entity';
import { signIdentityToken } from '../gateway/identity/identity';
import { demoPassword, type DevPerson } from './dev-identity-provider';

export interface DemoToken {
  /** Who this is, for people: "admin", "distributor nordkiefer-demo", … */
  label: string;
  claims: { sub: string; role: string } & Record<string, unknown>;
  token: string;
  /** A query showing what this caller may see. */
  query: string;
}

const contactQuery = (key: string) =>
  `{ supportContact(licenseKey: "${key}", topic: "server-installation") { contacts { name email } billedBy { name } explanation } }`;

/**
 * The demo's partners: the first license sold through a distributor (its vendor is the demo
 * distributor) and the first with a designated support partner (the demo support partner). The
 * demo tokens and the development identity provider's people act for the same two.
 */
async function demoLicenses(licenses: SubgraphORM) {
  const em = licenses.em.fork();
  const sold = await em.findOne(License, { vendorId: { $ne: null } }, { orderBy: { key: 'asc' } });
  const supported = await em.findOne(License, { supportPartnerId: { $ne: null } }, { orderBy: { key: 'asc' } });
  return { sold, supported };
}

export async function demoTokens(licenses: SubgraphORM, secret: string, expiresIn = '12h'): Promise<DemoToken[]> {
  const { sold, supported } = await demoLicenses(licenses);
  const wanted: Omit<DemoToken, 'token'>[] = [
    {
      label: 'admin',
      claims: { sub: 'demo-admin', role: 'admin' },
      query: '{ licenses(first: 3) { totalCount edges { node { key holder { name } vendor { name } } } } }',
    },
  ];
  if (sold) {
    wanted.push({
      label: `distributor ${sold.vendorId}`,
      claims: { sub: `demo-${sold.vendorId}`, role: 'provider', provider: sold.vendorId },
      query: '{ licenses { totalCount edges { node { key holder { name } } } } }',
    });
    wanted.push({
      label: `holder of ${sold.key}`,
      claims: { sub: `demo-holder-${sold.key}`, role: 'holder', licenses: [sold.key] },
      query: contactQuery(sold.key),
    });
  }
  if (supported) {
    wanted.push({
      label: `support partner ${supported.supportPartnerId}`,
      claims: { sub: `demo-${supported.supportPartnerId}`, role: 'provider', provider: supported.supportPartnerId },
      query: contactQuery(supported.key),
    });
  }
  return Promise.all(wanted.map(async (demo) => ({ ...demo, token: await signIdentityToken(secret, demo.claims, expiresIn) })));
}

/**
 * The people of the development identity provider (app/dev-identity-provider.ts): an admin, and a
 * staff member of each demo partner, with passwords made for this run.
 */
export async function demoPeople(licenses: SubgraphORM): Promise<DevPerson[]> {
  const { sold, supported } = await demoLicenses(licenses);
  const people: DevPerson[] = [
    { label: 'admin', username: 'admin', password: demoPassword(), claims: { sub: 'demo-person-admin', name: 'Ada Admin', role: 'admin' } },
  ];
  const staff = (provider: string, name: string, what: string): DevPerson => ({
    label: `${what} ${provider}`,
    username: `staff@${provider}`,
    password: demoPassword(),
    claims: { sub: `demo-person-${provider}`, name, role: 'provider', provider },
  });
  if (sold?.vendorId) people.push(staff(sold.vendorId, 'Dana Distributor', 'staff of the distributor'));
  if (supported?.supportPartnerId && supported.supportPartnerId !== sold?.vendorId)
    people.push(staff(supported.supportPartnerId, 'Sam Support', 'staff of the support partner'));
  return people;
}

/** The people as shown to a person, beside the demo tokens. */
export function demoPeopleText(people: DevPerson[], options: { issuer: string; pagesOrigin: string }): string {
  return [
    `Development identity provider at ${options.issuer} (DEV_IDENTITY_PROVIDER=on): sign in at ${options.pagesOrigin}/partner or ${options.pagesOrigin}/admin with`,
    ...people.map((p) => `  ${p.label}: username ${p.username}  password ${p.password}  (${p.claims.name})`),
  ].join('\n');
}

export interface DemoAccessCode {
  licenseKey: string;
  accessCode: string;
}

/**
 * The access codes the demo directory file gives its licenses, those that still sign in: each is
 * checked against the code in force in the licenses database (an admin or distributor may have
 * issued a new one since, or another directory may have been loaded).
 */
export async function demoAccessCodes(licenses: SubgraphORM, directory: { licenses?: { key?: unknown; accessCode?: unknown }[] }): Promise<DemoAccessCode[]> {
  const em = licenses.em.fork();
  const working: DemoAccessCode[] = [];
  for (const { key, accessCode } of directory.licenses ?? []) {
    if (typeof key !== 'string' || typeof accessCode !== 'string') continue;
    const current = await em.findOne(LicenseAccessCode, { licenseKey: key, revokedAt: null });
    if (current && (await verifyAccessCode(accessCode, current.hash))) working.push({ licenseKey: key, accessCode });
  }
  return working;
}

/** Where `npm start` writes the tokens when its output is not a terminal: in DATA_DIR, mode 0600. */
export const DEMO_TOKENS_FILE = 'demo-tokens.txt';

/** A secret as it may be shown: its first characters, enough to tell two apart, not to use one. */
export const shortSecret = (secret: string) => `${secret.slice(0, 6)}… (${secret.length} characters, not shown in full)`;

/** The tokens with a ready curl command each, as shown to a person. */
export function demoTokensText(tokens: DemoToken[], options: { gatewayUrl: string; secret: string; generated: boolean }): string {
  const signedWith = options.generated ? `a JWT_SECRET generated for this run, ${shortSecret(options.secret)}` : 'JWT_SECRET';
  const lines = [`Tokens (valid 12 h, signed with ${signedWith}); send one as "Authorization: Bearer <token>":`];
  for (const demo of tokens) {
    lines.push(
      '',
      `${demo.label} ${JSON.stringify(demo.claims)}`,
      `curl -s ${options.gatewayUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${demo.token}' \\`,
      `  -d '${JSON.stringify({ query: demo.query })}'`,
    );
  }
  return lines.join('\n');
}

/**
 * The tokens for a person: the whole text when `toTerminal`; otherwise written to DEMO_TOKENS_FILE
 * in `dataDir`, readable by this user only, and a line saying where they are.
 */
export function showDemoTokens(text: string, options: { toTerminal: boolean; dataDir: string }): string {
  if (options.toTerminal) return text;
  const file = path.join(options.dataDir, DEMO_TOKENS_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  // Removed first: a file left by an earlier run may have had other permissions (mode applies on creation only).
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  return `Tokens for the demo roles (valid 12 h) are not printed: this output is not a terminal. They are in ${file} (readable by this user only).`;
}
