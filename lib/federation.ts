/**
 * The one place where a type-graphql schema becomes an Apollo Federation 2 subgraph schema.
 * type-graphql prints the schema with its @Directive()s; @apollo/subgraph adds _entities/_service.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import gql from 'graphql-tag';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@shareable"])
`;

const QUERY_DESCRIPTION = 'The OnyxCeph³ support directory: providers and their prices, licenses, support topics, and whom to contact.';

export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  // __resolveReference per entity type; they must batch through the request's DataLoaders.
  referenceResolvers: GraphQLResolverMap<any>,
): Promise<GraphQLSchema> {
  // skipCheck: a subgraph may legitimately have no Query of its own for some types.
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  // type-graphql cannot describe the root type; analytics tools read every description.
  const queryType = schema.getQueryType();
  if (queryType) queryType.description = QUERY_DESCRIPTION;
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<any>;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(typeResolvers as object) } as any;
  }
  return buildSubgraphSchema({
    typeDefs: gql(FEDERATION_LINK + printSchemaWithDirectives(schema)),
    resolvers,
  });
}
