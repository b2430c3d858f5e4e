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

  /** Whether the country is an EU member state (reverse charge applies only between member states). */
  @Property()
  eu!: boolean;
}
