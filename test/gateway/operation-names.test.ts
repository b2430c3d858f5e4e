/**
 * Operation names are chosen by clients: the access line shows at most 100 characters of one (and
 * says it was cut), and a metric label is given only to an operation that ran (its name found in
 * the document); requests refused before that count as `other` and take no label of their own, so
 * refused junk cannot use up the labels real operations need.
 */
import { captureLogs, type CapturedLogs } from '../support/logs';
import { scrape } from '../support/prometheus';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let logs: CapturedLogs;
beforeAll(async () => {
  stack = await startTestStack();
  logs = captureLogs('info');
});
afterAll(async () => {
  logs?.restore();
  await stack?.close();
});

const send = (body: object) => fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const accessLines = () => logs.lines.filter((line) => line.includes('"event":"request"'));
const operationLabels = async () =>
  new Set(((await scrape(stack.url.replace(/\/graphql$/, '/metrics'))).samples.gateway_requests_total ?? []).map((s) => s.labels.operation));

test('an operationName of 500,000 characters is one short access line, marked as cut', async () => {
  const before = accessLines().length;
  const response = await send({ query: '{ __typename }', operationName: 'x'.repeat(500_000) });
  expect(response.status).toBe(400);
  await response.text();
  const lines = accessLines().slice(before);
  expect(lines).toHaveLength(1);
  expect(lines[0].length).toBeLessThan(1_000);
  const record = JSON.parse(lines[0]);
  expect(record.operationName).toBe(`${'x'.repeat(100)}…`);
  expect(record.operationNameTruncated).toBe(true);
});

test('a long name of an operation that ran is cut in the access line too', async () => {
  const name = `Q${'a'.repeat(5_000)}`;
  const before = accessLines().length;
  const response = await send({ query: `query ${name} { __typename }` });
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  const record = JSON.parse(accessLines().slice(before)[0]);
  expect(record.operationName).toHaveLength(101);
  expect(record.operationNameTruncated).toBe(true);
});

test('110 refused requests naming junk0…junk109 take no label; a real operation afterwards gets its own', async () => {
  for (let i = 0; i < 110; i++) {
    // Names not in the document: refused before anything runs.
    const response = await send({ query: 'query Real { __typename }', operationName: `junk${i}` });
    expect(response.status).toBe(400);
    await response.text();
  }
  const refused = await operationLabels();
  expect([...refused].filter((label) => label.startsWith('junk'))).toEqual([]);
  expect(refused.has('other')).toBe(true);

  expect((await send({ query: 'query SupportTopicsPage { supportTopics { id } }' })).status).toBe(200);
  expect((await operationLabels()).has('SupportTopicsPage')).toBe(true);
});

test('a name sent with a document that fails validation takes no label either', async () => {
  const response = await send({ query: 'query NoSuchField { nope }' });
  expect(response.status).toBe(400);
  await response.text();
  expect((await operationLabels()).has('NoSuchField')).toBe(false);
});
