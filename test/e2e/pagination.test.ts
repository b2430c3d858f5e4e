/**
 * `licenses(...)` is a cursor-paginated list (docs/guide.md "Lists"), through the gateway over HTTP:
 * default and maximum page size, walking every page with `after`, filters kept, bad `first` and
 * `after` are BAD_USER_INPUT naming the argument, and a page reads only its own rows from SQL.
 */
import { manyLicenses, networkDirectory, licenses as fixedLicenses } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const EXTRA = 620;
const ALL = fixedLicenses.length + EXTRA;
const allKeys = [...fixedLicenses, ...manyLicenses(EXTRA)].map((l) => l.key).sort();

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory(manyLicenses(EXTRA)) });
});
afterAll(() => stack?.close());

const PAGE = `query ($first: Int, $after: String, $vendorId: ID, $country: String, $status: LicenseStatus) {
  licenses(first: $first, after: $after, vendorId: $vendorId, country: $country, status: $status) {
    edges { cursor node { key vendor { id } holder { country } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

async function page(variables: Record<string, unknown>) {
  const { status, body } = await stack.graphql(PAGE, variables);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.licenses as {
    edges: { cursor: string; node: { key: string; vendor: { id: string } | null; holder: { country: string } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

async function walk(variables: Record<string, unknown>) {
  const keys: string[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const { edges, pageInfo, totalCount } = await page({ ...variables, after });
    keys.push(...edges.map((e) => e.node.key));
    if (edges.length > 0) expect(pageInfo.endCursor).toBe(edges[edges.length - 1].cursor);
    if (!pageInfo.hasNextPage) return { keys, pages, totalCount };
    after = pageInfo.endCursor;
  }
}

test('without arguments: the first 50 by key, with the total count', async () => {
  const { edges, pageInfo, totalCount } = await page({});
  expect(edges.map((e) => e.node.key)).toEqual(allKeys.slice(0, 50));
  expect(pageInfo).toEqual({ hasNextPage: true, endCursor: edges[49].cursor });
  expect(totalCount).toBe(ALL);
});

test('walking with after visits every license once, in key order', async () => {
  const byDefault = await walk({});
  expect(byDefault).toEqual({ keys: allKeys, pages: Math.ceil(ALL / 50), totalCount: ALL });
  const byLargest = await walk({ first: 500 });
  expect(byLargest).toEqual({ keys: allKeys, pages: 2, totalCount: ALL });
  const byOdd = await walk({ first: 7 });
  expect(byOdd.keys).toEqual(allKeys);
});

test('the filters stay: totalCount and pages count only matching licenses', async () => {
  const { keys, totalCount } = await walk({ vendorId: 'beta', country: 'AT', first: 40 });
  const expected = [...fixedLicenses, ...manyLicenses(EXTRA)]
    .filter((l) => l.vendorId === 'beta' && l.holder.country === 'AT')
    .map((l) => l.key)
    .sort();
  expect(expected.length).toBeGreaterThan(40);
  expect(keys).toEqual(expected);
  expect(totalCount).toBe(expected.length);
});

test('the last page and first: 0', async () => {
  const last = await page({ first: 500, after: (await page({ first: 500 })).pageInfo.endCursor });
  expect(last.edges).toHaveLength(ALL - 500);
  expect(last.pageInfo).toEqual({ hasNextPage: false, endCursor: last.edges[last.edges.length - 1].cursor });

  const none = await page({ first: 0 });
  expect(none).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null }, totalCount: ALL });

  const empty = await page({ vendorId: 'nobody' });
  expect(empty).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
});

test.each([
  [{ first: 501 }, 'first', '501'],
  [{ first: -1 }, 'first', '-1'],
  [{ after: 'not a cursor' }, 'after', 'not a cursor'],
  [{ after: Buffer.from('offset:3').toString('base64url') }, 'after', Buffer.from('offset:3').toString('base64url')],
  [{ after: '' }, 'after', '""'],
])('%j is BAD_USER_INPUT naming the argument', async (variables, argumentName, shown) => {
  const { status, body } = await stack.graphql(PAGE, variables);
  expect(status).toBe(200);
  // Hive's executor leaves `data` out where graphql-js would write null; either way there is no page.
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
  expect(body.errors[0].message).toContain(`argument ${argumentName}`);
  expect(body.errors[0].message).toContain(shown);
});

test('a page reads its own rows only: one LIMITed select and one count', async () => {
  stack.statements.licenses.length = 0;
  const second = await page({ first: 10, after: (await page({ first: 10 })).pageInfo.endCursor });
  expect(second.edges.map((e) => e.node.key)).toEqual(allKeys.slice(10, 20));
  const selects = stack.statements.licenses.filter((s) => /select/i.test(s));
  expect(selects).toHaveLength(4); // two pages, each one page select and one count
  expect(selects.filter((s) => /limit/i.test(s))).toHaveLength(2);
  expect(selects.filter((s) => /count\(/i.test(s))).toHaveLength(2);
});
