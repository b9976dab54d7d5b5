import { Client } from '@hubspot/api-client';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { generateDemoCustomers } from '../../local/demo/generate-customers.js';
import { startGateway } from '../../local/gateway.js';
import { hostPageCsp } from '../../local/ui-host/pages.js';
import { uiHostRoutes } from '../../local/ui-host/routes.js';
import { accessibilityViolations, disclosedPanel, launchChromium, openPage, saveScreenshot } from '../support/browser.js';
import { hubspotFetchAs, startTestStack } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A page of the host, with every error the browser reports kept. */
const openHostPage = (path: string) => openPage(browser, `${stack.info.appUrl}${path}`);

describe('the card in the local HubSpot UI host', () => {
  it('renders deal 303 from the crm-app card: the deal’s name, its lights, comments and the promise kept late, with no accessibility violations', async () => {
    const { page, response, browserErrors } = await openHostPage('/ui/record/deal/303');
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Toyota RAV4 Hybrid – Ingrid Haugen');

    // Rows by the test ids TouchpointRow.tsx gives them: rendered by the extension's own code.
    const offer = page.getByTestId('touchpoint-offer');
    await offer.waitFor();
    await expect(offer.textContent()).resolves.toContain('Red');
    await expect(offer.textContent()).resolves.toContain('Tilbudet kom først etter en uke.');
    await expect(page.getByTestId('touchpoint-test-drive').textContent()).resolves.toContain('Green');
    await expect(page.getByTestId('touchpoint-sales-meeting').textContent()).resolves.toContain('Yellow');
    // The seed's promise of an offer within 2 days was kept 5 days late: no missed alert, a kept-late row.
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await expect(page.getByTestId('follow-up-303-sales-meeting').textContent()).resolves.toMatch(/^Kept late.*Deal reaches Offer sent within 2 days — kept 5 days late/);

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await saveScreenshot(page, 'ui-host-deal-303');
  });

  it('renders the card of a contact and of a company under their names', async () => {
    const contact = await openHostPage('/ui/record/contact/103');
    await expect(contact.page.locator('h1').textContent()).resolves.toBe('Ingrid Haugen');
    await expect(contact.page.getByTestId('touchpoint-offer').textContent()).resolves.toContain('Red');
    expect(await accessibilityViolations(contact.page)).toEqual([]);
    await saveScreenshot(contact.page, 'ui-host-contact-103');

    const company = await openHostPage('/ui/record/company/204');
    await expect(company.page.locator('h1').textContent()).resolves.toBe('Bergen Byggservice AS');
    await expect(company.page.getByTestId('touchpoint-offer').textContent()).resolves.toContain('Red');
    expect(await accessibilityViolations(company.page)).toEqual([]);
    await saveScreenshot(company.page, 'ui-host-company-204');
    expect([...contact.browserErrors, ...company.browserErrors]).toEqual([]);
  });

  it('loads the card through hubspot.fetch signed by the sandbox for the portal’s user, which the card λ verifies', async () => {
    const page = await browser.newPage();
    const cardResponse = page.waitForResponse((response) => new URL(response.url()).pathname === '/card');
    await page.goto(`${stack.info.appUrl}/ui/record/deal/301`);
    const response = await cardResponse;
    const request = response.request();
    const query = new URL(request.url()).searchParams;
    expect([query.get('objectType'), query.get('objectId'), query.get('portalId'), query.get('userId')]).toEqual(['deal', '301', String(demoPortalId), '71001']);
    expect(request.headers()['x-hubspot-signature-v3']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(response.status()).toBe(200);

    // The same URL without HubSpot's signature is refused: the host has no way around the λ's check.
    expect((await fetch(request.url())).status).toBe(401);
  });

  it('answers an unknown record with HubSpot’s “doesn’t exist” page, not an empty card', async () => {
    const { page, response } = await openHostPage('/ui/record/deal/999999');
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('This deal doesn’t exist');
    await expect(page.locator('#extension-root').count()).resolves.toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('serves its pages under a CSP that allows only its own scripts and styles', async () => {
    const response = await fetch(`${stack.info.appUrl}/ui/record/deal/303`);
    expect(response.headers.get('content-security-policy')).toBe(hostPageCsp);
    expect(hostPageCsp).toContain("script-src 'self'");
    expect(hostPageCsp).not.toContain('unsafe');
  });

  it('sends the old preview URLs to the real pages', async () => {
    const card = await fetch(`${stack.info.appUrl}/preview/deal/303`, { redirect: 'manual' });
    const report = await fetch(`${stack.info.appUrl}/preview/report`, { redirect: 'manual' });
    expect([card.status, card.headers.get('location'), report.status, report.headers.get('location')]).toEqual([302, '/ui/record/deal/303', 302, '/ui/settings']);
  });
});

describe('the settings page in the local HubSpot UI host', () => {
  it('says the ranking waits for answers while the demo has only its few, and still leads with findings and their counts', async () => {
    // The demo's seed alone: a handful of answers, and the deals' stage history.
    const { page, browserErrors } = await openHostPage('/ui/settings');
    await page.getByRole('tab', { name: 'Report' }).click();
    const notEnough = page.getByTestId('ranking-not-enough');
    await notEnough.waitFor();
    await expect(notEnough.textContent()).resolves.toMatch(/^Not enough answers to rank yet \(\d+ of 30\): /);
    const findings = await page.getByTestId('findings').textContent();
    expect(findings).toMatch(/has the most red answers so far: \d+% \(\d+ of \d+\) rate it red.*Not enough answers to rank yet \(\d+ of 30\)\./);
    // The offer's wait, from the stage history alone: in the reddest touchpoint's sentence, or in a sentence of its own.
    expect(findings).toMatch(/The offer (has the most red answers so far: .* and customers wait|is the slowest step against its promise: customers wait) \d\.\d days against a promise of 2/);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
  }, 30_000);

  it('shows the report tab: the touchpoints weakest first and a touchpoint’s chart', async () => {
    await generateDemoCustomers(stack.store, new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl }), demoPortalId, 80, new Date());
    const { page, browserErrors } = await openHostPage('/ui/settings');
    await page.getByRole('tab', { name: 'Report' }).waitFor();
    await expect(page.getByRole('tab').allTextContents()).resolves.toEqual(['Touchpoints', 'Portal settings', 'Recent changes', 'Report']);
    await page.getByRole('tab', { name: 'Report' }).click();

    const weakest = page.locator('[data-testid^="weakest-"]');
    await weakest.first().waitFor();
    await expect(weakest.first().getAttribute('data-testid')).resolves.toBe('weakest-offer');
    await page.getByRole('button', { name: 'The offer' }).click();
    const chart = (await disclosedPanel(page, 'The offer')).locator('figure', { hasText: 'Answers by light' });
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect(chart.locator('svg[role="img"]').getAttribute('aria-label')).resolves.toMatch(/^Answers by light: Red \d+, Yellow \d+, Green \d+$/);
    await expect(chart.locator('rect').count()).resolves.toBe(3);

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await saveScreenshot(page, 'ui-host-report');
  }, 60_000); // 80 customers made through the sandbox first: about 8 s alone, four times that beside the other test files

  it('lists Ingrid under the weak offer on the report tab and makes Sofie Lund’s interview task on one click', async () => {
    // The demo's seed: Ingrid Haugen (deal 303, Sofie Lund’s) rated the offer 3/10 with a comment six days ago.
    const { page, browserErrors } = await openHostPage('/ui/settings');
    await page.getByRole('tab', { name: 'Report' }).click();
    const ingrid = page.getByTestId('interview-offer/303/103');
    await ingrid.waitFor();
    await expect(ingrid.textContent()).resolves.toContain('Tilbudet kom først etter en uke.');
    // Her name as HubSpot has it, read through the settings λ: the report keeps ids.
    await ingrid.getByText('Ingrid Haugen, deal 303').waitFor();

    await ingrid.getByRole('button', { name: 'Make interview task' }).click();

    await ingrid.getByText('Task made', { exact: true }).waitFor();
    await expect(ingrid.textContent()).resolves.toContain('“Interview Ingrid about The offer” for Sofie Lund');
    const { tasks } = (await (await fetch(`${stack.info.sandboxUrl}/_sandbox/portals/${demoPortalId}/tasks`)).json()) as { tasks: { subject: string; ownerId: string | null }[] };
    expect(tasks.filter(({ subject }) => subject.startsWith('Interview '))).toEqual([expect.objectContaining({ subject: 'Interview Ingrid about The offer', ownerId: '61003' })]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await saveScreenshot(page, 'ui-host-interviews');
  }, 30_000);

  it('shows the waiting times on the report tab: the offer named the slowest step against its promise, charted beside it', async () => {
    const { page, browserErrors } = await openHostPage('/ui/settings');
    await page.getByRole('tab', { name: 'Report' }).click();

    const slowest = page.locator('[data-testid="slowest-against-promise"]');
    await slowest.waitFor();
    await expect(slowest.textContent()).resolves.toMatch(/^The offer is the slowest step against its promise: customers wait \d\.\d days \(median\) against 2 days promised; \d+% \(\d+ of \d+\) waited longer\.$/);
    const chart = page.locator('figure[data-testid="waiting-times"]');
    await expect(chart.locator('svg[role="img"]').getAttribute('aria-label')).resolves.toMatch(/^Days customers wait, against the promise: .*The offer 2(,|$)/);
    await expect(page.locator('[data-testid="timing-offer"]').textContent()).resolves.toContain('2 days');

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await slowest.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'ui-host-report-waiting-times');
  }, 30_000);

  it('lets an admin apply the car-dealer template, change a question and a send delay, and save them', async () => {
    // An account with no touchpoints yet, as a new install has.
    for (const { value, version } of await stack.store.listTouchpoints(demoPortalId)) {
      const deleted = await hubspotFetchAs(stack, demoPortalId, 'DELETE', `/settings/touchpoints/${value.id}?expectedVersion=${version}`);
      expect(deleted.status).toBe(204);
    }
    const { page, browserErrors } = await openHostPage('/ui/settings');
    await page.getByRole('button', { name: 'Use “Car dealer”' }).click();
    await page.getByRole('button', { name: 'Apply template' }).click();

    const offer = page.getByTestId('touchpoint-offer');
    await offer.waitFor();
    const applied = (await stack.store.listTouchpoints(demoPortalId)).map(({ value }) => value.id);
    expect(applied).toEqual(expect.arrayContaining(['test-drive', 'sales-meeting', 'offer', 'contract', 'delivery']));
    await offer.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Question in English', { exact: false }).fill('How quickly did our offer reach you?');
    await page.getByLabel('Send the survey after').fill('3');
    await page.getByRole('button', { name: 'Save touchpoint' }).click();
    await page.getByTestId('touchpoint-offer').waitFor();

    const saved = (await stack.store.listTouchpoints(demoPortalId)).find(({ value }) => value.id === 'offer');
    expect(saved?.value.question.en).toBe('How quickly did our offer reach you?');
    expect(saved?.value.sendDelay.amount).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
    await saveScreenshot(page, 'ui-host-settings');
  }, 30_000);
});

describe('a confirmation modal on the settings page', () => {
  it('opens from its button as HubSpot’s overlay, closes on Cancel, and deletes the touchpoint only on its own button', async () => {
    const { page, browserErrors } = await openHostPage('/ui/settings');
    const delivery = page.getByTestId('touchpoint-delivery');
    await delivery.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Delivery of the car”?' });
    await dialog.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'ui-host-confirm-delete');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    expect((await stack.store.listTouchpoints(demoPortalId)).map(({ value }) => value.id)).toContain('delivery');

    await delivery.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete touchpoint' }).click();
    await delivery.waitFor({ state: 'detached' });
    expect((await stack.store.listTouchpoints(demoPortalId)).map(({ value }) => value.id)).not.toContain('delivery');
    expect(browserErrors).toEqual([]);
  });
});

describe('an extension using a component the local UI host lacks', () => {
  it('shows the build failure, naming the component, in place of the page', async () => {
    // Inside the repository, so the extension resolves React as the app's do.
    await mkdir('node_modules/.cache', { recursive: true });
    const scratch = await mkdtemp(join('node_modules/.cache', 'ui-host-page-'));
    const settings = join(scratch, 'UsesScoreCircle.tsx');
    await writeFile(settings, `import { hubspot, ScoreCircle } from '@hubspot/ui-extensions';\nhubspot.extend(() => <ScoreCircle score={7} />);\n`);
    const gateway = await startGateway({});
    gateway.addRoutes(uiHostRoutes({ sandbox: stack.sandbox, portalId: demoPortalId, appId: demoApp.appId, appUrl: () => gateway.url, entryPoints: { card: settings, settings } }));
    try {
      const page = await browser.newPage();
      const response = await page.goto(`${gateway.url}/ui/settings`);
      expect(response?.status()).toBe(500);
      await expect(page.locator('h1').textContent()).resolves.toBe('The extension could not be built');
      await expect(page.locator('pre').textContent()).resolves.toMatch(/No matching export in "local\/ui-host\/browser\/ui-extensions\.ts" for import "ScoreCircle"/);
    } finally {
      await gateway.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
