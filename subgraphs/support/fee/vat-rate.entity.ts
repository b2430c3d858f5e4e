import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One standard VAT rate of a country from the day it took effect until the next row of that country;
 * a null rate: the country levies no VAT from that day (the United States), said as such on a fee line.
 */
@Entity({ tableName: 'vat_rate' })
export class VatRate {
  @PrimaryKey({ type: 'string', length: 2 })
  country!: string;

  /** ISO date. */
  @PrimaryKey({ type: 'string', length: 10 })
  validFrom!: string;

  /** A decimal string, e.g. "0.19"; never a float. null: no VAT is levied. */
  @Property({ type: 'string', length: 12, nullable: true })
  rate!: string | null;
}

/**
 * One period of a country's EU membership (reverse charge and "customer outside the EU" depend on
 * it, on the date of the supply): from its accession to `until`, the last day as a member (the
 * United Kingdom: 2020-12-31, the end of the transition), or open while it is a member.
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

/**
 * One period in which a country shares a VAT area with other countries (Switzerland and
 * Liechtenstein: one area by their treaty): a sale between two countries of one area on a date is a
 * domestic sale. A country in no area on a date is its own.
 */
@Entity({ tableName: 'vat_area_membership' })
export class VatAreaMembership {
  @PrimaryKey({ type: 'string', length: 2 })
  country!: string;

  /** ISO date: the first day in the area. */
  @PrimaryKey({ type: 'string', length: 10 })
  memberFrom!: string;

  /** The area's name, e.g. "CH-LI". */
  @Property({ type: 'string', length: 20 })
  area!: string;

  /** ISO date: the last day in the area; null while it is in it. */
  @Property({ type: 'string', length: 10, nullable: true })
  memberUntil?: string | null;
}
