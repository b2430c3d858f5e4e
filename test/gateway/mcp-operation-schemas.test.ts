/**
 * gateway/mcp/operation-schemas.ts, rule by rule: a tool's input schema from its operation's
 * variables and its output schema from the operation's selections, against a small schema; and
 * every real tool's document against the committed supergraph (a document that stops fitting the
 * schema stops the gateway, naming the tool).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { z } from 'zod';
import { operationSchemas } from '../../gateway/mcp/operation-schemas';
import { prepareTools } from '../../gateway/mcp/tool-server';
import { ASSISTANT_TOOLS } from '../../gateway/mcp/tools';

const schema = buildSchema(`
  enum Kind { A B }
  type Item { id: ID!, "How many." count: Int, kinds: [Kind!]!, price: Float, open: Boolean }
  type Query {
    items(
      "The country, ISO 3166-1 alpha-2."
      country: String!
      kind: Kind
      keys: [ID!]
      first: Int
    ): [Item!]!
    item(id: ID!): Item
  }
`);

const schemasOf = (document: string) => operationSchemas(schema, document);
const inputOf = (document: string) => z.object(schemasOf(document).variables);

describe('input: the operation’s variables', () => {
  const ITEMS = `query Items($country: String!, $kind: Kind, $keys: [ID!], $first: Int) { items(country: $country, kind: $kind, keys: $keys, first: $first) { id } }`;

  test('a non-null variable is required, a nullable one optional', () => {
    expect(inputOf(ITEMS).safeParse({ country: 'AT' }).success).toBe(true);
    expect(inputOf(ITEMS).safeParse({}).success).toBe(false);
  });

  test('a variable with a default is optional even when non-null', () => {
    const input = inputOf(`query Items($country: String! = "AT") { items(country: $country) { id } }`);
    expect(input.safeParse({}).success).toBe(true);
  });

  test('types: enums by their values, lists as arrays, Int as a 32-bit whole number', () => {
    const input = inputOf(ITEMS);
    expect(input.safeParse({ country: 'AT', kind: 'A', keys: ['1', '2'], first: 5 }).success).toBe(true);
    expect(input.safeParse({ country: 'AT', kind: 'C' }).success).toBe(false);
    expect(input.safeParse({ country: 'AT', keys: '1' }).success).toBe(false);
    expect(input.safeParse({ country: 'AT', first: 1.5 }).success).toBe(false);
    expect(input.safeParse({ country: 'AT', first: 2 ** 31 }).success).toBe(false);
    expect(input.safeParse({ country: 7 }).success).toBe(false);
  });

  test('each variable is described by the argument it is passed to', () => {
    expect(schemasOf(ITEMS).variables.country.description).toBe('The country, ISO 3166-1 alpha-2.');
    expect(schemasOf(ITEMS).variables.first.description).toBeUndefined();
  });
});

describe('output: the operation’s data', () => {
  test('selected fields only, non-null required, nullable fields and items may be null, descriptions kept', () => {
    const { data } = schemasOf(`query One($id: ID!) { item(id: $id) { id count kinds price open } }`);
    expect(data.safeParse({ item: { id: '1', count: null, kinds: ['A'], price: 1.5, open: true } }).success).toBe(true);
    expect(data.safeParse({ item: null }).success).toBe(true);
    expect(data.safeParse({ item: { id: null, count: 1, kinds: [], price: null, open: null } }).success).toBe(false);
    expect(data.safeParse({ item: { id: '1', count: 1, kinds: ['Z'], price: null, open: null } }).success).toBe(false);
    expect(z.toJSONSchema(data)).toMatchObject({
      properties: { item: { anyOf: [{ properties: { count: { description: 'How many.' } } }, { type: 'null' }] } },
    });
  });

  test('aliases are the keys; a field under @include may be absent', () => {
    const { data } = schemasOf(`query Two($all: Boolean!) { first: item(id: "1") { id } items(country: "AT") @include(if: $all) { id } }`);
    expect(data.safeParse({ first: { id: '1' } }).success).toBe(true);
    expect(data.safeParse({ first: { id: '1' }, items: [{ id: '2' }] }).success).toBe(true);
    expect(data.safeParse({ item: { id: '1' } }).success).toBe(false);
  });
});

describe('a document that does not fit is refused, naming why', () => {
  test.each([
    ['an unknown field', `query Bad { item(id: "1") { colour } }`, /colour/],
    ['an unnamed operation', `{ item(id: "1") { id } }`, /named operation/],
    ['a fragment', `query Frag { item(id: "1") { ...F } } fragment F on Item { id }`, /only fields/],
  ])('%s', (_what, document, reason) => {
    expect(() => schemasOf(document)).toThrow(reason);
  });
});

test('every tool’s document fits the committed supergraph, and the tool list stays small enough for a model’s context', () => {
  const supergraph = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema/supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
  const prepared = prepareTools(supergraph);
  expect([...prepared.keys()]).toEqual(ASSISTANT_TOOLS.map((tool) => tool.name));
  // What tools/list sends for the tool with every tool: descriptions and both JSON Schemas.
  const listed = JSON.stringify(
    [...prepared.values()].map(({ tool, input, output }) => ({
      description: tool.description,
      input: z.toJSONSchema(z.object(input)),
      output: z.toJSONSchema(output),
    })),
  );
  expect(listed.length).toBeLessThan(64 * 1024);
  // my_routing_standing's provider is the caller itself: not an input.
  expect(Object.keys(prepared.get('my_routing_standing')!.input)).toEqual(['holderLanguage']);
  expect(Object.keys(prepared.get('provider_routing_standing')!.input)).toEqual(['providerId', 'holderLanguage']);
});
