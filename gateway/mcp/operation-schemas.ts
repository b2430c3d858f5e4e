/**
 * A tool's input and output schemas, read from its trusted document against the schema the
 * gateway serves: the input is the operation's variables (their GraphQL types, required when
 * non-null, each described by the argument it is passed to), the output is the shape of the
 * operation's data (the selected fields with their types, nullability and descriptions). Derived,
 * not written by hand, so that a tool's schemas cannot drift from the API it runs: a document that
 * does not fit the schema stops the gateway at start, naming the tool.
 *
 * Zod (v4) schemas, because that is what the SDK's McpServer validates arguments and
 * structuredContent with and turns into the JSON Schemas of `tools/list`.
 */
import { z } from 'zod';
import {
  getNamedType,
  getOperationAST,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  Kind,
  parse,
  typeFromAST,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface OperationSchemas {
  operationName: string;
  /** Each variable's schema, by variable name (optional when the variable may be null). */
  variables: Record<string, z.ZodType>;
  /** The operation's `data`. */
  data: z.ZodObject;
}

const INT_32 = 2 ** 31;

function scalar(type: GraphQLNamedType): z.ZodType {
  switch (type.name) {
    case 'ID':
    case 'String':
      return z.string();
    // GraphQL's Int is 32-bit: a larger number is refused here, with the reason, not by the engine.
    case 'Int':
      return z
        .number()
        .int()
        .min(-INT_32)
        .max(INT_32 - 1);
    case 'Float':
      return z.number();
    case 'Boolean':
      return z.boolean();
    default:
      return z.unknown();
  }
}

function enumOrScalar(type: GraphQLNamedType): z.ZodType {
  if (isEnumType(type)) return z.enum(type.getValues().map((value) => value.name) as [string, ...string[]]);
  return scalar(type);
}

function inputSchema(type: GraphQLInputType): z.ZodType {
  if (isNonNullType(type)) return inputSchema(type.ofType);
  if (isListType(type)) return z.array(requiredInput(type.ofType));
  // No tool takes an input object; one that did would need its fields described here first.
  if (isInputObjectType(type)) throw new Error(`input object ${type.name} is not supported as a tool input`);
  return enumOrScalar(type);
}
const requiredInput = (type: GraphQLInputType): z.ZodType => (isNonNullType(type) ? inputSchema(type) : inputSchema(type).nullable());

/** What a field of this type answers: null allowed unless the type is non-null. */
function outputSchema(type: GraphQLOutputType, selections: SelectionSetNode | undefined, schema: GraphQLSchema): z.ZodType {
  return isNonNullType(type) ? presentOutput(type.ofType, selections, schema) : presentOutput(type, selections, schema).nullable();
}

/** A value of a nullable type, when it is not null. */
function presentOutput(type: GraphQLOutputType, selections: SelectionSetNode | undefined, schema: GraphQLSchema): z.ZodType {
  if (isListType(type)) return z.array(outputSchema(type.ofType, selections, schema));
  if (isObjectType(type) && selections) return objectSchema(type.name, selections, schema);
  return enumOrScalar(type as GraphQLNamedType);
}

function objectSchema(typeName: string, selectionSet: SelectionSetNode, schema: GraphQLSchema): z.ZodObject {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const shape: Record<string, z.ZodType> = {};
  for (const selection of selectionSet.selections) {
    // The tools' documents select fields only: fragments would need their type conditions merged here.
    if (selection.kind !== Kind.FIELD) throw new Error(`only fields are supported in a tool's document (found a ${selection.kind})`);
    const key = selection.alias?.value ?? selection.name.value;
    if (selection.name.value === '__typename') {
      shape[key] = z.string();
      continue;
    }
    const field = type.getFields()[selection.name.value];
    let fieldSchema = outputSchema(field.type, selection.selectionSet, schema);
    if (field.description) fieldSchema = fieldSchema.describe(field.description);
    // A field under @include/@skip may be absent from the answer.
    shape[key] = selection.directives?.some((d) => d.name.value === 'include' || d.name.value === 'skip') ? fieldSchema.optional() : fieldSchema;
  }
  return z.object(shape);
}

/** The schemas of `document`'s one operation; throws naming what does not fit the schema. */
export function operationSchemas(schema: GraphQLSchema, document: string): OperationSchemas {
  const ast = parse(document);
  const problems = validate(schema, ast);
  if (problems.length) throw new Error(problems.map((problem) => problem.message).join('; '));
  const operation = getOperationAST(ast);
  if (!operation?.name) throw new Error('a tool runs exactly one named operation');
  // Each variable is described by the argument it is passed to (the schema's own words).
  const argumentDescriptions = new Map<string, string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    ast,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const description = typeInfo.getArgument()?.description;
        if (node.value.kind === Kind.VARIABLE && description && !argumentDescriptions.has(node.value.name.value))
          argumentDescriptions.set(node.value.name.value, description);
      },
    }),
  );
  const variables: Record<string, z.ZodType> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType;
    let variable = isNonNullType(type) && !definition.defaultValue ? inputSchema(type) : inputSchema(type).optional();
    // Else the type's own description (an enum's), never a built-in scalar's generic one.
    const named = getNamedType(type);
    const description = argumentDescriptions.get(name) ?? (isSpecifiedScalarType(named) ? undefined : named.description);
    if (description) variable = variable.describe(description);
    variables[name] = variable;
  }
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`the schema has no ${operation.operation} type`);
  return { operationName: operation.name.value, variables, data: objectSchema(root.name, operation.selectionSet, schema) };
}
