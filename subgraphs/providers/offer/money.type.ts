import { Directive, Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An amount of money: a decimal string with two places (never a float) and an ISO 4217 currency. Prices are net, plus VAT.' })
// Shareable: the support subgraph answers Money too (maintenance fee lines).
@Directive('@shareable')
export class Money {
  @Field({ description: 'Decimal amount with two places, e.g. "99.00".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "EUR".' })
  currency!: string;
}
