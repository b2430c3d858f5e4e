import { Collection, Entity, Index, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ProviderRole, SupportCategoryId } from '../../../lib/domain';
import type { FirstResponseCommitment as CommitmentShape } from '../../../lib/first-response-commitments';
import { MAX_LENGTH } from '../../../lib/validation';
import { Offer } from '../offer/offer.entity';

/** The index that holds the directory to one manufacturer (named in import errors). */
export const PROVIDER_ONE_MANUFACTURER = 'provider_one_manufacturer';
const IS_MANUFACTURER = `cast("roles" as text) like '%"MANUFACTURER"%'`;

/** docs/rules.md "Response-time commitments": how soon the provider answers a first request in one category. */
@ObjectType({ description: "A provider's stated first-response time in one support category it serves, counted in its own business hours." })
export class FirstResponseCommitment implements CommitmentShape {
  @Field(() => SupportCategoryId, { description: 'The support category the commitment is for.' })
  category!: SupportCategoryId;

  @Field(() => Float, {
    description: "Business hours (the provider's opening hours, time zone and public holidays) within which it answers a first request, e.g. 4.",
  })
  businessHours!: number;
}

/**
 * A party of the support network. Roles, service countries and languages are short lists kept as
 * JSON: the directory is small (one manufacturer, tens of partners), so filtering happens in memory.
 */
@Entity({ tableName: 'provider' })
// docs/rules.md: exactly one manufacturer. The database itself refuses a second one, whoever writes:
// a unique index over the rows whose roles hold "MANUFACTURER" (the indexed value is true for all
// of them, so at most one row can be indexed). The same SQL text is valid on SQLite and PostgreSQL
// (roles is JSON text there, jsonb here; both print it with the quotes the pattern relies on).
@Index({
  name: PROVIDER_ONE_MANUFACTURER,
  expression: `create unique index "${PROVIDER_ONE_MANUFACTURER}" on "provider" ((${IS_MANUFACTURER})) where ${IS_MANUFACTURER}`,
})
@ObjectType({ description: 'The manufacturer, a distributor/reseller or a support partner of the OnyxCeph³ support network.' })
@Directive('@key(fields: "id")')
export class Provider {
  @PrimaryKey({ type: 'string', length: MAX_LENGTH.id })
  @Field(() => ID, { description: 'Stable id (slug), e.g. "image-instruments".' })
  id!: string;

  @Property({ length: MAX_LENGTH.name })
  @Field({ description: 'Company name.' })
  name!: string;

  @Property({ type: 'json' })
  @Field(() => [ProviderRole], { description: 'The roles the provider holds in the network.' })
  roles!: ProviderRole[];

  @Property()
  @Field({ description: 'Whether the provider currently takes part in the network.' })
  active!: boolean;

  @Property({ length: 2 })
  @Field({ description: 'Home country (ISO 3166-1 alpha-2).' })
  country!: string;

  @Property({ type: 'json' })
  @Field(() => [String], { description: 'Countries the provider serves (ISO 3166-1 alpha-2).' })
  serviceCountries!: string[];

  @Property({ type: 'json' })
  @Field(() => [String], { description: 'Languages the provider works in (ISO 639-1).' })
  languages!: string[];

  @Property({ length: MAX_LENGTH.email, nullable: true })
  @Field(() => String, { nullable: true, description: 'Contact e-mail address.' })
  email?: string | null;

  @Property({ length: MAX_LENGTH.phone, nullable: true })
  @Field(() => String, { nullable: true, description: 'Contact phone number.' })
  phone?: string | null;

  @Property({ length: MAX_LENGTH.website, nullable: true })
  @Field(() => String, { nullable: true, description: 'Website URL.' })
  website?: string | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Postal address, as printed on a letter.' })
  postalAddress?: string | null;

  @Property({ length: MAX_LENGTH.businessHours, nullable: true })
  @Field(() => String, {
    nullable: true,
    description:
      'Business hours in OpenStreetMap opening_hours syntax, read in the provider\'s timeZone, e.g. "Mo-Fr 08:00-17:00; PH off" (see openNow and nextOpening).',
  })
  businessHours?: string | null;

  @Property({ length: MAX_LENGTH.timeZone, nullable: true })
  @Field(() => String, { nullable: true, description: 'IANA time zone of the business hours, e.g. "Europe/Berlin".' })
  timeZone?: string | null;

  @Property({ length: MAX_LENGTH.vatId, nullable: true })
  @Field(() => String, { nullable: true, description: 'VAT identification number.' })
  vatId?: string | null;

  /** Optimistic locking (docs/guide.md "Partner self-service"): every change names the version it was based on. */
  @Property({ type: 'integer', default: 1 })
  @Field(() => Int, { description: 'Goes up by one with every change to the provider or its offers; updateProvider names the version it was based on.' })
  version: number = 1;

  /** Kept as JSON in category order (lib/first-response-commitments.ts inCategoryOrder); at most one per category. */
  @Property({ type: 'json', default: '[]' })
  @Field(() => [FirstResponseCommitment], {
    description:
      "First-response commitments per support category it serves, in business hours; empty when it states none. A partner sets its own (updateProvider), an admin the manufacturer's (setManufacturerFirstResponses).",
  })
  firstResponseCommitments: FirstResponseCommitment[] = [];

  /** Exposed through ProviderResolver.offers (filterable, batched by a DataLoader). */
  @OneToMany(() => Offer, (offer) => offer.provider, { orphanRemoval: true })
  offers = new Collection<Offer>(this);

  hasRole(role: ProviderRole): boolean {
    return this.roles.includes(role);
  }

  serves(country: string): boolean {
    return this.serviceCountries.includes(country);
  }
}
