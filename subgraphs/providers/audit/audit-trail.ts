/**
 * Recording changes (docs/rules.md: "Every change is recorded: who, when, what, before and after").
 * Whoever changes the providers database calls recordAuditEntry with the EntityManager of the
 * transaction that makes the change, so the entry commits or rolls back with it.
 */
import os from 'node:os';
import type { Identity } from '../../../lib/identity';
import type { SubgraphEM } from '../../../lib/orm';
import type { Offer } from '../offer/offer.entity';
import type { Provider } from '../provider/provider.entity';
import { AuditEntry } from './audit-entry.entity';

/** Who made a change: a caller of the API, or the operator running `npm run import`. */
export interface AuditActor {
  role: string;
  sub: string | null;
  /** The person's name when they signed in at an identity provider (lib/identity.ts); null for keys, holders and the import. */
  name: string | null;
  provider: string | null;
  keyId: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  action: string;
  /** The provider whose trail the entry belongs to. */
  providerId: string;
  subjectType: 'provider' | 'offer' | 'apiKey' | 'license' | 'webhookEndpoint' | 'webhookDelivery';
  subjectId: string;
  /** The record as it was (null: it did not exist) and as it is now (null: it was removed). */
  before: object | null;
  after: object | null;
}

export function actorOf(caller: Identity): AuditActor {
  switch (caller.role) {
    case 'anonymous':
      return { role: 'anonymous', sub: null, name: null, provider: null, keyId: null };
    case 'provider':
      return { role: 'provider', sub: caller.sub, name: caller.name ?? null, provider: caller.provider, keyId: caller.keyId ?? null };
    case 'admin':
      return { role: 'admin', sub: caller.sub, name: caller.name ?? null, provider: null, keyId: null };
    default:
      return { role: caller.role, sub: caller.sub, name: null, provider: null, keyId: null };
  }
}

/** The operator of `npm run import`: whoever runs the command on this machine. */
export function importOperator(): AuditActor {
  let user: string | null;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? null;
  }
  return { role: 'operator', sub: user, name: null, provider: null, keyId: null };
}

/** Appends one entry inside `em`'s transaction (the one that makes the change). */
export async function recordAuditEntry(em: SubgraphEM, entry: AuditRecord): Promise<void> {
  await em.insert(AuditEntry, {
    at: new Date(),
    actorRole: entry.actor.role,
    actorSub: entry.actor.sub,
    actorName: entry.actor.name,
    actorProvider: entry.actor.provider,
    actorKeyId: entry.actor.keyId,
    action: entry.action,
    providerId: entry.providerId,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    before: entry.before as Record<string, unknown> | null,
    after: entry.after as Record<string, unknown> | null,
  });
}

/** A provider's profile as the trail keeps it (its offers have their own entries). */
export function providerState(p: Pick<Provider, keyof ProviderState>): ProviderState {
  return {
    version: p.version,
    name: p.name,
    roles: p.roles,
    active: p.active,
    country: p.country,
    serviceCountries: p.serviceCountries,
    languages: p.languages,
    email: p.email ?? null,
    phone: p.phone ?? null,
    website: p.website ?? null,
    postalAddress: p.postalAddress ?? null,
    businessHours: p.businessHours ?? null,
    timeZone: p.timeZone ?? null,
    vatId: p.vatId ?? null,
    firstResponseCommitments: p.firstResponseCommitments ?? [],
  };
}

export type ProviderState = Pick<
  Provider,
  | 'version'
  | 'name'
  | 'roles'
  | 'active'
  | 'country'
  | 'serviceCountries'
  | 'languages'
  | 'email'
  | 'phone'
  | 'website'
  | 'postalAddress'
  | 'businessHours'
  | 'timeZone'
  | 'vatId'
  | 'firstResponseCommitments'
>;

/** An offer as the trail keeps it. */
export function offerState(o: Pick<Offer, keyof OfferState>): OfferState {
  return {
    version: o.version,
    service: o.service,
    title: o.title,
    description: o.description ?? null,
    amount: o.amount,
    currency: o.currency,
    unit: o.unit,
    validFrom: o.validFrom ?? null,
    validUntil: o.validUntil ?? null,
  };
}

export type OfferState = Pick<Offer, 'version' | 'service' | 'title' | 'description' | 'amount' | 'currency' | 'unit' | 'validFrom' | 'validUntil'>;

/** Whether two states differ in anything but their version. */
export function differs<T extends { version: number }>(a: T, b: T): boolean {
  const { version: _a, ...restA } = a;
  const { version: _b, ...restB } = b;
  return JSON.stringify(restA) !== JSON.stringify(restB);
}
