import { Field, ID, InputType, Int } from 'type-graphql';
import { PriceUnit, ServiceKind } from '../../../lib/domain';

@InputType({ description: 'An amount of money: a decimal string with at most two places and an ISO 4217 currency.' })
export class MoneyInput {
  @Field({ description: 'Non-negative decimal amount with at most two places, e.g. "99.00".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "EUR".' })
  currency!: string;
}

/** docs/guide.md "Partner self-service": no id creates an offer; id and version replace one. */
@InputType({
  description:
    "One line of the provider's own price list: without id a new offer (its id is generated); with id and version the replacement of that offer, whole.",
})
export class OfferInput {
  @Field(() => ID, { nullable: true, description: 'The offer to replace; leave out to create one.' })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'With id: the version of the offer this replacement was based on.' })
  version?: number | null;

  @Field(() => ServiceKind, { description: 'The service this offer prices.' })
  service!: ServiceKind;

  @Field({ description: 'Short title, e.g. "On-site training day".' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the offer includes.' })
  description?: string | null;

  @Field(() => MoneyInput, { description: 'The net price (plus VAT).' })
  price!: MoneyInput;

  @Field(() => PriceUnit, { description: 'What one price pays for.' })
  unit!: PriceUnit;

  @Field(() => String, { nullable: true, description: 'First day the price applies (ISO date); open when left out.' })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Last day the price applies (ISO date), not before validFrom; open when left out.' })
  validUntil?: string | null;
}
