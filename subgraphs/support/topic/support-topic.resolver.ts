import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { categoryName, topicName } from './topic-names';
import type { SupportContext } from '../context';
import { SupportCategory } from '../category/support-category.entity';
import { SupportTopic } from './support-topic.entity';

@Resolver(() => SupportTopic)
export class SupportTopicResolver {
  @Query(() => [SupportTopic], { description: 'All support topics, in the order of the vendor page.' })
  supportTopics(@Ctx() { catalogue }: SupportContext): readonly SupportTopic[] {
    return catalogue.topics;
  }

  @Query(() => SupportTopic, { nullable: true, description: 'One support topic by id; null when there is none.' })
  supportTopic(
    @Arg('id', () => ID, { description: 'Topic id, e.g. "server-installation".' }) id: string,
    @Ctx() { catalogue }: SupportContext,
  ): SupportTopic | null {
    return catalogue.topicById.get(id) ?? null;
  }

  @FieldResolver(() => String, { description: 'Display name in the reader\'s language (Accept-Language), e.g. "Server installation"; the id never changes.' })
  name(@Root() topic: SupportTopic, @Ctx() { language }: SupportContext): string {
    return topicName(topic, language);
  }

  @Query(() => [SupportCategory], { description: 'The three support categories.' })
  supportCategories(@Ctx() { catalogue }: SupportContext): readonly SupportCategory[] {
    return catalogue.categories;
  }
}

@Resolver(() => SupportCategory)
export class SupportCategoryNameResolver {
  @FieldResolver(() => String, { description: 'Display name in the reader\'s language (Accept-Language), e.g. "Technical support"; the id never changes.' })
  name(@Root() category: SupportCategory, @Ctx() { language }: SupportContext): string {
    return categoryName(category, language);
  }
}
