import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One standard VAT rate of a country from the day it took effect until the next row of that country. */
@Entity({ tableName: 'vat_rate' })
export class VatRate {
  @PrimaryKey({ type: 'string', length: 2 })
  country!: string;

  /** ISO date. */
  @PrimaryKey({ type: 'string', length: 10 })
  validFrom!: string;

  /** A decimal string, e.g. "0.19"; never a float. */
  @Property({ type: 'string', length: 12 })
  rate!: string;
}

/**
 * One period of a country's EU membership (reverse charge and "customer outside the EU" depend on
 * it, on the date of the supply): from its accession to `until`, the last day as a member (the
 * United Kingdom: 2020-01-31), or open while it is a member.
 */
@Entity({ tableName: 'eu_membership' })
export class EuMembership {
  @PrimaryKey({ type: 'string', length: 2 })
  country!: string;

  /** ISO date: the first day as a member. */
  @PrimaryKey({ type: 'string', length: 10 })
  memberFrom!: string;

  /** ISO date: the last day as a member; null while it is one. */
  @Property({ type: 'string', length: 10, nullable: true })
  memberUntil?: string | null;
}
