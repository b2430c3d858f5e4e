import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { License } from '../license/license.entity';
import { ProviderReference } from '../references/provider.reference-type';

/**
 * The licenses a maintenance quote covers. This subgraph names them; the support subgraph, which
 * owns the fee rules and the VAT table, contributes `lines` and `totals` through @requires once the
 * gateway has gathered each license's holder, vendor and manufacturer.
 */
@ObjectType({ description: 'The maintenance fees of a set of license packages for one calendar year.' })
@Directive('@key(fields: "id")')
export class MaintenanceQuote {
  @Field(() => ID, { description: 'Identifies the quote by its year and license keys.' })
  id!: string;

  @Field(() => Int, { description: 'The calendar year quoted.' })
  year!: number;

  @Field(() => [License], { description: 'The licenses quoted, in the order asked (each once).' })
  licenses!: License[];
}

@ObjectType({
  description: "A reseller's annual maintenance billing: the licenses it sold that owe maintenance that year, and what it remits to the manufacturer.",
})
@Directive('@key(fields: "id")')
export class ResellerStatement {
  @Field(() => ID, { description: 'Identifies the statement by its provider and year.' })
  id!: string;

  @Field(() => ProviderReference, { description: 'The reseller.' })
  provider!: ProviderReference;

  @Field(() => Int, { description: 'The calendar year.' })
  year!: number;

  @Field(() => [License], { description: 'Licenses bought through the reseller that are not expired, by key.' })
  licenses!: License[];
}
