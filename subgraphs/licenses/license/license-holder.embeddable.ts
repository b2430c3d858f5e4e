import { Embeddable, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { ServiceAreaReference } from '../references/service-area.reference-type';

@Embeddable()
@ObjectType({ description: 'The practice that holds a license.' })
export class LicenseHolder {
  @Property({ length: 200 })
  @Field({ description: 'Practice name.' })
  name!: string;

  @Property({ length: 2 })
  @Field({ description: 'Country of the practice (ISO 3166-1 alpha-2).' })
  country!: string;

  @Property({ length: 2 })
  @Field({ description: 'Language of the practice (ISO 639-1).' })
  language!: string;

  @Property({ length: 30, nullable: true })
  @Field(() => String, { nullable: true, description: 'VAT identification number; null when the holder has none.' })
  vatId?: string | null;

  @Field(() => ServiceAreaReference, { description: "The providers serving the holder's country (resolved by the providers subgraph)." })
  get serviceArea(): ServiceAreaReference {
    return { country: this.country };
  }
}
