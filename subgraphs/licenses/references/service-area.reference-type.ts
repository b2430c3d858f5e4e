import { Directive, Field, ObjectType } from 'type-graphql';

/** The service area of a holder's country, resolved by the providers subgraph. */
// No descriptions on stubs: composition takes them from the owning subgraph.
@ObjectType('ServiceArea')
@Directive('@key(fields: "country", resolvable: false)')
export class ServiceAreaReference {
  @Field()
  country!: string;
}
