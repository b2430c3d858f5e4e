/**
 * Limits on what one operation may ask, checked before anything is planned or fetched: the fields
 * it expands to (right after parsing), depth, aliases, tokens and directives (GraphQL Armor), root
 * fields and an estimated cost that counts list sizes (ours: it must know that `first` bounds a
 * page and that a support contact is a routing, which a generic cost plugin cannot).
 *
 * The expanded size is ours too: GraphQL Armor's plugins are validation rules, and validation
 * itself (overlapping fields, depth with fragments flattened) walks every expanded path, so a
 * document whose fragments each spread the one before twice keeps it busy for 2^levels steps. The
 * count here visits each fragment once and runs in the parse hook, before any validation rule.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { badUserInput, localizedError, withMessage } from '../../lib/errors';
import { message, type Message } from '../../lib/i18n/message';
import { pageSize } from '../../lib/page-size';

export interface OperationLimits {
  /** Deepest field nesting (fragments flattened; introspection is not counted). */
  maxDepth: number;
  /** Aliases in one operation. */
  maxAliases: number;
  /** Top-level fields in one operation. */
  maxRootFields: number;
  /** Lexical tokens in the document. */
  maxTokens: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Estimated cost (see operationCost). */
  maxCost: number;
  /** Field selections of an operation (or fragment) with every fragment spread expanded (see expandedFieldCount). */
  maxFields: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 1000,
  maxDirectives: 30,
  maxCost: 25_000,
  // Twice what the token limit lets an operation without fragments ask for: fragments may be
  // reused, not multiplied.
  maxFields: 2_000,
};

/** What a routing costs: it gathers a license, its holder's service area and the providers there. */
const ROUTING_COST = 10;
const FIELD_COSTS: Record<string, number> = { 'Query.supportContact': ROUTING_COST, 'License.supportContact': ROUTING_COST };
/** Assumed length of a list that has no `first` argument (topics, offers, contacts, ...). */
export const ASSUMED_LIST_SIZE = 10;

const limitError = (code: string, why: Message, extensions: Record<string, unknown> = {}) =>
  localizedError(why, { code, ...extensions, http: { status: 400 } });

/**
 * The estimated cost of an operation: 1 per object fetched, ROUTING_COST per support contact,
 * multiplied along lists by their size: a connection's page (lib/page-size.ts: `first`, 50 when left
 * out or null, literal or variable alike) for its `edges`, and ASSUMED_LIST_SIZE for any other list.
 * A `first` no page can have (below 0, above 500) throws BAD_USER_INPUT, as the subgraph would:
 * costing it as given would make the estimate negative.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | undefined, seen: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += costOf(selection.selectionSet, type, pageSize, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type && isCompositeType(type) && !seen.has(fragment.name.value)) {
          total += costOf(fragment.selectionSet, type, pageSize, new Set(seen).add(fragment.name.value));
        }
      } else {
        const field =
          isObjectType(parent) || 'getFields' in parent ? (parent as { getFields(): Record<string, any> }).getFields()[selection.name.value] : undefined;
        if (!field) continue; // __typename, introspection
        const named = getNamedType(field.type);
        // A field with `first` hands its page size to the list below it (`edges`).
        const childPageSize = field.args.some((a: { name: string }) => a.name === 'first')
          ? pageSizeAsked(
              selection.arguments?.find((a) => a.name.value === 'first'),
              variables,
            )
          : undefined;
        const isList = isListType(getNullableType(field.type));
        const multiplier = isList ? (pageSize ?? ASSUMED_LIST_SIZE) : 1;
        const own = FIELD_COSTS[`${parent.name}.${field.name}`] ?? (isCompositeType(named) ? 1 : 0);
        const children = selection.selectionSet && isCompositeType(named) ? costOf(selection.selectionSet, named, childPageSize, seen) : 0;
        total += multiplier * (own + children);
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, undefined, new Set());
}

/** The page a `first` argument (literal, variable or absent) will be served as; throws BAD_USER_INPUT when none can be. */
function pageSizeAsked(first: ArgumentNode | undefined, variables: Record<string, unknown>): number {
  const value: unknown = first ? valueFromASTUntyped(first.value, variables) : undefined;
  const page = pageSize(typeof value === 'number' ? value : value == null ? null : NaN);
  if ('refused' in page) throw badUserInput(page.refused, 'first');
  return page.size;
}

function rootFieldCount(document: DocumentNode, operationName: string | null | undefined): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const count = (selectionSet: SelectionSetNode, seen: Set<string>): number =>
    selectionSet.selections.reduce((n, s) => {
      if (s.kind === Kind.FIELD) return n + (s.name.value.startsWith('__') ? 0 : 1);
      if (s.kind === Kind.INLINE_FRAGMENT) return n + count(s.selectionSet, seen);
      const fragment = fragments.get(s.name.value);
      return fragment && !seen.has(s.name.value) ? n + count(fragment.selectionSet, new Set(seen).add(s.name.value)) : n;
    }, 0);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  return operation ? count(operation.selectionSet, new Set()) : 0;
}

/**
 * The largest number of field selections any operation or fragment definition of the document
 * stands for once every fragment spread is replaced by the fragment's fields, counting a field once
 * per place it is asked for (including `__typename` and introspection). Linear in the document:
 * each fragment's size is computed once and reused for every spread of it. A spread of an unknown
 * fragment counts 0 and a spread inside a fragment cycle counts 0 when met again (validation
 * refuses both). Sizes stop growing past `cap`, so even 2^1000 selections stay a finite number.
 */
export function expandedFieldCount(document: DocumentNode, cap = Number.MAX_SAFE_INTEGER): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const sizes = new Map<string, number>();
  const inProgress = new Set<string>();
  const fragmentSize = (name: string): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const size = selectionSize(fragment.selectionSet);
    inProgress.delete(name);
    sizes.set(name, size);
    return size;
  };
  const selectionSize = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += 1 + (selection.selectionSet ? selectionSize(selection.selectionSet) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += selectionSize(selection.selectionSet);
      else total += fragmentSize(selection.name.value);
      if (total > cap) return cap;
    }
    return total;
  };
  let largest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) largest = Math.max(largest, selectionSize(definition.selectionSet));
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) largest = Math.max(largest, fragmentSize(definition.name.value));
  }
  return largest;
}

/**
 * Refuses, as the parse result, a document that expands to more than `maxFields` fields: the
 * engine answers the parse error (400) and never validates, plans or runs it. The verdict is kept
 * per parsed document, which the engine's parse cache hands back for a repeated query.
 */
function expandedSizeLimit(maxFields: number): GatewayPlugin {
  const verdicts = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (!result || result instanceof Error || typeof result !== 'object' || (result as DocumentNode).kind !== Kind.DOCUMENT) return;
        const document = result as DocumentNode;
        let verdict = verdicts.get(document);
        if (verdict === undefined) {
          verdict =
            expandedFieldCount(document, maxFields + 1) > maxFields
              ? limitError('OPERATION_TOO_LARGE', message('limits.tooLarge', { maxFields }), { maxFields })
              : null;
          verdicts.set(document, verdict);
        }
        if (verdict) replaceParseResult(verdict);
      };
    },
  };
}

/**
 * Gives GraphQL Armor's rejections a code a client can act on, and our message in the reader's
 * language: the limit, and what the document was found to have, read from Armor's own
 * `exposeLimits` wording ("… limit of 12 exceeded, found 13."); without a count found there, Armor's English stays.
 */
const tagWith = (code: string, limit: number, said: (values: { limit: number; found: number }) => Message, counted = true) => ({
  exposeLimits: true,
  onReject: [
    (_context: unknown, error: GraphQLError) => {
      Object.assign(error.extensions as Record<string, unknown>, { code, http: { status: 400 } });
      const found = Number(/found (\d+)/.exec(error.message)?.[1]);
      if (!counted || Number.isInteger(found)) withMessage(error, said({ limit, found }));
    },
  ],
});

/**
 * graphql-js 16 validates no operation type against the schema's roots (the rule arrives in 17),
 * so `subscription { ... }` on a schema without subscriptions passed validation and reached the
 * query planner, which failed with an internal error. Refused here as a validation error instead.
 */
const answerableOperationTypes: GatewayPlugin = {
  onValidate({ addValidationRule }) {
    addValidationRule((context: ValidationContext) => ({
      OperationDefinition(node: OperationDefinitionNode) {
        const schema = context.getSchema();
        if (schema.getRootType(node.operation)) return;
        // Queries always; mutations where the supergraph has any (subscriptions are never planned).
        const mutations = String(Boolean(schema.getRootType(OperationTypeNode.MUTATION)));
        context.reportError(localizedError(message('limits.noSuchOperations', { operation: node.operation, mutations }), {}, { nodes: [node] }));
      },
    }));
  },
};

/**
 * Root fields and cost of an operation, kept per parsed document and operation name (the engine's
 * document cache hands the same document back for a repeated query): the cost is kept only when it
 * read no variable (a `first: $n` page makes it depend on the request), a refusal alike.
 */
interface KnownCost {
  roots: number;
  cost?: { value: number } | { error: GraphQLError };
}

function costOnce(
  known: WeakMap<DocumentNode, Map<string, KnownCost>>,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): { roots: number; cost: { value: number } | { error: GraphQLError } } {
  let byOperation = known.get(document);
  if (!byOperation) known.set(document, (byOperation = new Map()));
  let entry = byOperation.get(operationName ?? '');
  if (!entry) byOperation.set(operationName ?? '', (entry = { roots: rootFieldCount(document, operationName) }));
  if (entry.cost) return { roots: entry.roots, cost: entry.cost };
  let readVariables = false;
  const watched = new Proxy(variables, {
    get: (target, name) => ((readVariables = true), Reflect.get(target, name)),
    has: (target, name) => ((readVariables = true), Reflect.has(target, name)),
  });
  let cost: { value: number } | { error: GraphQLError };
  try {
    cost = { value: operationCost(schema, document, operationName, watched) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    cost = { error };
  }
  if (!readVariables) entry.cost = cost;
  return { roots: entry.roots, cost };
}

export function useOperationLimits(limits: OperationLimits): GatewayPlugin[] {
  const known = new WeakMap<DocumentNode, Map<string, KnownCost>>();
  const costAndRootFields: GatewayPlugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const { roots, cost: costed } = costOnce(known, args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
      if (roots > limits.maxRootFields) {
        return setResultAndStopExecution({
          errors: [
            limitError('TOO_MANY_ROOT_FIELDS', message('limits.rootFields', { roots, max: limits.maxRootFields }), {
              rootFields: roots,
              maxRootFields: limits.maxRootFields,
            }),
          ],
        });
      }
      // Refused as a whole before anything runs, not field by field by a subgraph while the other
      // fields are fetched; answered as the subgraph answers it (HTTP 200, BAD_USER_INPUT).
      if ('error' in costed) return setResultAndStopExecution({ errors: [costed.error] });
      const cost = costed.value;
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [limitError('OPERATION_TOO_EXPENSIVE', message('limits.cost', { cost, max: limits.maxCost }), { cost, maxCost: limits.maxCost })],
        });
      }
    },
  };
  return [
    expandedSizeLimit(limits.maxFields),
    answerableOperationTypes,
    maxTokensPlugin({ n: limits.maxTokens, ...tagWith('TOO_MANY_TOKENS', limits.maxTokens, (v) => message('limits.tokens', v), false) }) as GatewayPlugin,
    maxDepthPlugin({
      n: limits.maxDepth,
      flattenFragments: true,
      ...tagWith('OPERATION_TOO_DEEP', limits.maxDepth, (v) => message('limits.depth', v)),
    }) as GatewayPlugin,
    maxAliasesPlugin({ n: limits.maxAliases, ...tagWith('TOO_MANY_ALIASES', limits.maxAliases, (v) => message('limits.aliases', v)) }) as GatewayPlugin,
    maxDirectivesPlugin({
      n: limits.maxDirectives,
      ...tagWith('TOO_MANY_DIRECTIVES', limits.maxDirectives, (v) => message('limits.directives', v)),
    }) as GatewayPlugin,
    costAndRootFields,
  ];
}
