import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchChromium, saveScreenshot } from '../support/browser.js';
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

describe('the local home page', () => {
  it('answers / with the page, not a 404', async () => {
    const response = await fetch(`${stack.info.appUrl}/`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });

  it('links the demo records’ cards by name, the settings page and the mail catcher, with no accessibility violations, as a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${stack.info.appUrl}/`);

    const href = (name: string) => page.getByRole('link', { name, exact: true }).first().getAttribute('href');
    await expect(href('Toyota RAV4 Hybrid – Ingrid Haugen')).resolves.toBe(`${stack.info.appUrl}/ui/record/deal/303`);
    await expect(href('Anders Jensen')).resolves.toBe(`${stack.info.appUrl}/ui/record/contact/101`);
    await expect(href('Bergen Byggservice AS')).resolves.toBe(`${stack.info.appUrl}/ui/record/company/204`);
    await expect(href('settings page')).resolves.toBe(`${stack.info.appUrl}/ui/settings`);
    await expect(href('mail catcher')).resolves.toBe(stack.info.sesUrl);
    await expect(page.getByRole('heading', { name: 'Try it: the five-minute story' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('#story + ol > li').count()).resolves.toBe(5);
    for (const url of [stack.info.sandboxUrl, stack.info.dynamoEndpoint]) await expect(page.getByText(url).count()).resolves.toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'home-page');
  });

  it('advances the clock with its button and shows the new time', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.info.appUrl}/`);
    await page.getByLabel('Advance the clock by').fill('3h');
    await page.getByRole('button', { name: 'Advance' }).click();
    await page.waitForURL(/advanced=3h/);

    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Advanced by 3h: \d+ surveys? and \d+ reminders? sent/);
    await expect(page.locator('#clock + p').textContent()).resolves.toContain('(3h ahead of this machine)');
    expect(stack.clock.offsetMs).toBe(3 * 3_600_000);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
