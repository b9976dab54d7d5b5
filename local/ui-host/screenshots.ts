/**
 * `npm run ui-screenshots`: the local UI host's pages in Chromium, cropped to the card, a settings
 * tab or one component, written as PNGs to `docs/ui-host/` (docs/ui-host.md shows them beside
 * HubSpot's own images). It starts its own in-memory stack on free ports, the one the tests use
 * (seeded demo portal, 80 generated customers for the report), so `npm start` need not run.
 *
 *   npm run ui-screenshots              all of them
 *   npm run ui-screenshots -- card-deal-303 report-chart    only these (names without .png)
 *
 * Chromium as the tests find it (CHROMIUM_PATH, PATH, known paths). Viewport 1000×800 at scale 1,
 * each crop at most 800 px high (the deal's card 1100), so every PNG stays small.
 */
import { Client } from '@hubspot/api-client';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.js';
import { startTestStack } from '../../test/support/local-stack.js';
import { demoPortalId } from '../demo/car-dealer.js';
import { generateDemoCustomers } from '../demo/generate-customers.js';

const outputDirectory = new URL('../../docs/ui-host/', import.meta.url);
const viewport = { width: 1000, height: 800 };
const maxHeight = 800;
/** Room around a component's crop, so its border and focus ring show. */
const margin = 8;

type Stack = Awaited<ReturnType<typeof startTestStack>>;

interface Shot {
  name: string;
  path: string;
  /** Gets the page to the state shown and answers the element to crop to. */
  prepare: (page: Page) => Promise<Locator>;
  /** The crop's height limit, when the default would cut off what the picture is for. */
  maxHeight?: number;
}

const settingsTab = (title: string) => async (page: Page) => {
  await page.getByRole('tab', { name: title }).click();
  return page.getByRole('tabpanel', { name: title });
};

/** A part of the report tab: its heading's section. */
const reportSection = (heading: string) => async (page: Page) => {
  await page.getByRole('tab', { name: 'Report' }).click();
  const title = page.getByRole('heading', { name: heading, exact: true });
  await title.waitFor();
  return title.locator('xpath=..');
};

const openReportChart = async (page: Page) => {
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.locator('[data-testid^="weakest-"]').first().waitFor();
  await page.getByRole('button', { name: 'The offer' }).click();
  const chart = page.locator('figure:visible', { hasText: 'Answers by light' }).first();
  await chart.waitFor();
  return chart;
};

const shots: Shot[] = [
  // Record pages: the card as HubSpot shows an app card on a record.
  { name: 'card-deal-303', path: '/ui/record/deal/303', prepare: async (page) => cardOf(page, 'touchpoint-offer'), maxHeight: 1100 },
  { name: 'card-contact-101', path: '/ui/record/contact/101', prepare: async (page) => cardOf(page) },
  { name: 'record-page-deal-303', path: '/ui/record/deal/303', prepare: async (page) => (await cardOf(page, 'touchpoint-offer'), page.locator('.hs-record')) },
  // Components inside the card.
  { name: 'status-tag', path: '/ui/record/deal/303', prepare: async (page) => page.locator('.hs-status-tag').first().locator('xpath=ancestor::tr[1]') },
  { name: 'table', path: '/ui/record/deal/303', prepare: async (page) => (await cardOf(page, 'touchpoint-offer'), page.locator('.hs-table-wrap').nth(1)) },
  // The settings page and its four tabs.
  { name: 'settings-touchpoints', path: '/ui/settings', prepare: async (page) => (await settingsTab('Touchpoints')(page), page.locator('.hs-settings')) },
  { name: 'settings-portal', path: '/ui/settings', prepare: settingsTab('Portal settings') },
  { name: 'settings-report', path: '/ui/settings', prepare: async (page) => (await openReportChart(page), page.getByRole('tabpanel', { name: 'Report' })) },
  { name: 'report-waiting-times', path: '/ui/settings', prepare: reportSection('Waiting times') },
  { name: 'report-deal-outcomes', path: '/ui/settings', prepare: reportSection('Won and lost deals') },
  { name: 'report-interviews', path: '/ui/settings', prepare: reportSection('Customers to interview') },
  {
    name: 'report-comment-themes',
    path: '/ui/settings',
    prepare: async (page) => {
      await openReportChart(page);
      return page.getByTestId('themes-offer');
    },
  },
  // Components on the settings page.
  { name: 'tabs', path: '/ui/settings', prepare: async (page) => (await page.getByRole('tab', { name: 'Report' }).waitFor(), page.getByRole('tablist')) },
  { name: 'bar-chart', path: '/ui/settings', prepare: openReportChart },
  {
    name: 'modal',
    path: '/ui/settings',
    prepare: async (page) => {
      await page.getByTestId('touchpoint-delivery').getByRole('button', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      return dialog;
    },
  },
  // Last, as they change the portal: an admin saves a touchpoint (a success Alert above the list),
  // and the change shows in Recent changes.
  {
    name: 'alert',
    path: '/ui/settings',
    prepare: async (page) => {
      await page.getByTestId('touchpoint-offer').getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('Send the survey after').fill('3');
      await page.getByRole('button', { name: 'Save touchpoint' }).click();
      const alert = page.locator('.hs-alert--success').first();
      await alert.waitFor();
      return alert;
    },
  },
  { name: 'settings-recent-changes', path: '/ui/settings', prepare: settingsTab('Recent changes') },
];

/** The card (the record page's `main`) once the extension has drawn it. */
async function cardOf(page: Page, testId?: string): Promise<Locator> {
  const card = page.locator('main.hs-frame');
  if (testId) await page.getByTestId(testId).waitFor();
  else await card.locator('.hs-table, .hs-state, .hs-alert').first().waitFor();
  return card;
}

async function shoot(browser: Browser, stack: Stack, shot: Shot): Promise<{ name: string; bytes: number }> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    const response = await page.goto(`${stack.info.appUrl}${shot.path}`);
    if (response?.status() !== 200) throw new Error(`${shot.path} answered ${response?.status()}`);
    const target = await shot.prepare(page);
    await target.waitFor();
    // Fonts, and no caret or hover left on the picture.
    await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
    await page.mouse.move(0, 0);
    // Page coordinates: the page scrolled to its top, where a fixed dialog sits where it shows.
    await page.evaluate(() => (globalThis as unknown as { scrollTo: (x: number, y: number) => void }).scrollTo(0, 0));
    const box = await target.boundingBox();
    if (!box) throw new Error(`${shot.name}: nothing to crop to`);
    const pageSize = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number } } }).document.documentElement;
      return { width: root.scrollWidth, height: root.scrollHeight };
    });
    const x = Math.max(0, Math.floor(box.x - margin));
    const y = Math.max(0, Math.floor(box.y - margin));
    const clip = {
      x,
      y,
      width: Math.min(pageSize.width - x, Math.ceil(box.width + 2 * margin)),
      height: Math.min(pageSize.height - y, shot.maxHeight ?? maxHeight, Math.ceil(box.height + 2 * margin)),
    };
    const png = await page.screenshot({ clip, fullPage: true, animations: 'disabled', caret: 'hide' });
    if (problems.length > 0) throw new Error(`${shot.path}: ${problems.join('; ')}`);
    const file = new URL(`${shot.name}.png`, outputDirectory);
    await writeFile(file, png);
    return { name: shot.name, bytes: (await stat(file)).size };
  } finally {
    await page.close();
  }
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !shots.some((shot) => shot.name === name));
  if (unknown.length > 0) throw new Error(`No screenshot named ${unknown.join(', ')}; there are ${shots.map(({ name }) => name).join(', ')}`);
  const chosen = names.length > 0 ? shots.filter(({ name }) => names.includes(name)) : shots;
  await mkdir(outputDirectory, { recursive: true });
  const [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  try {
    // Answers enough for the report's weakest-first table and its charts, as in the report's e2e test.
    await generateDemoCustomers(stack.store, new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl }), demoPortalId, 80, new Date());
    for (const shot of chosen) {
      const { name, bytes } = await shoot(browser, stack, shot);
      console.log(`${join('docs/ui-host', `${name}.png`)}  ${Math.round(bytes / 1024)} KB`);
    }
  } finally {
    await browser.close();
    await stack.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
