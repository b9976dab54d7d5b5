import { Client } from '@hubspot/api-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchChromium, openPage, saveScreenshot } from '../support/browser.js';
import { announceAnswer, answered, closeRatedDeals } from '../support/closed-deals.js';
import { startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  await closeRatedDeals(stack, new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl }));
  // Ingrid (deal 303, still at the offer) rated it red: her deal is at risk.
  await announceAnswer(stack, '303', 'offer', '103', await answered(stack, '303', 'offer', '103', 3));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('won and lost deals on the report tab in the local HubSpot UI host', () => {
  it('shows the offer’s win rates by light, red against the rest, a chart and the deals at risk, with no accessibility violations', async () => {
    const { page, browserErrors } = await openPage(browser, `${stack.info.appUrl}/ui/settings`);
    await page.getByRole('tab', { name: 'Report' }).click();

    const offer = page.getByTestId('outcomes-offer');
    await offer.waitFor();
    await expect(offer.textContent()).resolves.toContain('33% won (4 of 12)');
    await expect(offer.textContent()).resolves.toContain('75% won (9 of 12)');
    await expect(offer.textContent()).resolves.toMatch(/-42 points \(95% interval -\d+ to -\d+\)/);
    await expect(page.locator('figure', { hasText: 'The offer: win rate by light' }).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('at-risk-303').textContent()).resolves.toContain('Toyota RAV4 Hybrid – Ingrid Haugen');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await saveScreenshot(page, 'ui-host-deal-outcomes');
  }, 30_000);
});
