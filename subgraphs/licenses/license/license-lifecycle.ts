/**
 * The license lifecycle over the API (docs/rules.md, "Who may see and change what"): register (one or up to
 * 500 at once, all or nothing), transfer to another holder, change the vendor, suspend, reinstate,
 * record a maintenance payment. Every change, in ONE transaction of the licenses database:
 * - is checked against the version it was based on (a stale one is CONFLICT, nothing changes);
 * - writes its event into the outbox (events/license-events.ts) for the webhooks;
 * - is recorded in the audit trail, and bumps the directory version, through the providers subgraph
 *   (lib/license-changes.ts), before the licenses transaction commits: a change the providers
 *   subgraph did not record is rolled back, so no change is ever missing from the trail. (Should
 *   the licenses commit itself then fail, the trail shows an entry for a change that did not
 *   happen: the safe side.) After the commit the version is bumped once more, so that no reader
 *   that read the license between the first bump and the commit keeps the old state cached under
 *   the newest version.
 * Values are validated by the directory file's rules (lib/directory/directory-file.ts, which uses
 * lib/validation.ts), exactly as `npm run import` validates them; references must name providers
 * the providers subgraph knows.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { idArgument, inputField, optionalInputField } from '../../../lib/arguments';
import { validateDirectoryFile, type LicenseRecord } from '../../../lib/directory/directory-file';
import { LicenseStatus, ProviderRole } from '../../../lib/domain';
import { badUserInput, conflict, localizedError, notFound } from '../../../lib/errors';
import { signedIn, type Identity } from '../../../lib/identity';
import type { LicenseChange, ProviderReferenceFacts } from '../../../lib/license-changes';
import { paidThroughAfterReversal, periodFrom } from '../../../lib/maintenance-payments';
import { logEvent } from '../../../lib/log';
import type { SubgraphEM } from '../../../lib/orm';
import * as checks from '../../../lib/validation';
import type { LicensesContext } from '../context';
import type { LicenseEventType } from '../events/license-event.entity';
import { concernedProviders, licensePublicState, recordLicenseEvent } from '../events/license-events';
import { withinAccess } from './license-access';
import { actorOf, revokeAccessCodes } from '../access-code/access-code-store';
import { registeringVendor, requireActiveDistributor, requireAdminFor, requireBillingParty, requireMayTransfer } from './license-lifecycle-access';
import { LicenseHolderInput, LicenseRegistrationInput } from './license-lifecycle.input';
import { License } from './license.entity';
import { LicenseHolder } from './license-holder.embeddable';
import { findLicenses } from './license.loaders';
import { MaintenancePayment, MaintenancePaymentKind } from '../payment/maintenance-payment.entity';
import { message, type Message } from '../../../lib/i18n/message';

/** The most licenses one registerLicenses call takes (the page size bound of docs/api.md "Lists"). */
export const MAX_REGISTRATIONS = 500;

/** One refused item of a registration: its index in the input, the field, why. */
export interface RegistrationProblem {
  index: number;
  field: string;
  /** Said in the reader's language where the answer is written (in the message and in `extensions.problems`). */
  reason: Message;
}

function refusedRegistrations(problems: RegistrationProblem[], total: number, bulk: boolean): GraphQLError {
  const where = (p: RegistrationProblem) => `input${bulk ? `[${p.index}]` : ''}${p.field ? `.${p.field}` : ''}`;
  const listed = problems.map((p) => message('problem.at', { path: where(p), reason: p.reason }));
  const refused = bulk
    ? message('license.someRefused', { refused: new Set(problems.map((p) => p.index)).size, total, problems: listed })
    : message('license.refused', { problems: listed });
  return localizedError(refused, { code: 'BAD_USER_INPUT', problems });
}

/** `licenses[3] (KEY).holder.country` (the directory file's problem paths) -> index 3, field holder.country. */
function problemAt(path: string, reason: Message): RegistrationProblem {
  const match = /^licenses\[(\d+)\](?: \([^)]*\))?\.?(.*)$/.exec(path);
  return match ? { index: Number(match[1]), field: match[2], reason } : { index: 0, field: '', reason };
}

const providersOf = (records: Pick<LicenseRecord, 'vendorId' | 'supportPartnerId'>[]) =>
  records.flatMap((r) => [r.vendorId, r.supportPartnerId]).filter((id): id is string => Boolean(id));

/** The holder as the directory file's validator reads it (trimmed, codes normalized), or the problems. */
function holderRecord(input: LicenseHolderInput) {
  return { name: input.name, country: input.country, language: input.language, vatId: input.vatId ?? null };
}

@Resolver(() => License)
export class LicenseLifecycleMutations {
  @Mutation(() => License, { description: 'Registers a license (ACTIVE): a distributor for its own customers (it becomes the vendor), an admin for anyone.' })
  async registerLicense(
    @Arg('input', () => LicenseRegistrationInput, { description: 'The license.' }) input: LicenseRegistrationInput,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    return (await register(context, [input], false))[0];
  }

  @Mutation(() => [License], {
    description: `Registers up to ${MAX_REGISTRATIONS} licenses at once, all or nothing: any refused item refuses them all, each named with its index and field in extensions.problems.`,
  })
  async registerLicenses(
    @Arg('input', () => [LicenseRegistrationInput], { description: `The licenses, at most ${MAX_REGISTRATIONS}; answered in this order.` })
    input: LicenseRegistrationInput[],
    @Ctx() context: LicensesContext,
  ): Promise<License[]> {
    if (input.length > MAX_REGISTRATIONS) throw badUserInput(message('license.tooMany', { max: MAX_REGISTRATIONS, count: input.length }), 'input');
    return register(context, input, true);
  }

  @Mutation(() => License, {
    description: "Transfers a license to another holder (the license's vendor, or an admin): the holder's data moves, the key stays.",
  })
  async transferLicense(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Arg('holder', () => LicenseHolderInput, { description: 'The new holder.' }) holder: LicenseHolderInput,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    const newHolder = validHolder(holder);
    return changeLicense(context, key, version, {
      action: 'transferLicense',
      event: 'license.transferred',
      what: message('action.transferLicense'),
      allowed: (license) => requireMayTransfer(context.caller, license),
      change: () => ({ holder: newHolder }),
      // The previous holder's codes, and so every token signed in with them, end with the transfer.
      alsoWrite: (em, license) => revokeAccessCodes(em, license.key, actorOf(context.caller), 'transferLicense'),
    });
  }

  @Mutation(() => License, { description: 'Admin: suspends an active license.' })
  suspendLicense(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    return changeLicense(context, key, version, {
      action: 'suspendLicense',
      event: 'license.suspended',
      what: message('action.suspendLicense'),
      allowed: () => requireAdminFor(context.caller, message('action.suspendLicense')),
      change: (license) => {
        if (license.status !== LicenseStatus.ACTIVE) throw badUserInput(message('license.notActive', { key, status: license.status }), 'key');
        return { status: LicenseStatus.SUSPENDED };
      },
    });
  }

  @Mutation(() => License, { description: 'Admin: puts a suspended license back in force.' })
  reinstateLicense(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    return changeLicense(context, key, version, {
      action: 'reinstateLicense',
      event: 'license.reinstated',
      what: message('action.reinstateLicense'),
      allowed: () => requireAdminFor(context.caller, message('action.reinstateLicense')),
      change: (license) => {
        if (license.status !== LicenseStatus.SUSPENDED) throw badUserInput(message('license.notSuspended', { key, status: license.status }), 'key');
        return { status: LicenseStatus.ACTIVE };
      },
    });
  }

  @Mutation(() => License, { description: 'Admin: the license was sold through another distributor (vendorId), or bought directly (null).' })
  async changeLicenseVendor(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Arg('vendorId', () => ID, { nullable: true, description: 'The new vendor, a distributor; null: bought directly from the manufacturer.' })
    vendorId: string | null | undefined,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    requireAdminFor(context.caller, message('action.changeVendor'));
    const vendor = vendorId == null ? null : idArgument(vendorId, 'vendorId');
    if (vendor !== null) {
      const facts = (await context.providers.references([vendor], context.caller)).providers.find((p) => p.id === vendor);
      if (!facts) throw badUserInput(message('license.vendorUnknown', { vendor }), 'vendorId');
      if (!facts.roles.includes(ProviderRole.DISTRIBUTOR)) throw badUserInput(message('license.vendorNotDistributor', { vendor }), 'vendorId');
    }
    return changeLicense(context, key, version, {
      action: 'changeLicenseVendor',
      event: 'license.vendor_changed',
      what: message('action.changeVendor'),
      allowed: () => undefined,
      change: () => ({ vendorId: vendor }),
    });
  }

  @Mutation(() => License, {
    description:
      "Records a maintenance payment (the billing party: the license's reseller while it is an active distributor, else an admin): an entry in the license's payment record (maintenancePayments) covering the days after the date paid through so far up to `paidThrough`, with what was paid and its reference when given. A wrong entry is corrected with reverseMaintenancePayment.",
  })
  async recordMaintenancePayment(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Arg('paidThrough', () => String, { description: 'Maintenance is now paid through this day (ISO date); later than the date paid through so far.' })
    paidThrough: string,
    @Ctx() context: LicensesContext,
    @Arg('amount', () => String, { nullable: true, description: 'What was paid, a decimal string like "117.81"; left out: not stated.' })
    amount?: string | null,
    @Arg('currency', () => String, { nullable: true, description: "The currency of `amount` (ISO 4217); EUR, the fee's currency, when left out." })
    currency?: string | null,
    @Arg('reference', () => String, { nullable: true, description: "The payer's or the bank's reference, e.g. an invoice number (at most 200 characters)." })
    reference?: string | null,
  ): Promise<License> {
    const date = checks.isoDate.normalize(paidThrough.trim());
    if (date === null)
      throw badUserInput(message('field.refused', { field: 'paidThrough', reason: checks.refusal(checks.isoDate, paidThrough) }), 'paidThrough');
    const paid = paymentAmount(amount, currency);
    const ref = optionalInputField(reference, 'reference', checks.text(MAX_PAYMENT_REFERENCE)) ?? null;
    let entry: MaintenancePayment | undefined;
    return changeLicense(context, key, version, {
      action: 'recordMaintenancePayment',
      event: 'maintenance.recorded',
      what: message('action.recordPayment'),
      ...billingPartyOnly(context),
      change: async (license, em) => {
        if (license.maintenancePaidThrough && date <= license.maintenancePaidThrough) {
          throw badUserInput(message('payment.notAfterPaidThrough', { date, paidThrough: license.maintenancePaidThrough, key }), 'paidThrough');
        }
        entry = Object.assign(new MaintenancePayment(), {
          id: randomUUID(),
          licenseKey: license.key,
          kind: MaintenancePaymentKind.PAYMENT,
          amount: paid?.amount ?? null,
          currency: paid?.currency ?? null,
          reference: ref,
          periodFrom: periodFrom(license.maintenancePaidThrough, date),
          paidThrough: date,
          previousPaidThrough: license.maintenancePaidThrough ?? null,
          reverses: null,
          reversedBy: null,
          reason: null,
          recordedBy: recorder(context.caller),
          recordedAt: new Date().toISOString(),
        });
        await em.insert(MaintenancePayment, entry);
        return { maintenancePaidThrough: date };
      },
      audit: () => ({ payment: entry && paymentAuditState(entry) }),
    });
  }

  @Mutation(() => License, {
    description:
      'Corrects a maintenance payment entered by mistake (the billing party, or an admin): adds a reversing entry with the reason (the wrong entry stays in the record, marked reversed) and derives the date maintenance is paid through again from the payments that stand. Record the right payment afterwards with recordMaintenancePayment. Audited like every change.',
  })
  async reverseMaintenancePayment(
    @Arg('key', () => ID, { description: 'The license.' }) key: string,
    @Arg('version', () => Int, { description: 'The version of the license this change was based on; a stale one is CONFLICT.' }) version: number,
    @Arg('paymentId', () => ID, { description: 'The payment entry to reverse (an id from License.maintenancePayments).' }) paymentId: string,
    @Arg('reason', () => String, { description: 'Why the entry is wrong, e.g. "typo: 2207 for 2027" (at most 500 characters).' }) reason: string,
    @Ctx() context: LicensesContext,
  ): Promise<License> {
    const id = idArgument(paymentId, 'paymentId');
    const why = inputField(reason, 'reason', checks.text(MAX_REVERSAL_REASON));
    let reversal: MaintenancePayment | undefined;
    let reversed: MaintenancePayment | undefined;
    return changeLicense(context, key, version, {
      action: 'reverseMaintenancePayment',
      event: 'maintenance.recorded',
      what: message('action.correctPayment'),
      ...billingPartyOnly(context),
      change: async (license, em) => {
        const entries = await em.find(MaintenancePayment, { licenseKey: license.key }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
        reversed = entries.find((e) => e.id === id);
        if (!reversed) throw notFound(message('payment.notFound', { id, key: license.key }));
        if (reversed.kind !== MaintenancePaymentKind.PAYMENT) throw badUserInput(message('payment.isReversal', { id }), 'paymentId');
        if (reversed.reversedBy) throw badUserInput(message('payment.alreadyReversed', { id, by: reversed.reversedBy }), 'paymentId');
        const paidThrough = paidThroughAfterReversal(license.maintenancePaidThrough, reversed, entries);
        reversal = Object.assign(new MaintenancePayment(), {
          id: randomUUID(),
          licenseKey: license.key,
          kind: MaintenancePaymentKind.REVERSAL,
          amount: reversed.amount ?? null,
          currency: reversed.currency ?? null,
          reference: reversed.reference ?? null,
          periodFrom: reversed.periodFrom,
          paidThrough: reversed.paidThrough,
          previousPaidThrough: license.maintenancePaidThrough ?? null,
          reverses: reversed.id,
          reversedBy: null,
          reason: why,
          recordedBy: recorder(context.caller),
          recordedAt: new Date().toISOString(),
        });
        await em.insert(MaintenancePayment, reversal);
        // Set once: only a payment no reversal names yet (checked above, in this transaction).
        await em.nativeUpdate(MaintenancePayment, { id: reversed.id, reversedBy: null }, { reversedBy: reversal.id });
        return { maintenancePaidThrough: paidThrough };
      },
      audit: () => ({ reversed: reversed && paymentAuditState(reversed), reversal: reversal && paymentAuditState(reversal) }),
    });
  }
}

/** The longest payment reference and reversal reason kept. */
export const MAX_PAYMENT_REFERENCE = 200;
export const MAX_REVERSAL_REASON = 500;

/** The amount of a payment as entered: checked, two places, its currency (EUR, the fee's, unless given); null when not stated. */
function paymentAmount(amount: string | null | undefined, currency: string | null | undefined): { amount: string; currency: string } | null {
  const value = optionalInputField(amount, 'amount', checks.amount);
  const code = optionalInputField(currency, 'currency', checks.currencyCode);
  if (value == null) {
    if (code != null) throw badUserInput(message('payment.currencyWithoutAmount'), 'currency');
    return null;
  }
  return { amount: value, currency: code ?? 'EUR' };
}

/** Who entered a payment, by role: the provider id, or "admin" (the audit trail names the person). */
const recorder = (caller: Identity): string => (caller.role === 'provider' ? caller.provider : caller.role);

async function loadVendorFacts(context: LicensesContext, license: License, into: Map<string, ProviderReferenceFacts>): Promise<void> {
  if (license.vendorId && context.caller.role === 'provider') {
    for (const p of (await context.providers.references([license.vendorId], context.caller)).providers) into.set(p.id, p);
  }
}

const paymentAuditState = (p: MaintenancePayment) => ({
  id: p.id,
  kind: p.kind,
  amount: p.amount ?? null,
  currency: p.currency ?? null,
  reference: p.reference ?? null,
  periodFrom: p.periodFrom,
  paidThrough: p.paidThrough,
  reverses: p.reverses ?? null,
  reason: p.reason ?? null,
});

function validHolder(input: LicenseHolderInput): License['holder'] {
  const probe = {
    key: 'x',
    packageName: 'x',
    type: 'WORKSTATION',
    programVersion: 'x',
    status: 'ACTIVE',
    holder: holderRecord(input),
  };
  const { directory, problems } = validateDirectoryFile({ licenses: [probe] }, { providerIds: new Set(), manufacturerIds: new Set(), offerOwners: new Map() });
  if (problems.length > 0) {
    const first = problemAt(problems[0].path, problems[0].reason);
    throw localizedError(
      message('license.holderRefused', { problems: problems.map((p) => message('problem.at', { path: problemAt(p.path, p.reason).field, reason: p.reason })) }),
      { code: 'BAD_USER_INPUT', argumentName: 'holder', field: first.field, problems: problems.map((p) => problemAt(p.path, p.reason)) },
    );
  }
  return Object.assign(new LicenseHolder(), directory.licenses[0].holder);
}

/** Registers `inputs` as one change: all of them, or (any problem) none. */
async function register(context: LicensesContext, inputs: LicenseRegistrationInput[], bulk: boolean): Promise<License[]> {
  const { caller, providers } = context;
  const ownVendor = registeringVendor(caller);
  const problems: RegistrationProblem[] = [];
  const records = inputs.map((input, index) => {
    if (ownVendor !== null && input.vendorId != null && input.vendorId.trim() !== ownVendor) {
      problems.push({
        index,
        field: 'vendorId',
        reason: message('license.ownCustomersOnly', { vendor: ownVendor, value: input.vendorId }),
      });
    }
    return {
      key: input.key,
      packageName: input.packageName,
      type: input.type,
      programVersion: input.programVersion,
      status: LicenseStatus.ACTIVE,
      holder: holderRecord(input.holder),
      vendorId: ownVendor ?? input.vendorId ?? null,
      supportPartnerId: input.supportPartnerId ?? null,
      maintenancePaidThrough: input.maintenancePaidThrough ?? null,
    };
  });
  const referenced = [
    ...providersOf(records.map((r) => ({ vendorId: r.vendorId?.trim() ?? null, supportPartnerId: r.supportPartnerId?.trim() ?? null }))),
    ...(ownVendor ? [ownVendor] : []),
  ];
  const known = new Map((await providers.references(referenced, caller)).providers.map((p) => [p.id, p]));
  if (ownVendor !== null) requireActiveDistributor(known.get(ownVendor), ownVendor);
  const { directory, problems: fileProblems } = validateDirectoryFile(
    { licenses: records },
    { providerIds: new Set(known.keys()), manufacturerIds: new Set(), offerOwners: new Map() },
  );
  problems.push(...fileProblems.map((p) => problemAt(p.path, p.reason)));
  const valid = directory.licenses;
  if (fileProblems.length === 0) {
    valid.forEach((license, index) => {
      const vendor = license.vendorId ? known.get(license.vendorId) : undefined;
      if (vendor && !vendor.roles.includes(ProviderRole.DISTRIBUTOR))
        problems.push({ index, field: 'vendorId', reason: message('license.vendorNotDistributor', { vendor: vendor.id }) });
      const partner = license.supportPartnerId ? known.get(license.supportPartnerId) : undefined;
      if (partner && !partner.roles.includes(ProviderRole.SUPPORT_PARTNER))
        problems.push({ index, field: 'supportPartnerId', reason: message('license.partnerNotSupportPartner', { partner: partner.id }) });
    });
  }
  const keys = valid.map((l) => l.key);
  const taken = keys.length ? new Set((await findLicenses(context.em, { key: { $in: keys } })).map((l) => l.key)) : new Set<string>();
  if (fileProblems.length === 0) {
    valid.forEach((license, index) => {
      if (taken.has(license.key)) problems.push({ index, field: 'key', reason: message('license.alreadyRegistered', { key: license.key }) });
    });
  }
  if (problems.length > 0)
    throw refusedRegistrations(
      problems.sort((a, b) => a.index - b.index),
      inputs.length,
      bulk,
    );

  const registered = valid.map((record) => Object.assign(new License(), { ...record, holder: Object.assign(new LicenseHolder(), record.holder), version: 1 }));
  const action = bulk ? 'registerLicenses' : 'registerLicense';
  try {
    await inChange(context, async (em) => {
      for (const license of registered) {
        await em.insert(License, license);
        await recordLicenseEvent(em, { type: 'license.registered', license });
      }
      return registered.map((license) => ({
        action,
        licenseKey: license.key,
        providerIds: concernedProviders(license),
        before: null,
        after: licensePublicState(license),
      }));
    });
  } catch (error) {
    // Registered meanwhile by someone else (after the check above): nothing of this call was stored.
    if (error instanceof UniqueConstraintViolationException) throw conflict(message('license.registeredMeanwhile'));
    throw error;
  }
  return findInOrder(context.em, keys);
}

async function findInOrder(em: SubgraphEM, keys: string[]): Promise<License[]> {
  const byKey = new Map((await findLicenses(em, { key: { $in: keys } })).map((l) => [l.key, l]));
  return keys.map((key) => byKey.get(key)!);
}

/** Who may record or correct a maintenance payment: the license's billing party (or an admin), judged on its vendor's facts. */
function billingPartyOnly(context: LicensesContext): Pick<LicenseChangeSpec, 'before' | 'allowed'> {
  const vendorFacts = new Map<string, ProviderReferenceFacts>();
  return {
    before: (license) => loadVendorFacts(context, license, vendorFacts),
    allowed: (license) => requireBillingParty(context.caller, license, license.vendorId ? vendorFacts.get(license.vendorId) : undefined),
  };
}

interface LicenseChangeSpec {
  action: string;
  event: LicenseEventType;
  what: Message;
  /** Reads what the permission needs (outside the transaction's writes). */
  before?: (license: License) => Promise<void>;
  /** Throws FORBIDDEN when the caller (who may see the license) may not make this change. */
  allowed: (license: License) => void;
  /** The fields that change, or a refusal; may write rows of its own in the change's transaction (`em`). */
  change: (license: License, em: SubgraphEM) => Partial<License> | Promise<Partial<License>>;
  /** More for the audit entry's "after" than the license's state (a payment entry). */
  audit?: () => object;
  /** What else the change writes in its transaction, after the license itself. */
  alsoWrite?: (em: SubgraphEM, license: License) => Promise<void>;
}

/**
 * One change to one license: NOT_FOUND when the caller may not see it (like a missing one), then
 * the permission, then the version, then the change with its event and audit entry. Visibility,
 * permission and version are all judged on the one row read inside the change's transaction, and
 * the update applies only while the row is still at that version: a vendor changed in between
 * (version moved) can never let the former vendor act on the strength of an older read.
 */
async function changeLicense(context: LicensesContext, rawKey: string, version: number, spec: LicenseChangeSpec): Promise<License> {
  const key = idArgument(rawKey, 'key');
  signedIn(context.caller, spec.what);
  await inChange(context, async (em) => {
    const [current] = await findLicenses(em, withinAccess(context.caller, { key }));
    if (!current) throw notFound(message('error.licenseNotFound', { key }));
    await spec.before?.(current);
    spec.allowed(current);
    if (current.version !== version) throw staleLicense(key, current.version, version);
    const changes = await spec.change(current, em);
    const after = { ...current, ...changes, version: version + 1 } as License;
    const updated = await em.nativeUpdate(License, { key, version }, { ...changes, version: version + 1 });
    if (updated === 0) {
      const [now] = await findLicenses(em, { key });
      throw staleLicense(key, now?.version ?? version + 1, version);
    }
    const previousVendorId = current.vendorId !== after.vendorId ? current.vendorId : null;
    await spec.alsoWrite?.(em, current);
    await recordLicenseEvent(em, { type: spec.event, license: after, previousVendorId });
    return [
      {
        action: spec.action,
        licenseKey: key,
        providerIds: concernedProviders(current, after.vendorId),
        before: licensePublicState(current),
        after: { ...licensePublicState(after), ...spec.audit?.() },
      },
    ];
  });
  return (await findLicenses(context.em, { key }))[0];
}

const staleLicense = (key: string, current: number, given: number) => conflict(message('conflict.stale', { kind: 'license', id: key, current, given }));

/**
 * Runs `work` in one licenses transaction; the audit entries it answers are recorded (with the
 * directory version bump) by the providers subgraph before the commit, and the version is bumped
 * again after it (see the header).
 */
async function inChange(context: LicensesContext, work: (em: SubgraphEM) => Promise<LicenseChange[]>): Promise<void> {
  await context.em.transactional(async (tx) => {
    const changes = await work(tx as SubgraphEM);
    await context.providers.recordChanges(changes, context.caller);
  });
  await context.providers.recordChanges([], context.caller).catch((error: unknown) => {
    // The change is committed and was announced once already; readers catch up with the next change.
    logEvent('warn', 'directory_version_not_bumped', { service: 'licenses', message: error instanceof Error ? error.message : String(error) });
  });
}
