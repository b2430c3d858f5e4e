/**
 * The one place where a type-graphql schema becomes an Apollo Federation 2 subgraph schema.
 * type-graphql prints the schema with its @Directive()s; @apollo/subgraph adds _entities/_service.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import gql from 'graphql-tag';
import { defaultFieldResolver, getNamedType, isObjectType, Kind, parse, type GraphQLField, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { idArgument } from './arguments';

const FEDERATION_LINK = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@shareable"])
`;

const QUERY_DESCRIPTION = 'The OnyxCeph³ support directory: providers and their prices, licenses, support topics, and whom to contact.';
const MUTATION_DESCRIPTION =
  'Changes to the directory, each by whom docs/rules.md allows: partners keep their own profile and prices; admins withdraw offers, (de)activate providers and issue API keys.';

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
  const mutationType = schema.getMutationType();
  if (mutationType) mutationType.description = MUTATION_DESCRIPTION;
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<any>;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(typeResolvers as object) } as any;
  }
  return guardIds(
    buildSubgraphSchema({
      typeDefs: gql(FEDERATION_LINK + printSchemaWithDirectives(schema)),
      resolvers,
    }),
  );
}

/**
 * Every `ID` argument, and every key field of an `_entities` representation, is checked before its
 * resolver runs: a key with a control character (a NUL byte) is BAD_USER_INPUT naming it, instead
 * of reaching the database and coming back as a driver error. Done once on the built schema, so
 * only the fields that take ids pay for it.
 */
function guardIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const ids = field.args.filter((arg) => getNamedType(arg.type).name === 'ID').map((arg) => arg.name);
      if (ids.length > 0) wrapResolver(field, (args) => ids.forEach((name) => checkIds(args[name], name)));
    }
  }
  const entities = schema.getQueryType()?.getFields()._entities;
  if (entities) {
    const keyPaths = entityKeyPaths(schema);
    wrapResolver(entities, (args) => {
      for (const representation of (args.representations ?? []) as Record<string, unknown>[]) {
        for (const path of keyPaths.get(String(representation?.__typename)) ?? []) {
          const value = path.reduce<unknown>((at, name) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[name] : undefined), representation);
          checkIds(value, `${representation.__typename}.${path.join('.')}`);
        }
      }
    });
  }
  return schema;
}

function wrapResolver(field: GraphQLField<unknown, unknown>, check: (args: Record<string, unknown>) => void): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    check(args);
    return resolve(source, args, context, info);
  };
}

function checkIds(value: unknown, name: string): void {
  if (typeof value === 'string') idArgument(value, name);
  else if (Array.isArray(value)) value.forEach((item) => checkIds(item, name));
}

/** Per entity type, the paths of the leaf fields of its @key selections (`license { key }` -> license.key). */
function entityKeyPaths(schema: GraphQLSchema): Map<string, string[][]> {
  const paths = new Map<string, string[][]>();
  const leaves = (selectionSet: SelectionSetNode, prefix: string[]): string[][] =>
    selectionSet.selections.flatMap((selection) =>
      selection.kind !== Kind.FIELD
        ? []
        : selection.selectionSet
          ? leaves(selection.selectionSet, [...prefix, selection.name.value])
          : [[...prefix, selection.name.value]],
    );
  for (const type of Object.values(schema.getTypeMap())) {
    const keys = [type.astNode, ...(type.extensionASTNodes ?? [])].flatMap((node) => node?.directives ?? []).filter((d) => d.name.value === 'key');
    for (const key of keys) {
      const fields = key.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      const operation = parse(`{ ${fields.value} }`).definitions[0];
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      paths.set(type.name, [...(paths.get(type.name) ?? []), ...leaves(operation.selectionSet, [])]);
    }
  }
  return paths;
}
