/**
 * Browser tests under the pages' Content-Security-Policy: axe-core is evaluated through the
 * DevTools protocol (a `<script>` tag added to the page would be refused by the policy, as it
 * should be), and every violation the browser reports is collected, so a test can say the page
 * did everything it does without needing more than the policy allows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT } from './build';

const AXE_SOURCE = () => fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Loads axe-core into the page (as `window.axe`) without an inline script. */
export async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  await page.evaluate(AXE_SOURCE());
}

/** Collects into `violations` the Content-Security-Policy violations the browser reports on every page of `context`, from now on. */
export function watchPolicyViolations(context: BrowserContext, violations: string[]): string[] {
  const watch = (page: Page) =>
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return violations;
}
