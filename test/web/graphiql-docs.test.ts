/**
 * GraphiQL's Docs panel in Chromium: GraphiQL introspects the gateway when it loads, so the schema
 * explorer lists the root types and their fields, with descriptions (no "Error fetching schema").
 * Skipped without Chromium, except under REQUIRE_BROWSER=1 (test/web/browser.test.ts says how).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasBrowser = fs.existsSync(executablePath);

(hasBrowser ? describe : describe.skip)('GraphiQL in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startTestStack({ gateway: { graphiql: true, introspection: true } });
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('the Docs panel shows the schema: Query, its fields and their descriptions', async () => {
    const page = await browser.newPage();
    // Under its Content-Security-Policy (gateway/http/content-security-policy.ts): nothing refused.
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const introspected: number[] = [];
    page.on('response', async (response) => {
      if (response.request().method() === 'POST' && (response.request().postData() ?? '').includes('__schema')) introspected.push(response.status());
    });
    await page.goto(stack.url);
    await page.locator('.graphiql-container').first().waitFor();
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    const explorer = page.locator('.graphiql-doc-explorer');
    await explorer.getByText('Query', { exact: true }).first().click();
    await explorer.getByText('supportContact', { exact: true }).first().waitFor();
    await explorer.getByText('supportContact', { exact: true }).first().click();
    // The field's own description, from the subgraph through the supergraph.
    await explorer
      .getByText(/licenseKey/)
      .first()
      .waitFor();
    expect(await page.getByText('Error fetching schema').count()).toBe(0);
    expect(introspected.length).toBeGreaterThan(0);
    expect(introspected.every((status) => status === 200)).toBe(true);
    expect(violations).toEqual([]);
  });
});
