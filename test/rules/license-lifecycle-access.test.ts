/**
 * Who may change a license (docs/rules.md, "Who may see and change what"), rule by rule, and the
 * one-manufacturer rule of a change of roles. Pure functions; the gateway tests are in
 * test/e2e/license-lifecycle.test.ts.
 */
import { ProviderRole } from '../../lib/domain';
import type { Identity } from '../../lib/identity';
import {
  registeringVendor,
  requireActiveDistributor,
  requireAdminFor,
  requireBillingParty,
  requireMayTransfer,
} from '../../subgraphs/licenses/license/license-lifecycle-access';
import { manufacturerProblem } from '../../subgraphs/providers/provider/provider-admin.mutations';
import { message } from '../../lib/i18n/message';

const anonymous: Identity = { role: 'anonymous' };
const admin: Identity = { role: 'admin', sub: 'a' };
const as = (provider: string): Identity => ({ role: 'provider', sub: 'u', provider });
const holder: Identity = { role: 'holder', sub: 'h', licenses: ['K'] };
const license = { key: 'K', vendorId: 'reseller' };
const facts = (id: string, roles: ProviderRole[], active = true) => ({ id, roles, active, country: 'AT' });
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'allowed';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

test('register: the admin names any vendor, a provider registers as itself, holders and anonymous callers cannot', () => {
  expect(registeringVendor(admin)).toBeNull();
  expect(registeringVendor(as('reseller'))).toBe('reseller');
  expect(codeOf(() => registeringVendor(holder))).toBe('FORBIDDEN');
  expect(codeOf(() => registeringVendor(anonymous))).toBe('UNAUTHENTICATED');
});

test('register: only an active distributor registers for its customers', () => {
  expect(codeOf(() => requireActiveDistributor(facts('r', [ProviderRole.DISTRIBUTOR]), 'r'))).toBe('allowed');
  expect(codeOf(() => requireActiveDistributor(facts('r', [ProviderRole.DISTRIBUTOR], false), 'r'))).toBe('FORBIDDEN');
  expect(codeOf(() => requireActiveDistributor(facts('p', [ProviderRole.SUPPORT_PARTNER]), 'p'))).toBe('FORBIDDEN');
  expect(codeOf(() => requireActiveDistributor(undefined, 'gone'))).toBe('FORBIDDEN');
});

test('transfer: the vendor or the admin', () => {
  expect(codeOf(() => requireMayTransfer(admin, license))).toBe('allowed');
  expect(codeOf(() => requireMayTransfer(as('reseller'), license))).toBe('allowed');
  expect(codeOf(() => requireMayTransfer(as('partner'), license))).toBe('FORBIDDEN');
  expect(codeOf(() => requireMayTransfer(holder, license))).toBe('FORBIDDEN');
  expect(codeOf(() => requireMayTransfer(anonymous, license))).toBe('UNAUTHENTICATED');
});

test('suspend, reinstate, change vendor: the admin only', () => {
  expect(codeOf(() => requireAdminFor(admin, message('action.suspendLicense')))).toBe('allowed');
  expect(codeOf(() => requireAdminFor(as('reseller'), message('action.suspendLicense')))).toBe('FORBIDDEN');
  expect(codeOf(() => requireAdminFor(anonymous, message('action.suspendLicense')))).toBe('UNAUTHENTICATED');
});

test('maintenance payment: the reseller while it is an active distributor, else the admin', () => {
  expect(codeOf(() => requireBillingParty(as('reseller'), license, facts('reseller', [ProviderRole.DISTRIBUTOR])))).toBe('allowed');
  expect(codeOf(() => requireBillingParty(as('reseller'), license, facts('reseller', [ProviderRole.DISTRIBUTOR], false)))).toBe('FORBIDDEN');
  expect(codeOf(() => requireBillingParty(as('partner'), license, facts('reseller', [ProviderRole.DISTRIBUTOR])))).toBe('FORBIDDEN');
  expect(codeOf(() => requireBillingParty(admin, license, undefined))).toBe('allowed');
  expect(codeOf(() => requireBillingParty(holder, license, undefined))).toBe('FORBIDDEN');
});

test('roles: exactly one manufacturer', () => {
  expect(manufacturerProblem('ii', [ProviderRole.MANUFACTURER], 'ii')).toBeNull();
  expect(String(manufacturerProblem('x', [ProviderRole.MANUFACTURER], 'ii'))).toContain('"ii" is the manufacturer');
  expect(String(manufacturerProblem('ii', [ProviderRole.DISTRIBUTOR], 'ii'))).toContain('keeps the role');
  expect(manufacturerProblem('x', [ProviderRole.DISTRIBUTOR], 'ii')).toBeNull();
});
