/**
 * Introspection (`__schema`, `__type`, `__typename`) is answered by the gateway from the supergraph's
 * API schema, never planned: the Rust planner refuses `__schema`/`__type` ("No paths found for
 * selection item"), and the runtime (router-runtime 1.4.23) answers them itself only when they come
 * first among the root fields as plain fields. So an operation's root selection is split here:
 * the introspection fields are executed locally with graphql-js, the rest goes to the planner, and
 * the two answers are put together in the order the operation asked for them. Hand-written because
 * neither the runtime nor Yoga splits a mixed operation; the planner guard probes the same planned
 * part (plannedPart).
 *
 * INTROSPECTION=off refuses `__schema` and `__type` (not `__typename`, which clients add to every
 * selection) with INTROSPECTION_DISABLED, at validation, before anything is planned.
 * INTROSPECTION=signed-in (production's default) refuses them to the anonymous caller only: a
 * partner's codegen with its API key, the partner portal and the dashboard after sign-in read the
 * schema, while an anonymous visitor of a public deployment does not map it.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  execute,
  Kind,
  getOperationAST,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ASTVisitor,
  type DefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { SettingValues } from '../../lib/settings';
import { identityOf } from '../identity/identity';
import { localizedError } from '../../lib/errors';
import { message } from '../../lib/i18n/message';
import type { MessageId } from '../../lib/i18n/translate';

const SCHEMA_FIELDS = new Set(['__schema', '__type']);

/** true: everyone may introspect; false: nobody; 'signed-in': callers with a verified identity. */
export type IntrospectionPolicy = boolean | 'signed-in';

/** INTROSPECTION=on|off|signed-in; unset: on, except signed-in when NODE_ENV=production. */
export function introspectionEnabled(settings: Pick<SettingValues, 'INTROSPECTION' | 'NODE_ENV'>): IntrospectionPolicy {
  return settings.INTROSPECTION ?? (settings.NODE_ENV === 'production' ? 'signed-in' : true);
}

type Keep = (field: FieldNode) => boolean;

/**
 * The operation with only the root fields `keep` accepts (through inline fragments and fragments
 * spread at the root), or undefined when none is left. Other operations are dropped.
 */
function withRootFields(document: DocumentNode, operation: OperationDefinitionNode, keep: Keep): DocumentNode | undefined {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const rootFragments = new Map<string, FragmentDefinitionNode | undefined>();
  const filter = (selectionSet: SelectionSetNode): SelectionSetNode | undefined => {
    const selections = selectionSet.selections.flatMap((selection): SelectionNode[] => {
      if (selection.kind === Kind.FIELD) return keep(selection) ? [selection] : [];
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = filter(selection.selectionSet);
        return inner ? [{ ...selection, selectionSet: inner }] : [];
      }
      const name = selection.name.value;
      if (!rootFragments.has(name)) {
        const fragment = fragments.get(name);
        rootFragments.set(name, undefined); // a cycle is a validation error, but never loop on it
        const inner = fragment && filter(fragment.selectionSet);
        rootFragments.set(name, inner && fragment ? { ...fragment, selectionSet: inner } : undefined);
      }
      return rootFragments.get(name) ? [selection] : [];
    });
    return selections.length ? { ...selectionSet, selections } : undefined;
  };
  const selectionSet = filter(operation.selectionSet);
  if (!selectionSet) return undefined;
  // Fragments used below the root stay as they are; those spread at the root are filtered.
  const definitions = document.definitions.flatMap((d): DefinitionNode[] => {
    if (d === operation) return [{ ...operation, selectionSet }];
    if (d.kind !== Kind.FRAGMENT_DEFINITION) return [];
    if (!rootFragments.has(d.name.value)) return [d];
    const filtered = rootFragments.get(d.name.value);
    return filtered ? [filtered] : [];
  });
  return { ...document, definitions };
}

const asksSchema = (operation: OperationDefinitionNode, document: DocumentNode): boolean =>
  withRootFields(document, operation, (field) => SCHEMA_FIELDS.has(field.name.value)) !== undefined;

/** Per parsed document and operation: what the planner gets (undefined: nothing, all is introspection). */
const planned = new WeakMap<DocumentNode, Map<string, { document: DocumentNode | undefined; split: boolean }>>();

function split(document: DocumentNode, operationName: string | null | undefined) {
  let byOperation = planned.get(document);
  if (!byOperation) planned.set(document, (byOperation = new Map()));
  let found = byOperation.get(operationName ?? '');
  if (!found) {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation !== 'query' || !asksSchema(operation, document)) found = { document, split: false };
    else {
      const rest = withRootFields(document, operation, (field) => !SCHEMA_FIELDS.has(field.name.value) && field.name.value !== '__typename');
      found = { document: rest && withRootFields(document, operation, (field) => !SCHEMA_FIELDS.has(field.name.value)), split: true };
    }
    byOperation.set(operationName ?? '', found);
  }
  return found;
}

/** What of this operation the query planner is given: undefined when the gateway answers all of it. */
export function plannedPart(document: DocumentNode, operationName: string | null | undefined): DocumentNode | undefined {
  return split(document, operationName).document;
}

/** The response keys of the root selection, in the order the operation asks for them. */
function responseKeys(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const keys: string[] = [];
  withRootFields(document, operation, (field) => {
    keys.push(field.alias?.value ?? field.name.value);
    return true;
  });
  return [...new Set(keys)];
}

function merge(document: DocumentNode, operation: OperationDefinitionNode, local: ExecutionResult, remote: ExecutionResult): ExecutionResult {
  const errors = [...(remote.errors ?? []), ...(local.errors ?? [])];
  // A non-null root field that failed makes the whole answer null, as one execution would.
  let data: Record<string, unknown> | null = null;
  if (remote.data && local.data) {
    data = {};
    for (const key of responseKeys(document, operation)) {
      if (key in remote.data) data[key] = remote.data[key];
      else if (key in local.data) data[key] = local.data[key];
    }
  }
  return { ...remote, data, ...(errors.length ? { errors } : {}) };
}

/** A validation rule refusing `__schema` and `__type`, each naming itself, with `why`. */
const refusing =
  (why: MessageId) =>
  (context: ValidationContext): ASTVisitor => ({
    Field(node) {
      if (!SCHEMA_FIELDS.has(node.name.value)) return;
      context.reportError(localizedError(message(why, { field: node.name.value }), { code: 'INTROSPECTION_DISABLED' }, { nodes: node }));
    },
  });
// Named functions: Yoga's validation cache keys its results by the names of the rules in force.
const refuseIntrospection = Object.defineProperty(refusing('gateway.introspectionOff'), 'name', {
  value: 'refuseIntrospection',
});
const refuseAnonymousIntrospection = Object.defineProperty(refusing('gateway.introspectionSignedIn'), 'name', { value: 'refuseAnonymousIntrospection' });

export function useIntrospection(options: { enabled: IntrospectionPolicy }): GatewayPlugin {
  if (options.enabled === false) {
    return {
      onValidate({ addValidationRule }) {
        addValidationRule(refuseIntrospection);
      },
    };
  }
  return {
    onValidate({ context, addValidationRule }) {
      if (options.enabled === 'signed-in' && identityOf((context as { req?: unknown } | undefined)?.req).role === 'anonymous') {
        addValidationRule(refuseAnonymousIntrospection);
      }
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const { document, split: mixed } = split(args.document, args.operationName);
      if (!mixed) return;
      const operation = getOperationAST(args.document, args.operationName)!;
      const introspection = withRootFields(args.document, operation, (field) => SCHEMA_FIELDS.has(field.name.value) || field.name.value === '__typename')!;
      const local = (executionArgs: ExecutionArgs) => execute({ ...executionArgs, document: introspection }) as ExecutionResult | Promise<ExecutionResult>;
      if (!document) return setExecuteFn(local);
      setExecuteFn(async (executionArgs) => {
        const [localResult, remoteResult] = await Promise.all([local(executionArgs), executeFn({ ...executionArgs, document })]);
        return merge(args.document, operation, localResult, remoteResult as ExecutionResult);
      });
    },
  };
}
