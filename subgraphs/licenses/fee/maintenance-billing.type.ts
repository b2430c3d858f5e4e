import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../lib/pagination';
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

/**
 * A page of a reseller statement's fee lines, per the list convention (docs/api.md "Lists"): this
 * subgraph pages the statement's licenses by key and answers pageInfo and totalCount; the support
 * subgraph contributes `edges` (a fee line per license of the page) through @requires, as for
 * ResellerStatement.lines.
 */
@ObjectType({ description: "A page of a reseller statement's fee lines, in the order of the license keys." })
@Directive('@key(fields: "id")')
export class FeeLineConnection {
  @Field(() => ID, { description: 'Identifies the page by its statement and page arguments.' })
  id!: string;

  @Field(() => Int, { description: 'The calendar year of the statement.' })
  year!: number;

  @Field(() => ProviderReference, { description: 'The reseller.' })
  provider!: ProviderReference;

  @Field(() => [License], { description: 'The licenses of this page, by key (a fee line each in edges).' })
  licenses!: License[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to continue from.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many fee lines the statement has in all (not only this page).' })
  totalCount!: number;
}
