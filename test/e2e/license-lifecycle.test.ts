/**
 * The license lifecycle and the admin's provider changes through the gateway, per role (docs/rules.md
 * "Who may see and change what"): each change is versioned, recorded in the audit trail, written
 * to the license_event outbox in the same transaction, and seen at once through the response cache.
 * Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import { DEMO_DIRECTORY } from '../../lib/config';
import { importDirectory } from '../../app/directory/import-directory';
import type { SubgraphEM } from '../../lib/orm';
import { LicenseEvent } from '../../subgraphs/licenses/events/license-event.entity';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8')) });
});
afterAll(() => stack?.close());

const provider = (id: string) => ({ sub: `${id}-user`, role: 'provider', provider: id });
const holder = (...licenses: string[]) => ({ sub: 'practice', role: 'holder', licenses });
const ADMIN = { sub: 'admin-1', role: 'admin' };
const LICENSE = 'key version status packageName holder { name country language vatId } vendor { id } supportPartner { id } maintenancePaidThrough';

const registration = (key: string, overrides: Record<string, unknown> = {}) => ({
  key,
  packageName: 'OnyxCeph³ 3D Pro',
  type: 'WORKSTATION',
  programVersion: '3.2',
  holder: { name: `Praxis ${key}`, country: 'JP', language: 'ja', vatId: null },
  ...overrides,
});

async function events(key: string) {
  const em = stack.orms.licenses.em.fork() as SubgraphEM;
  return em.find(LicenseEvent, { licenseKey: key }, { orderBy: { occurredAt: 'asc' } });
}

const code = (body: { errors?: { extensions?: { code?: string } }[] }) => body.errors?.[0]?.extensions?.code;

async function licenseVersion(key: string) {
  const { body } = await stack.graphql('query($key: ID!) { license(key: $key) { version } }', { key }, ADMIN);
  return body.data.license.version as number;
}

describe('registerLicense', () => {
  const REGISTER = `mutation($input: LicenseRegistrationInput!) { registerLicense(input: $input) { ${LICENSE} } }`;

  test('a distributor registers for its own customer (a practice in Japan): it becomes the vendor; audited, in the outbox, seen through the cache at once, with its fee', async () => {
    const before = await stack.graphql('{ licenses(first: 500) { totalCount } }', {}, provider('alpendent-demo'));
    const { body } = await stack.graphql(REGISTER, { input: registration('LC-JP-1') }, provider('alpendent-demo'));
    expect(body.errors).toBeUndefined();
    expect(body.data.registerLicense).toEqual({
      key: 'LC-JP-1',
      version: 1,
      status: 'ACTIVE',
      packageName: 'OnyxCeph³ 3D Pro',
      holder: { name: 'Praxis LC-JP-1', country: 'JP', language: 'ja', vatId: null },
      vendor: { id: 'alpendent-demo' },
      supportPartner: null,
      maintenancePaidThrough: null,
    });
    const after = await stack.graphql('{ licenses(first: 500) { totalCount } }', {}, provider('alpendent-demo'));
    expect(after.body.data.licenses.totalCount).toBe(before.body.data.licenses.totalCount + 1);
    const fee = await stack.graphql(
      '{ license(key: "LC-JP-1") { maintenanceFee(year: 2026) { vatRate gross { amount } billedBy { id } } } }',
      {},
      provider('alpendent-demo'),
    );
    expect(fee.body.data.license.maintenanceFee).toEqual({ vatRate: '0', gross: { amount: '99.00' }, billedBy: { id: 'alpendent-demo' } });
    const [event] = await events('LC-JP-1');
    expect(event).toMatchObject({ type: 'license.registered', vendorId: 'alpendent-demo', supportPartnerId: null, providerIds: ['alpendent-demo'] }); // relayedAt is the relay's (it runs every second)
    expect(event.payload).toMatchObject({ key: 'LC-JP-1', status: 'ACTIVE', vendorId: 'alpendent-demo', version: 1 });
    const trail = await stack.graphql(
      '{ auditTrail(first: 5) { edges { node { action subjectType subjectId actorRole actorProvider before after } } } }',
      {},
      provider('alpendent-demo'),
    );
    expect(trail.body.data.auditTrail.edges[0].node).toMatchObject({
      action: 'registerLicense',
      subjectType: 'license',
      subjectId: 'LC-JP-1',
      actorRole: 'provider',
      actorProvider: 'alpendent-demo',
      before: null,
    });
    expect(JSON.parse(trail.body.data.auditTrail.edges[0].node.after)).toMatchObject({ key: 'LC-JP-1', vendorId: 'alpendent-demo' });
  });

  test("the admin registers for anyone, or a license bought directly (the manufacturer's trail)", async () => {
    const { body } = await stack.graphql(
      REGISTER,
      { input: registration('LC-DIRECT-1', { holder: { name: 'Praxis', country: 'de', language: 'DE' }, maintenancePaidThrough: '2026-12-31' }) },
      ADMIN,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.registerLicense).toMatchObject({ vendor: null, holder: { country: 'DE', language: 'de' }, maintenancePaidThrough: '2026-12-31' });
    const trail = await stack.graphql('{ auditTrail(first: 1, providerId: "image-instruments") { edges { node { action subjectId actorRole } } } }', {}, ADMIN);
    expect(trail.body.data.auditTrail.edges[0].node).toEqual({ action: 'registerLicense', subjectId: 'LC-DIRECT-1', actorRole: 'admin' });
  });

  test('refusals: anonymous, a holder, a support partner, a distributor naming another vendor, bad values and references, a key already taken', async () => {
    expect(code((await stack.graphql(REGISTER, { input: registration('LC-X') }, null)).body)).toBe('UNAUTHENTICATED');
    expect(code((await stack.graphql(REGISTER, { input: registration('LC-X') }, holder('OC3-DEMO-0001'))).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(REGISTER, { input: registration('LC-X') }, provider('mundwerk-demo'))).body)).toBe('FORBIDDEN');
    // rheinbogen-demo is deactivated: its tokens are refused before any subgraph (test/e2e/deactivated-provider.test.ts).
    expect(code((await stack.graphql(REGISTER, { input: registration('LC-X') }, provider('rheinbogen-demo'))).body)).toBe('UNAUTHENTICATED');
    const other = await stack.graphql(REGISTER, { input: registration('LC-X', { vendorId: 'nordkiefer-demo' }) }, provider('alpendent-demo'));
    expect(other.body.errors[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', problems: [{ index: 0, field: 'vendorId', reason: expect.stringContaining('alpendent-demo') }] },
    });
    const bad = await stack.graphql(
      REGISTER,
      { input: registration('LC-X', { holder: { name: 'P', country: 'XX', language: 'en' }, supportPartnerId: 'nobody' }) },
      ADMIN,
    );
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].extensions.problems.map((p: { field: string }) => p.field).sort()).toEqual(['holder.country', 'supportPartnerId']);
    expect(bad.body.errors[0].message).toContain('input.holder.country');
    const taken = await stack.graphql(REGISTER, { input: registration('OC3-DEMO-0001') }, ADMIN);
    expect(taken.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', problems: [{ index: 0, field: 'key' }] } });
    expect(await events('LC-X')).toEqual([]);
  });
});

describe('registerLicenses', () => {
  const REGISTER_ALL = 'mutation($input: [LicenseRegistrationInput!]!) { registerLicenses(input: $input) { key vendor { id } } }';

  test('all at once, answered in order', async () => {
    const input = [registration('LC-BULK-2'), registration('LC-BULK-1')];
    const { body } = await stack.graphql(REGISTER_ALL, { input }, provider('helvedent-demo'));
    expect(body.errors).toBeUndefined();
    expect(body.data.registerLicenses).toEqual([
      { key: 'LC-BULK-2', vendor: { id: 'helvedent-demo' } },
      { key: 'LC-BULK-1', vendor: { id: 'helvedent-demo' } },
    ]);
  });

  test('all or nothing: every refused item named with its index and field; nothing registered', async () => {
    const input = [
      registration('LC-BULK-OK'),
      registration('LC-BULK-BAD', { holder: { name: '', country: 'JP', language: 'ja' } }),
      registration('LC-BULK-OK'),
      registration('LC-BULK-BAD2', { maintenancePaidThrough: '2026-13-01' }),
    ];
    const { body } = await stack.graphql(REGISTER_ALL, { input }, ADMIN);
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.problems.map((p: { index: number; field: string }) => [p.index, p.field])).toEqual([
      [1, 'holder.name'],
      [2, 'key'],
      [3, 'maintenancePaidThrough'],
    ]);
    expect(body.errors[0].message).toMatch(/^3 of 4 licenses refused, nothing registered: input\[1\]\.holder\.name/);
    const { body: check } = await stack.graphql('{ license(key: "LC-BULK-OK") { key } }', {}, ADMIN);
    expect(check.data.license).toBeNull();
  });

  test('more than 500 is refused whole', async () => {
    const input = Array.from({ length: 501 }, (_, i) => registration(`LC-MANY-${i}`));
    const { body } = await stack.graphql(REGISTER_ALL, { input }, ADMIN);
    expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('at most 500'), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('transferLicense', () => {
  const TRANSFER = `mutation($key: ID!, $version: Int!, $holder: LicenseHolderInput!) { transferLicense(key: $key, version: $version, holder: $holder) { ${LICENSE} } }`;
  const newHolder = { name: 'Zahnarztpraxis Neu', country: 'AT', language: 'de', vatId: 'ATU10000005' };

  test("the vendor moves the holder's data, the key stays; a stale version is CONFLICT and changes nothing", async () => {
    const version = await licenseVersion('OC3-DEMO-0004');
    const { body } = await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: newHolder }, provider('alpendent-demo'));
    expect(body.errors).toBeUndefined();
    expect(body.data.transferLicense).toMatchObject({ key: 'OC3-DEMO-0004', version: version + 1, holder: newHolder, vendor: { id: 'alpendent-demo' } });
    const stale = await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: { ...newHolder, name: 'Other' } }, provider('alpendent-demo'));
    expect(stale.body.errors[0]).toMatchObject({ message: expect.stringContaining(`version ${version + 1}`), extensions: { code: 'CONFLICT' } });
    expect((await events('OC3-DEMO-0004')).map((e) => [e.type, e.providerIds])).toEqual([['license.transferred', ['alpendent-demo', 'donau-demo']]]);
  });

  test('its support partner may see it but not transfer it; another provider gets NOT_FOUND as for a missing license; a bad country is refused', async () => {
    const version = await licenseVersion('OC3-DEMO-0004');
    expect(code((await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: newHolder }, provider('donau-demo'))).body)).toBe('FORBIDDEN');
    const hidden = await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: newHolder }, provider('nordkiefer-demo'));
    const missing = await stack.graphql(TRANSFER, { key: 'NO-SUCH-KEY', version, holder: newHolder }, provider('nordkiefer-demo'));
    expect(hidden.body.errors[0]).toMatchObject({ message: 'License "OC3-DEMO-0004" not found', extensions: { code: 'NOT_FOUND' } });
    expect(missing.body.errors[0]).toMatchObject({ message: 'License "NO-SUCH-KEY" not found', extensions: { code: 'NOT_FOUND' } });
    const bad = await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: { ...newHolder, country: 'ZZ' } }, ADMIN);
    expect(bad.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'holder.country' } });
    expect(await licenseVersion('OC3-DEMO-0004')).toBe(version);
  });

  test("a VAT id not in the format of the holder's country is refused naming the field and the expected form; nothing changes", async () => {
    const version = await licenseVersion('OC3-DEMO-0004');
    const bad = await stack.graphql(TRANSFER, { key: 'OC3-DEMO-0004', version, holder: { ...newHolder, vatId: 'ATU12345678' } }, provider('alpendent-demo'));
    expect(bad.body.errors[0]).toMatchObject({
      message:
        'holder refused: holder.vatId: vatId must be a VAT id of Austria: "ATU" and 8 digits, with a valid check digit, like "ATU10000005" (got "ATU12345678")',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'holder', field: 'holder.vatId' },
    });
    expect(await licenseVersion('OC3-DEMO-0004')).toBe(version);
    const registered = await stack.graphql(
      'mutation($input: LicenseRegistrationInput!) { registerLicense(input: $input) { key } }',
      { input: registration('LC-VAT-1', { holder: { name: 'Praxis', country: 'DE', language: 'de', vatId: 'ATU10000005' } }) },
      ADMIN,
    );
    expect(registered.body.errors[0]).toMatchObject({
      message: expect.stringContaining('input.holder.vatId: vatId must be a VAT id of Germany: "DE" and 9 digits'),
      extensions: { code: 'BAD_USER_INPUT', problems: [{ index: 0, field: 'holder.vatId' }] },
    });
  });
});

describe('suspendLicense, reinstateLicense, changeLicenseVendor: the admin only', () => {
  const SUSPEND = 'mutation($key: ID!, $version: Int!) { suspendLicense(key: $key, version: $version) { status version } }';
  const REINSTATE = 'mutation($key: ID!, $version: Int!) { reinstateLicense(key: $key, version: $version) { status version } }';

  test('suspend then reinstate; the vendor and the holder are FORBIDDEN; suspending twice is refused', async () => {
    const version = await licenseVersion('OC3-DEMO-0001');
    expect(code((await stack.graphql(SUSPEND, { key: 'OC3-DEMO-0001', version }, provider('nordkiefer-demo'))).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(SUSPEND, { key: 'OC3-DEMO-0001', version }, holder('OC3-DEMO-0001'))).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(SUSPEND, { key: 'OC3-DEMO-0001', version }, holder('OC3-DEMO-0002'))).body)).toBe('NOT_FOUND');
    const suspended = await stack.graphql(SUSPEND, { key: 'OC3-DEMO-0001', version }, ADMIN);
    expect(suspended.body.data.suspendLicense).toEqual({ status: 'SUSPENDED', version: version + 1 });
    // The vendor's next read is not answered from before the change (the directory version moved).
    const seen = await stack.graphql('{ license(key: "OC3-DEMO-0001") { status } }', {}, provider('nordkiefer-demo'));
    expect(seen.body.data.license.status).toBe('SUSPENDED');
    expect(code((await stack.graphql(SUSPEND, { key: 'OC3-DEMO-0001', version: version + 1 }, ADMIN)).body)).toBe('BAD_USER_INPUT');
    const reinstated = await stack.graphql(REINSTATE, { key: 'OC3-DEMO-0001', version: version + 1 }, ADMIN);
    expect(reinstated.body.data.reinstateLicense).toEqual({ status: 'ACTIVE', version: version + 2 });
    expect((await events('OC3-DEMO-0001')).map((e) => e.type)).toEqual(['license.suspended', 'license.reinstated']);
  });

  test('a change of vendor concerns the previous vendor too; the new one must be a distributor', async () => {
    const CHANGE =
      'mutation($key: ID!, $version: Int!, $vendorId: ID) { changeLicenseVendor(key: $key, version: $version, vendorId: $vendorId) { vendor { id } version } }';
    const version = await licenseVersion('OC3-DEMO-0007');
    expect(code((await stack.graphql(CHANGE, { key: 'OC3-DEMO-0007', version, vendorId: 'zahnrad-demo' }, provider('helvedent-demo'))).body)).toBe('FORBIDDEN');
    expect((await stack.graphql(CHANGE, { key: 'OC3-DEMO-0007', version, vendorId: 'mundwerk-demo' }, ADMIN)).body.errors[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'vendorId' },
    });
    const { body } = await stack.graphql(CHANGE, { key: 'OC3-DEMO-0007', version, vendorId: 'zahnrad-demo' }, ADMIN);
    expect(body.data.changeLicenseVendor).toEqual({ vendor: { id: 'zahnrad-demo' }, version: version + 1 });
    const [event] = await events('OC3-DEMO-0007');
    expect(event).toMatchObject({ type: 'license.vendor_changed', vendorId: 'zahnrad-demo', providerIds: ['zahnrad-demo', 'helvedent-demo'] });
    // The former vendor no longer sees it: to it, it is missing.
    expect((await stack.graphql('{ license(key: "OC3-DEMO-0007") { key } }', {}, provider('helvedent-demo'))).body.data.license).toBeNull();
  });
});

describe('recordMaintenancePayment: the billing party', () => {
  const PAY =
    'mutation($key: ID!, $version: Int!, $paidThrough: String!) { recordMaintenancePayment(key: $key, version: $version, paidThrough: $paidThrough) { maintenancePaidThrough version } }';

  test("the reseller for its licenses; the admin for the manufacturer's; nobody else", async () => {
    const v10 = await licenseVersion('OC3-DEMO-0010');
    const paid = await stack.graphql(PAY, { key: 'OC3-DEMO-0010', version: v10, paidThrough: '2027-12-31' }, provider('dolomiti-demo'));
    expect(paid.body.data.recordMaintenancePayment).toEqual({ maintenancePaidThrough: '2027-12-31', version: v10 + 1 });
    expect((await events('OC3-DEMO-0010')).map((e) => e.type)).toEqual(['maintenance.recorded']);
    // An inactive reseller no longer bills: the manufacturer does, through the admin.
    const v3 = await licenseVersion('OC3-DEMO-0003');
    expect(code((await stack.graphql(PAY, { key: 'OC3-DEMO-0003', version: v3, paidThrough: '2027-12-31' }, provider('rheinbogen-demo'))).body)).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await stack.graphql(PAY, { key: 'OC3-DEMO-0003', version: v3, paidThrough: '2027-12-31' }, ADMIN)).body.data.recordMaintenancePayment
        .maintenancePaidThrough,
    ).toBe('2027-12-31');
    const v2 = await licenseVersion('OC3-DEMO-0002');
    expect(code((await stack.graphql(PAY, { key: 'OC3-DEMO-0002', version: v2, paidThrough: '2028-12-31' }, holder('OC3-DEMO-0002'))).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(PAY, { key: 'OC3-DEMO-0002', version: v2, paidThrough: '2020-12-31' }, ADMIN)).body)).toBe('BAD_USER_INPUT');
    expect(code((await stack.graphql(PAY, { key: 'OC3-DEMO-0002', version: v2, paidThrough: 'soon' }, ADMIN)).body)).toBe('BAD_USER_INPUT');
  });
});

describe('createProvider and setProviderRoles: the admin only', () => {
  const CREATE = 'mutation($input: ProviderCreateInput!) { createProvider(input: $input) { id name roles active country version } }';
  const input = { id: 'fjord-demo', name: 'Fjord Dental AS', roles: ['DISTRIBUTOR'], country: 'no', serviceCountries: ['NO'], languages: ['nb', 'en'] };

  test('create, then register a license through it; refusals', async () => {
    expect(code((await stack.graphql(CREATE, { input }, provider('nordkiefer-demo'))).body)).toBe('FORBIDDEN');
    expect(code((await stack.graphql(CREATE, { input }, null)).body)).toBe('UNAUTHENTICATED');
    const { body } = await stack.graphql(CREATE, { input }, ADMIN);
    expect(body.data.createProvider).toEqual({ id: 'fjord-demo', name: 'Fjord Dental AS', roles: ['DISTRIBUTOR'], active: true, country: 'NO', version: 1 });
    expect(code((await stack.graphql(CREATE, { input }, ADMIN)).body)).toBe('CONFLICT');
    const second = await stack.graphql(CREATE, { input: { ...input, id: 'other-maker', roles: ['MANUFACTURER'] } }, ADMIN);
    expect(second.body.errors[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'roles', reason: expect.stringContaining('second MANUFACTURER') }] },
    });
    const reg = await stack.graphql(
      'mutation($input: LicenseRegistrationInput!) { registerLicense(input: $input) { vendor { id name } } }',
      { input: registration('LC-NO-1', { holder: { name: 'Tannlege', country: 'NO', language: 'nb' } }) },
      provider('fjord-demo'),
    );
    expect(reg.body.data.registerLicense.vendor).toEqual({ id: 'fjord-demo', name: 'Fjord Dental AS' });
  });

  test('roles change with the version; the manufacturer stays one', async () => {
    const ROLES =
      'mutation($id: ID!, $version: Int!, $roles: [ProviderRole!]!) { setProviderRoles(id: $id, version: $version, roles: $roles) { roles version } }';
    const { body: current } = await stack.graphql('{ provider(id: "zahnrad-demo") { version } }');
    const version = current.data.provider.version;
    expect(code((await stack.graphql(ROLES, { id: 'zahnrad-demo', version, roles: ['SUPPORT_PARTNER'] }, provider('zahnrad-demo'))).body)).toBe('FORBIDDEN');
    const { body } = await stack.graphql(ROLES, { id: 'zahnrad-demo', version, roles: ['SUPPORT_PARTNER', 'DISTRIBUTOR'] }, ADMIN);
    expect(body.data.setProviderRoles).toEqual({ roles: ['DISTRIBUTOR', 'SUPPORT_PARTNER'], version: version + 1 });
    expect(code((await stack.graphql(ROLES, { id: 'zahnrad-demo', version, roles: ['DISTRIBUTOR'] }, ADMIN)).body)).toBe('CONFLICT');
    expect(code((await stack.graphql(ROLES, { id: 'image-instruments', version: 1, roles: ['DISTRIBUTOR'] }, ADMIN)).body)).toMatch(/BAD_USER_INPUT|CONFLICT/);
    expect(code((await stack.graphql(ROLES, { id: 'zahnrad-demo', version: version + 1, roles: ['MANUFACTURER'] }, ADMIN)).body)).toBe('BAD_USER_INPUT');
  });
});

describe('the import and license versions', () => {
  test('an import that changes a license gives it its next version; the same file again keeps it', async () => {
    const version = await licenseVersion('OC3-DEMO-0005');
    const demo = JSON.parse(readFileSync(DEMO_DIRECTORY, 'utf8'));
    const license = demo.licenses.find((l: { key: string }) => l.key === 'OC3-DEMO-0005');
    const file = { licenses: [{ ...license, maintenancePaidThrough: '2030-12-31' }] };
    expect((await importDirectory(file, stack.orms)).ok).toBe(true);
    expect(await licenseVersion('OC3-DEMO-0005')).toBe(version + 1);
    expect((await importDirectory(file, stack.orms)).ok).toBe(true);
    expect(await licenseVersion('OC3-DEMO-0005')).toBe(version + 1);
  });
});
