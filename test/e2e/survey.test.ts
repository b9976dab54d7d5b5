import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecards } from '../../lambdas/domain/response.js';
import type { CrmObjectType } from '../../lambdas/store/keys.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { accessibilityViolations, launchChromium } from '../support/browser.js';
import { personsBrowser, settleClicks, startTestStack } from '../support/local-stack.js';
import { mailsTo, type CaughtMail } from '../support/local-ses.js';

// Anders Jensen (Danish) on deal 301 with Fjordvej Tømrer ApS (company 201) meets the salesperson.
const portal = demoPortalId;
let stack: Awaited<ReturnType<typeof startTestStack>>;
let browser: Browser;
let page: Page;
let mail: CaughtMail;

async function cardOf(objectType: CrmObjectType, objectId: string) {
  const [card] = scorecards(await stack.store.recordResponses(portal, { objectType, objectId }));
  return card && { lastScore: card.lastScore, light: card.light, comment: card.lastComment };
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  // The pages' CSP forbids inline scripts; the one injected here is axe-core, for the audit.
  // A person's browser: headless Chromium's own user agent says it is a machine.
  page = await browser.newPage({ locale: 'da-DK', bypassCSP: true, userAgent: personsBrowser });
  stack.sandbox.moveDeal(portal, '301', 'salesmeeting');
  await stack.settled();
  // The sales-meeting survey goes out two hours after the meeting: run the minute schedule three hours on.
  await stack.runDueAt(new Date(Date.now() + 3 * 3_600_000));
  const [sent] = await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk');
  if (!sent) throw new Error('no survey mail reached the local SES');
  mail = sent;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('a customer answers a survey from the email', () => {
  it('gets the survey email in Danish from the dealer', () => {
    expect(mail.from).toContain('Bilhuset Nord');
    expect(mail.subject).toBe('Et hurtigt spørgsmål fra Bilhuset Nord');
    expect(mail.body.text).toContain('Hvordan var dit møde med vores sælger?');
  });

  it('scores 4 in one click, comments, and the deal, contact and company show 4 and red', async () => {
    await page.setContent(mail.body.html!);
    await Promise.all([page.waitForURL(/\/s\/.+\?score=4$/), page.getByRole('link', { name: /\b4\b/ }).first().click()]);
    expect(await page.locator('h1').textContent()).toBe('Tusind tak!');
    await page.getByRole('textbox').fill('Tilbuddet kom først efter en uge.');
    await Promise.all([page.waitForURL(/\/s\/[^?]+$/), page.getByRole('button', { name: 'Send kommentar' }).click()]);
    expect(await cardOf('deal', '301')).toBeUndefined(); // nothing leaves until the clicks have settled
    await settleClicks(stack);

    for (const [objectType, objectId] of [['deal', '301'], ['contact', '101'], ['company', '201']] as const) {
      expect(await cardOf(objectType, objectId)).toEqual({ lastScore: 4, light: 'red', comment: 'Tilbuddet kom først efter en uge.' });
    }
  });

  it('replaces the 4 with a 9 on a second click: green, still one answer', async () => {
    await page.setContent(mail.body.html!);
    await Promise.all([page.waitForURL(/score=9$/), page.getByRole('link', { name: /\b9\b/ }).first().click()]);
    await settleClicks(stack);
    expect(await cardOf('deal', '301')).toMatchObject({ lastScore: 9, light: 'green' });
    expect(await stack.store.recordResponses(portal, { objectType: 'contact', objectId: '101' })).toHaveLength(1);
  });

  it('has survey pages with no accessibility violations', async () => {
    const surveyUrl = new URL(mail.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0]);
    const unsubscribeUrl = surveyUrl.href.replace('/s/', '/u/');
    const pages = [surveyUrl.href, `${surveyUrl.href}?score=6`, `${stack.info.appUrl}/s/not-a-token`, `${surveyUrl.href}?score=11`, unsubscribeUrl];
    for (const url of pages) {
      await page.goto(url);
      expect({ url, violations: await accessibilityViolations(page) }).toEqual({ url, violations: [] });
    }
  });
});
