import { mkdir, writeFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchChromium } from '../support/browser.js';
import { startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the local card preview', () => {
  it('shows demo deal 303 with red, yellow and green lights and its promise kept late, as a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${stack.info.appUrl}/preview/deal/303`);

    await expect(page.getByRole('listitem').textContent()).resolves.toBe('Sales meeting — Deal reaches Offer sent within 2 days — kept 5 days late');
    // Runs in the page; this file is type-checked without the DOM library, hence the narrow casts.
    const tagColours = await page.locator('.tag').evaluateAll((tags) => {
      const style = (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle;
      return tags.map((tag) => `${(tag as { textContent: string | null }).textContent}:${style(tag).backgroundColor}`);
    });
    expect(tagColours).toEqual(
      expect.arrayContaining(['Green:rgb(229, 248, 246)', 'Yellow:rgb(254, 248, 240)', 'Red:rgb(253, 232, 233)', 'Not asked yet:rgb(234, 240, 246)']),
    );
    expect(await accessibilityViolations(page)).toEqual([]);

    const screenshot = await page.screenshot({ fullPage: true });
    expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
    await mkdir('test-results', { recursive: true });
    await writeFile('test-results/card-preview-deal-303.png', screenshot);
  });

  it('explains how to use it for something that is not a record', async () => {
    const response = await fetch(`${stack.info.appUrl}/preview/ticket/1`);
    expect([response.status, await response.text()]).toEqual([404, 'Preview a contact, company or deal: /preview/deal/301']);
  });
});
