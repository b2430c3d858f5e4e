import { Directive, Field, ObjectType } from 'type-graphql';
import { Provider } from '../provider/provider.entity';

/**
 * The providers side of one country: who serves it and in which currency it is priced. The
 * licenses subgraph points each license holder at one; the support subgraph requires its providers
 * to route a topic, so no subgraph reads another's database.
 */
@ObjectType({ description: 'The support network as seen from one country: the providers serving it, the manufacturer, and the local currency.' })
@Directive('@key(fields: "country")')
export class ServiceArea {
  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency prices are quoted in for this country; null when unknown.' })
  currency!: string | null;

  @Field(() => [Provider], { description: 'Every provider whose service countries include this country (any role, active or not), by name.' })
  providers!: Provider[];

  @Field(() => Provider, { nullable: true, description: 'The manufacturer of the network (it serves every country); null while the directory has none.' })
  manufacturer!: Provider | null;
}
