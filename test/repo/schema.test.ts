/**
 * schema/ is generated (npm run schema) and committed: it must equal what the code produces,
 * compose without hints, keep docs/api.md's pinned GraphQL core, and describe every type and field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { produceSchemaFiles, readCommittedSchemaFile, type SchemaFiles } from '../../app/schema-files';

let produced: SchemaFiles;
let api: GraphQLSchema;
beforeAll(async () => {
  produced = await produceSchemaFiles();
  api = Supergraph.build(produced.files['supergraph.graphql']).apiSchema().toGraphQLJSSchema();
});

test('the committed schema files are what the code produces (run `npm run schema` after changing it)', () => {
  for (const [file, content] of Object.entries(produced.files)) {
    expect({ file, content: readCommittedSchemaFile(file) }).toEqual({ file, content });
  }
});

test('composition gives no hints', () => {
  expect(produced.hints).toEqual([]);
});

test('the pinned core of docs/api.md is in the supergraph with the same types and arguments (in any order)', () => {
  const core = buildSchema(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'contract-core.graphql'), 'utf8'));
  for (const type of Object.values(core.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const actual = api.getType(type.name);
    expect({ type: type.name, exists: !!actual }).toEqual({ type: type.name, exists: true });
    if (isEnumType(type)) {
      expect(isEnumType(actual) && actual.getValues().map((v) => v.name)).toEqual(type.getValues().map((v) => v.name));
    }
    if (isObjectType(type) && isObjectType(actual)) {
      for (const field of Object.values(type.getFields())) {
        const got = actual.getFields()[field.name];
        const coordinate = `${type.name}.${field.name}`;
        expect({ coordinate, type: got && String(got.type) }).toEqual({ coordinate, type: String(field.type) });
        // Pinned arguments keep their types; arguments the project added must be optional.
        const args = (f: typeof field) => Object.fromEntries(f.args.map((a) => [a.name, String(a.type)]));
        expect({ coordinate, args: args(got) }).toEqual({ coordinate, args: expect.objectContaining(args(field)) });
        const added = got.args.filter((a) => !field.args.some((p) => p.name === a.name));
        expect({ coordinate, requiredAdded: added.filter((a) => isNonNullType(a.type)).map((a) => a.name) }).toEqual({ coordinate, requiredAdded: [] });
      }
    }
  }
});

test('every type, field, argument and enum value of the API schema has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(api.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type) || getNamedType(type) !== type) continue;
    if (!type.description) missing.push(type.name);
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
  }
  expect(missing).toEqual([]);
});

test('schema/api.graphql is the API clients see: the supergraph without federation’s join__/link__ machinery', () => {
  const file = produced.files['api.graphql'];
  expect(file).not.toMatch(/join__|link__|@join|@link/);
  const clientTypes = Object.keys(buildSchema(file).getTypeMap())
    .filter((name) => !name.startsWith('__'))
    .sort();
  const apiTypes = Object.keys(api.getTypeMap())
    .filter((name) => !name.startsWith('__'))
    .sort();
  expect(clientTypes).toEqual(apiTypes);
});
