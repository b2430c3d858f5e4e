import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PriceUnit, ServiceKind } from '../../../lib/domain';
import { MAX_LENGTH } from '../../../lib/validation';
import { Money } from './money.type';
import type { Provider } from '../provider/provider.entity';

/** One line of a provider's price list; set by the provider itself, never by anyone else. */
@Entity({ tableName: 'offer' })
@ObjectType({ description: "One line of a provider's own price list (training, user support, technical support). Prices are net, plus VAT." })
export class Offer {
  @PrimaryKey({ type: 'string', length: MAX_LENGTH.id })
  @Field(() => ID, { description: 'Stable id of the offer.' })
  id!: string;

  @ManyToOne('Provider', { deleteRule: 'cascade' })
  provider!: Provider;

  @Enum({ items: () => ServiceKind })
  @Field(() => ServiceKind, { description: 'The service this offer prices.' })
  service!: ServiceKind;

  @Property({ length: MAX_LENGTH.title })
  @Field({ description: 'Short title, e.g. "On-site training day".' })
  title!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'What the offer includes.' })
  description?: string | null;

  /** Decimal string with two places; stored as text so no float ever touches a price. */
  @Property({ length: 20 })
  amount!: string;

  @Property({ length: 3 })
  currency!: string;

  @Enum({ items: () => PriceUnit })
  @Field(() => PriceUnit, { description: 'What one price pays for.' })
  unit!: PriceUnit;

  @Property({ length: 10, nullable: true })
  @Field(() => String, { nullable: true, description: 'First day the price applies (ISO date); open when null.' })
  validFrom?: string | null;

  @Property({ length: 10, nullable: true })
  @Field(() => String, { nullable: true, description: 'Last day the price applies (ISO date); open when null.' })
  validUntil?: string | null;

  /** Optimistic locking: saveOffer (replacing) and withdrawOffer name the version they were based on. */
  @Property({ type: 'integer', default: 1 })
  @Field(() => Int, { description: 'Goes up by one with every change to the offer; saveOffer and withdrawOffer name the version they were based on.' })
  version: number = 1;

  @Field(() => Money, { description: 'The net price (plus VAT).' })
  get price(): Money {
    return { amount: this.amount, currency: this.currency };
  }
}
