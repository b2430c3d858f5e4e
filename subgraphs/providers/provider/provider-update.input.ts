import { Field, Float, InputType } from 'type-graphql';
import { SupportCategoryId } from '../../../lib/domain';

@InputType({ description: 'A first-response commitment: within how many of its business hours the provider answers a first request in a category.' })
export class FirstResponseCommitmentInput {
  @Field(() => SupportCategoryId, { description: 'A support category the provider serves by its roles.' })
  category!: SupportCategoryId;

  @Field(() => Float, { description: 'Business hours, more than 0 and at most 400, in whole quarter hours (e.g. 4, 1.5).' })
  businessHours!: number;
}

/** docs/guide.md "Partner self-service": fields left out stay as they are; null (or blank) clears a text field. */
@InputType({
  description: "A provider's changes to its own profile: fields left out stay as they are; null or blank clears a text field (the lists cannot be cleared).",
})
export class ProviderUpdateInput {
  @Field(() => String, { nullable: true, description: 'Contact e-mail address.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone number.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Website, an http(s) URL.' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Postal address, as printed on a letter.' })
  postalAddress?: string | null;

  @Field(() => [String], { nullable: true, description: 'Languages the provider works in (ISO 639-1), non-empty.' })
  languages?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Countries the provider serves (ISO 3166-1 alpha-2), non-empty.' })
  serviceCountries?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Business hours in the provider\'s time zone, e.g. "Mo-Fr 08:00-17:00".' })
  businessHours?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the business hours, e.g. "Europe/Berlin".' })
  timeZone?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'VAT identification number, in the format of the provider\'s country with its check digit (e.g. "DE100000008"); an empty string removes it.',
  })
  vatId?: string | null;

  @Field(() => [FirstResponseCommitmentInput], {
    nullable: true,
    description:
      "First-response commitments, replacing the stated ones as a whole (one per category it serves; [] states none). The manufacturer's are set by an admin (setManufacturerFirstResponses).",
  })
  firstResponseCommitments?: FirstResponseCommitmentInput[] | null;
}
