import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A provider as the licenses subgraph knows it: only its id; the providers subgraph owns the rest. */
// No descriptions on stubs: composition takes them from the owning subgraph.
@ObjectType('Provider')
@Directive('@key(fields: "id", resolvable: false)')
export class ProviderReference {
  @Field(() => ID)
  id!: string;
}
