/**
 * Fragments that each spread the one before twice pass the token, depth and alias limits in a few
 * hundred bytes but stand for 2^levels selections. The gateway measures an operation with its
 * fragments expanded (each fragment once) right after parsing, and refuses one that is too large
 * with OPERATION_TOO_LARGE before validation, planning or execution; the next query is answered.
 */
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

/** `{ <root> { ...F<levels> } }` with F0 = `fields` and F<n> = `...F<n-1> ...F<n-1>`. */
function doubling(levels: number, root: string, type: string, fields: string): string {
  const fragments = [`fragment F0 on ${type} { ${fields} }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on ${type} { ...F${i - 1} ...F${i - 1} }`);
  return `${root.replace('%', `...F${levels}`)} ${fragments.join(' ')}`;
}

async function send(query: string) {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, text: await response.text() };
}

function expectRefused(answer: { status: number; text: string }) {
  expect(answer.status).toBe(400);
  const body = JSON.parse(answer.text);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions).toMatchObject({ code: 'OPERATION_TOO_LARGE', maxFields: expect.any(Number) });
  expect(body.errors[0].message).toMatch(/fields once its fragments are expanded/);
}

const SIMPLE = '{ supportTopics { id name } }';
async function expectSimpleQueryAnswered() {
  const { status, body } = await stack.graphql(SIMPLE, undefined, null);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.supportTopics.length).toBeGreaterThan(0);
}

test("the review's 979-byte request (20 levels) is refused as OPERATION_TOO_LARGE, and a simple query is answered next", async () => {
  const query = doubling(20, '{ supportTopics { % } }', 'SupportTopic', 'id name');
  expect(Buffer.byteLength(JSON.stringify({ query }))).toBeLessThan(1000);
  expectRefused(await send(query));
  await expectSimpleQueryAnswered();
});

test.each([30, 50])('%i levels are refused the same way', async (levels) => {
  expectRefused(await send(doubling(levels, '{ supportTopics { % } }', 'SupportTopic', 'id name')));
  await expectSimpleQueryAnswered();
});

test('spreads under supportContact are measured too', async () => {
  const query = doubling(20, '{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { % } } }', 'Provider', 'id name');
  expectRefused(await send(query));
  // Only the subgraphs' own work counts: nothing was routed.
  await expectSimpleQueryAnswered();
});

test('many distinct fragments spread side by side count as what they expand to', async () => {
  // Ten fragments of 7 fields (J), ten fragments spreading all of them (K), three roots spreading
  // every K: 3 * 10 * 10 * 7 = 2,100 fields from about 500 tokens, no fragment spread twice in one place.
  const js = Array.from({ length: 10 }, (_, i) => `fragment J${i} on SupportTopic { id name level service category { id name } }`);
  const ks = Array.from({ length: 10 }, (_, i) => `fragment K${i} on SupportTopic { ${js.map((_, j) => `...J${j}`).join(' ')} }`);
  const spreads = ks.map((_, k) => `...K${k}`).join(' ');
  expectRefused(await send(`{ supportTopics { ${spreads} } a: supportTopics { ${spreads} } b: supportTopics { ${spreads} } } ${[...js, ...ks].join(' ')}`));
  // Two roots (1,400 fields) are within the limit and answered.
  const { body } = await stack.graphql(`{ supportTopics { ${spreads} } a: supportTopics { ${spreads} } } ${[...js, ...ks].join(' ')}`, undefined, null);
  expect(body.errors).toBeUndefined();
  expect(body.data.a.length).toBeGreaterThan(0);
});

test('fragments that expand to a large operation within the token limit are refused; a realistic use of fragments runs', async () => {
  // Seven fragments, each spreading the one before three times: 5,831 fields without an alias.
  const chain = ['fragment H0 on SupportTopic { id name level service category { id name } }'];
  for (let i = 1; i <= 6; i++) chain.push(`fragment H${i} on SupportTopic { category { id } ...H${i - 1} ...H${i - 1} ...H${i - 1} }`);
  expectRefused(await send(`{ supportTopics { ...H6 } } ${chain.join(' ')}`));

  const realistic = `query Page { supportTopics { ...Topic } providers(country: "AT") { ...Contact offers(current: true) { id title } } }
    fragment Topic on SupportTopic { id name level category { id name } }
    fragment Contact on Provider { id name email phone website }`;
  const { body } = await stack.graphql(realistic, undefined, null);
  expect(body.errors).toBeUndefined();
  expect(body.data.providers.length).toBeGreaterThan(0);
});

test('a fragment cycle is refused by validation, and measuring it does not loop', async () => {
  const answer = await send('{ supportTopics { ...A } } fragment A on SupportTopic { id ...B } fragment B on SupportTopic { name ...A }');
  expect(answer.status).toBe(400);
  expect(JSON.parse(answer.text).errors[0].message).toMatch(/Cannot spread fragment "A" within itself/);
  await expectSimpleQueryAnswered();
});
