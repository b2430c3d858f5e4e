import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { ServiceKind, SupportLevel } from '../../../lib/domain';
import { SupportCategory } from '../category/support-category.entity';

@Entity({ tableName: 'support_topic' })
@ObjectType({ description: 'A problem a practice can need help with; its category and level decide who is contacted.' })
export class SupportTopic {
  @PrimaryKey({ type: 'string', length: 60 })
  @Field(() => ID, { description: 'Stable topic id, part of the public API, e.g. "server-installation".' })
  id!: string;

  @Property({ length: 100 })
  @Field({ description: "Name in the vendor page's wording." })
  name!: string;

  @ManyToOne(() => SupportCategory, { eager: true })
  @Field(() => SupportCategory, { description: 'The category the topic belongs to.' })
  category!: SupportCategory;

  @Enum({ items: () => SupportLevel, nullable: true })
  @Field(() => SupportLevel, { nullable: true, description: 'Level 0 or Level 1 for technical support topics; null otherwise.' })
  level?: SupportLevel | null;

  @Enum({ items: () => ServiceKind, nullable: true })
  @Field(() => ServiceKind, {
    nullable: true,
    description: "The price-list service that covers this topic in providers' offers; null for software maintenance.",
  })
  service?: ServiceKind | null;

  @Property()
  position!: number;
}
