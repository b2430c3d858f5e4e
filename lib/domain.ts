/**
 * The domain's enumerations (docs/rules.md, docs/api.md), registered once for type-graphql so that every
 * subgraph that exposes one prints the identical definition (composition merges them).
 */
import { registerEnumType } from 'type-graphql';

export enum ProviderRole {
  MANUFACTURER = 'MANUFACTURER',
  DISTRIBUTOR = 'DISTRIBUTOR',
  SUPPORT_PARTNER = 'SUPPORT_PARTNER',
}
registerEnumType(ProviderRole, {
  name: 'ProviderRole',
  description: 'The part a provider plays in the OnyxCeph³ support network; a provider may hold several.',
  valuesConfig: {
    MANUFACTURER: { description: 'Image Instruments: software maintenance (updates, upgrades) and Level 1 technical support.' },
    DISTRIBUTOR: {
      description: 'Distributor or reseller: sells licenses, first contact for Level 0 technical support, bills maintenance for the licenses it sold.',
    },
    SUPPORT_PARTNER: { description: 'Designated support partner: user support and training, at its own prices.' },
  },
});

export enum ServiceKind {
  TRAINING = 'TRAINING',
  USER_SUPPORT = 'USER_SUPPORT',
  TECHNICAL_SUPPORT = 'TECHNICAL_SUPPORT',
}
registerEnumType(ServiceKind, {
  name: 'ServiceKind',
  description: 'A service a provider can put a price on.',
  valuesConfig: {
    TRAINING: { description: 'Training in the use of the software, as its indication for use requires.' },
    USER_SUPPORT: { description: 'User support: help with using the software.' },
    TECHNICAL_SUPPORT: { description: 'Technical support (installation, interfaces, activation, databases).' },
  },
});

export enum PriceUnit {
  ONE_TIME = 'ONE_TIME',
  ANNUAL = 'ANNUAL',
  PER_HOUR = 'PER_HOUR',
  PER_DAY = 'PER_DAY',
  PER_PARTICIPANT = 'PER_PARTICIPANT',
}
registerEnumType(PriceUnit, {
  name: 'PriceUnit',
  description: 'What one price of an offer pays for.',
  valuesConfig: {
    ONE_TIME: { description: 'Charged once.' },
    ANNUAL: { description: 'Charged per year.' },
    PER_HOUR: { description: 'Charged per hour of work.' },
    PER_DAY: { description: 'Charged per day.' },
    PER_PARTICIPANT: { description: 'Charged per participant (trainings).' },
  },
});

export enum LicenseType {
  NETWORK = 'NETWORK',
  WORKSTATION = 'WORKSTATION',
}
registerEnumType(LicenseType, {
  name: 'LicenseType',
  description: 'How a license package is installed.',
  valuesConfig: {
    NETWORK: { description: 'Practice server with workstations.' },
    WORKSTATION: { description: 'A single workstation.' },
  },
});

export enum LicenseStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(LicenseStatus, {
  name: 'LicenseStatus',
  description: 'Whether a license may currently be used.',
  valuesConfig: {
    ACTIVE: { description: 'In force.' },
    SUSPENDED: { description: 'Temporarily not in force.' },
    EXPIRED: { description: 'No longer in force.' },
  },
});

export enum SupportCategoryId {
  SOFTWARE_MAINTENANCE = 'SOFTWARE_MAINTENANCE',
  TECHNICAL_SUPPORT = 'TECHNICAL_SUPPORT',
  USER_SUPPORT = 'USER_SUPPORT',
}
registerEnumType(SupportCategoryId, {
  name: 'SupportCategoryId',
  description: 'The three support categories of the vendor page.',
  valuesConfig: {
    SOFTWARE_MAINTENANCE: { description: 'Provision of updates and upgrades, by the manufacturer; obligatory.' },
    TECHNICAL_SUPPORT: { description: 'Technical support on designated topics: Level 0 by the distributor, Level 1 by the manufacturer.' },
    USER_SUPPORT: { description: 'User support and training, by support partners.' },
  },
});

export enum SupportLevel {
  LEVEL_0 = 'LEVEL_0',
  LEVEL_1 = 'LEVEL_1',
}
registerEnumType(SupportLevel, {
  name: 'SupportLevel',
  description: 'The level of a technical support topic.',
  valuesConfig: {
    LEVEL_0: { description: 'First contact: the vendor (distributor/reseller) of the license.' },
    LEVEL_1: { description: 'Further technical support: the manufacturer.' },
  },
});

/** An ISO calendar date, as licenses and offers carry them. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today's date in UTC as YYYY-MM-DD; routing and price validity compare against it. */
export const todayIso = (now = new Date()) => now.toISOString().slice(0, 10);

/** Whether a price with these validity dates applies on the given ISO date (null ends are open). */
export const isValidOn = (validity: { validFrom?: string | null; validUntil?: string | null }, day: string): boolean =>
  (!validity.validFrom || validity.validFrom <= day) && (!validity.validUntil || day <= validity.validUntil);
