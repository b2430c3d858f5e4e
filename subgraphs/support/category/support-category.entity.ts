import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { ProviderRole, SupportCategoryId } from '../../../lib/domain';

@Entity({ tableName: 'support_category' })
@ObjectType({ description: 'One of the three support categories of the vendor page: what it contains, who provides it, whether it is obligatory.' })
export class SupportCategory {
  @PrimaryKey({ type: 'string', length: 40 })
  @Field(() => SupportCategoryId, { description: 'The category.' })
  id!: SupportCategoryId;

  @Property({ length: 100 })
  @Field({ description: 'Display name, e.g. "Technical support".' })
  name!: string;

  @Property({ type: 'text' })
  @Field({ description: 'What the category covers (seed wording).' })
  content!: string;

  @Property({ type: 'json' })
  @Field(() => [ProviderRole], { description: 'The roles that provide it.' })
  providedBy!: ProviderRole[];

  @Property()
  @Field({ description: 'Whether every license must have it (software maintenance).' })
  obligatory!: boolean;
}
