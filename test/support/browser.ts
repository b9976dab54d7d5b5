import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from './chromium.js';

/**
 * The machine's Chromium (chromium.ts finds it; .ci/run installs Debian's), headless, with the
 * flags that keep it off a closed network.
 */
export function launchChromium(): Promise<Browser> {
  const chromiumSearch = findChromium();
  if (!chromiumSearch.found) throw new Error(chromiumSearch.problem);
  return chromium.launch({
    executablePath: chromiumSearch.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * axe-core's violations on the page as it is now: WCAG 2.1 A/AA and best practices, or only the
 * rules of the `tags` given (a mail has no landmarks of its own: the mail client's page holds it).
 */
export async function accessibilityViolations(page: Page, tags?: string[]): Promise<{ id: string; help: string; nodes: number }[]> {
  // Evaluated over the DevTools protocol, so a page's strict CSP (no inline scripts) does not refuse it.
  await page.evaluate(axe.source);
  // Runs in the page, where axe is a global now; this file is type-checked without the DOM library.
  const results = await page.evaluate(
    (only) => (globalThis as unknown as { axe: typeof axe }).axe.run({ resultTypes: ['violations'], ...(only ? { runOnly: { type: 'tag', values: only } } : {}) }),
    tags,
  );
  return results.violations.map(({ id, help, nodes }) => ({ id, help, nodes: nodes.length }));
}
