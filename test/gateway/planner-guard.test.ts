/**
 * The planner guard (gateway/upstream/planner-guard.ts): an operation that would make the Rust query planner
 * abort the process is found in a probe process and refused with QUERY_PLANNING_FAILED, and the
 * gateway keeps answering.
 */
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

test('a query that makes the Rust query planner panic is refused, and the gateway keeps answering', async () => {
  // router-runtime 1.4.23 aborts the process on this one (a Rust panic in merge_path.rs).
  const panicking = `{ supportContact(licenseKey: "L-VENDOR", topic: "training") {
    contacts { name offers(current: true) { title } }
    license { holder { serviceArea { providers { name offers(current: true) { title } } } } } } }`;
  for (let i = 0; i < 2; i++) {
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: panicking }) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    // No stack trace, file path or internal address in what the client reads.
    expect(text).not.toMatch(/<html|<!DOCTYPE|\bat \S+ \(|\/work\/|node_modules|127\.0\.0\.1:\d+/i);
    const body = JSON.parse(text);
    expect(body.errors[0].extensions.code).toBe('QUERY_PLANNING_FAILED');
    expect(body.errors[0].message).toContain('crashed the query planner');
  }
  const { body } = await stack.graphql(`{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { name offers(current: true) { title } } } }`);
  expect(body.errors).toBeUndefined();
  expect(body.data.supportContact.contacts.length).toBeGreaterThan(0);
});
