/**
 * The gateway serves any valid supergraph, not only this product's: two subgraphs written here
 * (a catalog and reviews: entities, @requires, @provides, an interface, a union), composed with
 * @apollo/composition, each an Apollo Server on 127.0.0.1:0, behind createGatewayService with every
 * plugin on (response cache, rate limit, limits, masking, signing, timeouts, metrics,
 * introspection). The product's own parts say once each that they are off.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';
import type { IncomingHttpHeaders } from 'node:http';
import { createGatewayService } from '../../gateway/gateway';
import { listen, type RunningServer } from '../../lib/http';
import { SIGNATURE_HEADER } from '../../lib/subgraph-signature';
import { captureLogs } from '../support/logs';

const FEDERATION =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

const products = [
  { upc: 'p1', name: 'Chair', price: 100, weight: 7 },
  { upc: 'p2', name: 'Lamp', price: 40, weight: 2 },
];
const media = [
  { __typename: 'Book', id: 'b1', title: 'On Chairs', pages: 120 },
  { __typename: 'Film', id: 'f1', title: 'Lamp Light', minutes: 95 },
];
const reviews = [
  { id: 'r1', body: 'Sturdy', upc: 'p1', author: 'ann' },
  { id: 'r2', body: 'Bright', upc: 'p2', author: 'bob' },
];

const catalog = {
  typeDefs: gql`
    ${FEDERATION}
    type Query {
      products: [Product!]!
      media: [Media!]!
      search(text: String!): [SearchResult!]!
      broken: String
      slow: String
    }
    "Something to read or watch."
    interface Media {
      id: ID!
      title: String!
    }
    type Book implements Media {
      id: ID!
      title: String!
      pages: Int!
    }
    type Film implements Media {
      id: ID!
      title: String!
      minutes: Int!
    }
    union SearchResult = Product | Book | Film
    type Product @key(fields: "upc") {
      upc: ID!
      "Shareable: the reviews subgraph provides it under a review."
      name: String! @shareable
      price: Int!
      weight: Int!
    }
  `,
  resolvers: {
    Query: {
      products: () => products,
      media: () => media,
      search: (_: unknown, { text }: { text: string }) =>
        [...products.map((p) => ({ __typename: 'Product', ...p })), ...media].filter((item) =>
          ('name' in item ? item.name : item.title).toLowerCase().includes(text.toLowerCase()),
        ),
      // An internal failure, with internals in its message: the gateway must mask it.
      broken: () => {
        throw new Error('connect ECONNREFUSED 10.1.2.3:5432 at /srv/catalog/db.js:12');
      },
      // Never answers while the test runs: the gateway's subgraph timeout answers instead.
      slow: () => new Promise(() => undefined),
    },
    Media: { __resolveType: (item: { __typename: string }) => item.__typename },
    SearchResult: { __resolveType: (item: { __typename: string }) => item.__typename },
    Product: { __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) },
  },
};

const reviewsSubgraph = {
  typeDefs: gql`
    ${FEDERATION}
    type Query {
      latestReviews: [Review!]!
    }
    type Review {
      id: ID!
      body: String!
      author: String!
      product: Product! @provides(fields: "name")
    }
    type Product @key(fields: "upc") {
      upc: ID!
      name: String! @external
      price: Int! @external
      weight: Int! @external
      "Shipping cost: from the price and weight the catalog knows."
      shippingEstimate: Int! @requires(fields: "price weight")
      reviews: [Review!]!
    }
  `,
  resolvers: {
    Query: { latestReviews: () => reviews },
    // @provides: the reviews subgraph knows the product's name itself.
    Review: { product: (review: { upc: string }) => ({ upc: review.upc, name: products.find((p) => p.upc === review.upc)!.name }) },
    Product: {
      shippingEstimate: (product: { price: number; weight: number }) => (product.price > 50 ? 0 : product.weight * 3),
      reviews: (product: { upc: string }) => reviews.filter((r) => r.upc === product.upc),
    },
  },
};

interface TestSubgraph {
  url: string;
  requests: { headers: IncomingHttpHeaders; query: string }[];
  stop(): Promise<void>;
}

async function startSubgraph(definition: { typeDefs: any; resolvers: any }): Promise<TestSubgraph> {
  const requests: TestSubgraph['requests'] = [];
  const server = new ApolloServer({ schema: buildSubgraphSchema(definition), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      requests.push({ headers: req.headers, query: String((req as unknown as { body?: { query?: string } }).body?.query ?? '') });
      return {};
    },
  });
  return { url, requests, stop: () => server.stop() };
}

const SECRET = 'a-subgraph-secret-of-at-least-32-bytes';
let subgraphs: Record<'catalog' | 'reviews', TestSubgraph>;
let gateway: RunningServer;
const warnings: string[] = [];

beforeAll(async () => {
  subgraphs = { catalog: await startSubgraph(catalog), reviews: await startSubgraph(reviewsSubgraph) };
  const composed = composeServices([
    { name: 'catalog', url: subgraphs.catalog.url, typeDefs: catalog.typeDefs },
    { name: 'reviews', url: subgraphs.reviews.url, typeDefs: reviewsSubgraph.typeDefs },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const warn = jest.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(String(line)));
  try {
    const service = await createGatewayService({
      supergraphSdl: composed.supergraphSdl,
      responseCache: true,
      rateLimit: { requests: 10_000, windowSeconds: 60 },
      subgraphSecret: SECRET,
      subgraphTimeoutMs: 1_000,
      jwtSecret: 'test-jwt-secret-of-at-least-32-bytes!',
      graphiql: true,
      introspection: true,
      exposeQueryPlans: true,
    });
    gateway = await listen(service, 0, '127.0.0.1');
  } finally {
    warn.mockRestore();
  }
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all(Object.values(subgraphs ?? {}).map((s) => s.stop()));
});

const ask = async (query: string, variables?: Record<string, unknown>) => {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any } };
};

test('the product’s own parts switch themselves off, one line each', () => {
  for (const part of ['directory change feed', 'API keys', 'support finder page'])
    expect(warnings.filter((line) => line.startsWith(part) && line.includes('no providers subgraph'))).toHaveLength(1);
});

test('entities across subgraphs, with @requires', async () => {
  const { status, body } = await ask('{ products { upc name shippingEstimate reviews { body author } } }');
  expect(status).toBe(200);
  expect(body).toEqual({
    data: {
      products: [
        { upc: 'p1', name: 'Chair', shippingEstimate: 0, reviews: [{ body: 'Sturdy', author: 'ann' }] },
        { upc: 'p2', name: 'Lamp', shippingEstimate: 6, reviews: [{ body: 'Bright', author: 'bob' }] },
      ],
    },
  });
});

test('@provides: the product’s name under a review comes from the reviews subgraph, without asking the catalog', async () => {
  const before = subgraphs.catalog.requests.length;
  const { body } = await ask('{ latestReviews { body product { name } } }');
  expect(body).toEqual({
    data: {
      latestReviews: [
        { body: 'Sturdy', product: { name: 'Chair' } },
        { body: 'Bright', product: { name: 'Lamp' } },
      ],
    },
  });
  expect(subgraphs.catalog.requests.length).toBe(before);
  // Its price is not provided: that one is fetched from the catalog.
  const priced = await ask('{ latestReviews { product { name price } } }');
  expect(priced.body.data.latestReviews.map((r: { product: { price: number } }) => r.product.price)).toEqual([100, 40]);
  expect(subgraphs.catalog.requests.length).toBe(before + 1);
});

test('an interface and a union, with entity fields inside the union', async () => {
  const media = await ask('{ media { __typename id title ... on Book { pages } ... on Film { minutes } } }');
  expect(media.body).toEqual({
    data: {
      media: [
        { __typename: 'Book', id: 'b1', title: 'On Chairs', pages: 120 },
        { __typename: 'Film', id: 'f1', title: 'Lamp Light', minutes: 95 },
      ],
    },
  });
  const search = await ask('query S($text: String!) { search(text: $text) { __typename ... on Product { name shippingEstimate } ... on Media { title } } }', {
    text: 'lamp',
  });
  expect(search.body).toEqual({
    data: {
      search: [
        { __typename: 'Product', name: 'Lamp', shippingEstimate: 6 },
        { __typename: 'Film', title: 'Lamp Light' },
      ],
    },
  });
});

test('introspection and __typename of this supergraph', async () => {
  const { body } = await ask('{ __typename __type(name: "Media") { kind possibleTypes { name } } products { upc } }');
  expect(body).toEqual({
    data: { __typename: 'Query', __type: { kind: 'INTERFACE', possibleTypes: [{ name: 'Book' }, { name: 'Film' }] }, products: [{ upc: 'p1' }, { upc: 'p2' }] },
  });
});

test('every subgraph request is signed', async () => {
  await ask('{ products { upc shippingEstimate } }');
  for (const subgraph of Object.values(subgraphs)) {
    expect(subgraph.requests.length).toBeGreaterThan(0);
    for (const request of subgraph.requests) expect(request.headers[SIGNATURE_HEADER]).toEqual(expect.any(String));
  }
});

test('the response cache answers a repeat without asking the subgraphs (no directory version)', async () => {
  const query = '{ media { id title } }';
  const first = await ask(query);
  const asked = subgraphs.catalog.requests.length;
  const second = await ask(query);
  expect(second.body).toEqual(first.body);
  expect(subgraphs.catalog.requests.length).toBe(asked);
  const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
  expect(metrics).toMatch(/gateway_response_cache_lookups_total\{result="hit"\} [1-9]/);
  expect(metrics).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{subgraph="catalog",result="ok"\} [1-9]/);
});

test('limits, masking and the subgraph timeout', async () => {
  const deep = await ask(`{ products { ${'reviews { product { '.repeat(6)}name${' } }'.repeat(6)} } }`);
  expect(deep.status).toBe(400);
  expect(deep.body.errors[0].extensions.code).toBe('OPERATION_TOO_DEEP');
  const broken = await ask('{ broken }');
  expect(broken.body.data).toEqual({ broken: null });
  expect(broken.body.errors[0].extensions).toEqual(expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) }));
  expect(JSON.stringify(broken.body)).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|\/srv\//);
  const slow = await ask('{ slow }');
  expect(slow.body.errors[0].extensions).toEqual(expect.objectContaining({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'catalog' }));
});

test("an internal error is logged once, under its error id and the request's id", async () => {
  const logs = captureLogs('info');
  try {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'broken-1' },
      body: JSON.stringify({ query: '{ broken }' }),
    });
    const { errorId } = ((await response.json()) as { errors: { extensions: { errorId: string } }[] }).errors[0].extensions;
    const lines = logs.records().filter((r) => r.event === 'unexpected_error' && r.errorId === errorId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'broken-1', service: 'gateway' });
  } finally {
    logs.restore();
  }
});

test('no support finder page and no API keys on this supergraph', async () => {
  expect((await fetch(new URL('/', gateway.url))).status).toBe(404);
  const keyed = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'onyx_0123456789abcdef0123456789abcdef' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(keyed.status).toBe(401);
  expect(((await keyed.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
});
