import axe from 'axe-core';
import { mkdir, writeFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
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

/** A new page that keeps every error the browser reports on it: script errors, CSP refusals, failed loads. */
export async function pageKeepingErrors(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page; browserErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const browserErrors: string[] = [];
  page.on('pageerror', (error) => browserErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') browserErrors.push(message.text());
  });
  return { page, browserErrors };
}

/** `url` in a new page, with the errors the browser reports there kept. */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}) {
  const { page, browserErrors } = await pageKeepingErrors(browser, options);
  const response = await page.goto(url);
  return { page, response, browserErrors };
}

/** The whole page as `test-results/{name}.png`, for a person to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const screenshot = await page.screenshot({ fullPage: true });
  if (screenshot.subarray(1, 4).toString() !== 'PNG') throw new Error(`the screenshot ${name} is no PNG`);
  await mkdir('test-results', { recursive: true });
  await writeFile(`test-results/${name}.png`, screenshot);
}

/** What the disclosure button named `name` (an Accordion's) shows: the element its `aria-controls` names. */
export async function disclosedPanel(page: Page, name: string) {
  const panelId = await page.getByRole('button', { name, exact: true }).getAttribute('aria-controls');
  if (!panelId) throw new Error(`the button ${name} discloses nothing`);
  return page.locator(`[id="${panelId}"]`);
}
