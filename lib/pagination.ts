/**
 * Cursor-paginated lists as docs/guide.md "Lists" pins them: `first` (default 50, at most 500) and
 * `after` (an opaque cursor), answering `{ edges { cursor node } pageInfo { hasNextPage endCursor }
 * totalCount }`. Pages are read by key (keyset: `where key > cursor order by key limit first + 1`),
 * so a page costs the same at the end of a long list as at its start, and a row inserted or
 * removed meanwhile never shifts the next page.
 */
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badUserInput } from './errors';
import type { SubgraphEM } from './orm';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize } from './page-size';
import { message } from './i18n/message';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/** Shared by every subgraph that has a list, hence @shareable (composition merges the copies). */
@ObjectType({ description: 'Where a page of a list stands in the whole list.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'Whether more items follow this page; ask for them with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item of this page; null when the page is empty.' })
  endCursor!: string | null;
}

/** The arguments of every paginated list; the gateway's cost limit reads `first` by this name. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (an `endCursor` or edge `cursor` of an earlier page).' })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** The `<Name>Connection` and `<Name>Edge` types of one list, e.g. `LicenseConnection`. */
export function connectionType<T extends object>(node: ClassType<T>, name: string, nodes: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name.toLowerCase()} of a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item; pass it as `after` to continue behind it.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name.toLowerCase()}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${nodes}, in a stable order.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: `The ${nodes} of this page, in order.` })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to continue from.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${nodes} match the filters in all (not only this page).` })
    totalCount!: number;
  }
  return ConnectionType;
}

// A cursor is the key of the row it points at, wrapped so that clients treat it as opaque and a
// later change of the ordering can be told apart by its prefix.
const CURSOR_PREFIX = 'key:';

export const encodeCursor = (key: string) => Buffer.from(CURSOR_PREFIX + key, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  // Node decodes base64 leniently (skipping stray characters): only a cursor that re-encodes to
  // itself is one we issued.
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX) || encodeCursor(text.slice(CURSOR_PREFIX.length)) !== cursor) {
    throw badUserInput(message('argument.cursor', { cursor }), 'after');
  }
  return text.slice(CURSOR_PREFIX.length);
}

/** `first` and `after` checked: a page size within bounds and the key to continue after, if any. */
export function pageArguments({ first, after }: PageArgs): { size: number; afterKey: string | null } {
  const page = pageSize(first);
  if ('refused' in page) throw badUserInput(page.refused, 'first');
  return { size: page.size, afterKey: after == null ? null : decodeCursor(after) };
}

/** How a list is ordered by its key: ascending strings unless told otherwise. */
export interface PageOrder {
  /** Highest key first (a trail, newest first). */
  descending?: boolean;
  /** The key is an integer column: its cursors hold decimal digits and compare as numbers. */
  integerKey?: boolean;
}

/**
 * One page of `entity` rows matching `where`, ordered by the primary key `key`: two statements (the
 * page, one row more to learn whether another page follows; and the count).
 */
export async function findPage<T extends object, K extends keyof T & string>(
  em: SubgraphEM,
  entity: EntityName<T>,
  key: K,
  where: FilterQuery<T>,
  args: PageArgs,
  order: PageOrder = {},
): Promise<Connection<T>> {
  const { size, afterKey } = pageArguments(args);
  let after: string | number | null = afterKey;
  if (afterKey !== null && order.integerKey) {
    if (!/^\d{1,15}$/.test(afterKey)) throw badUserInput(message('argument.cursor', { cursor: args.after! }), 'after');
    after = Number(afterKey);
  }
  const direction = order.descending ? 'desc' : 'asc';
  const beyond = order.descending ? '$lt' : '$gt';
  const pageWhere = (after === null ? where : { $and: [where, { [key]: { [beyond]: after } }] }) as FilterQuery<T>;
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, { orderBy: { [key]: direction } as any, limit: size + 1 }),
    em.count(entity, where),
  ]);
  const edges = rows.slice(0, size).map((node) => ({ cursor: encodeCursor(String(node[key])), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
