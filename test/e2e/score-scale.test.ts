import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyLanguages } from '@touchpoints/contracts';
import { renderSurveyMail } from '../../lambdas/mail/survey-mail.js';
import { questionPage, thankYouPage } from '../../lambdas/survey-pages/pages.js';
import { scaleEnds } from '../../lambdas/survey-scale.js';
import { accessibilityViolations, launchChromium } from '../support/browser.js';

/**
 * The 1–10 scale as a person sees it in the three places they meet it, measured in Chromium:
 * the mail's score links, the question page's radios and the thank-you page's buttons.
 */
const token = 'token.signature';
const scoreUrls = Array.from({ length: 10 }, (_, index) => `https://api.example/s/${token}?score=${index + 1}`);

function mailHtml(language: (typeof surveyLanguages)[number]) {
  return renderSurveyMail({
    kind: 'survey',
    language,
    companyName: 'Bilhuset Nord',
    question: 'How was the test drive?',
    scoreUrls,
    unsubscribeUrl: `https://api.example/u/${token}`,
    hiddenLinkUrl: `https://api.example/s/${token}/check`,
  }).html;
}

/** The little of the DOM measured here (tests are type-checked without the DOM library). */
interface MeasuredElement {
  textContent: string | null;
  getBoundingClientRect(): { width: number; height: number; top: number; left: number; right: number };
}
type StyleProperty = 'borderTopWidth' | 'borderTopStyle' | 'borderTopColor' | 'borderTopLeftRadius' | 'color' | 'backgroundColor' | 'fontSize' | 'fontWeight';
type Window = { getComputedStyle(element: MeasuredElement): Record<StyleProperty, string> };

/** What a score looks like: everything a person could tell apart, not where it sits. */
async function scoreLooks(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((elements) =>
    (elements as unknown as MeasuredElement[]).map((element) => {
      const style = (globalThis as unknown as Window).getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        text: element.textContent?.trim(),
        width: box.width,
        height: box.height,
        borderWidth: style.borderTopWidth,
        borderStyle: style.borderTopStyle,
        borderColor: style.borderTopColor,
        borderRadius: style.borderTopLeftRadius,
        color: style.color,
        background: style.backgroundColor,
        fontSize: style.fontSize,
        fontWeight: style.fontWeight,
      };
    }),
  );
}

/** The gaps between neighbouring scores on the first row. */
async function gapsBetween(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((elements) => {
    const boxes = (elements as unknown as MeasuredElement[]).map((element) => element.getBoundingClientRect()).filter((box, _, all) => box.top === all[0]!.top);
    return boxes.slice(1).map((box, index) => box.left - boxes[index]!.right);
  });
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 800, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
});

describe('the 1–10 scale has one design in the mail, the question page and the thank-you page', () => {
  it('draws every score of the three alike, numbered 1 to 10 in one row', async () => {
    await page.setContent(mailHtml('en'));
    const inMail = await scoreLooks(page, 'a[href*="score="]');
    const mailGaps = await gapsBetween(page, 'a[href*="score="]');
    await page.setContent(questionPage({ language: 'en', companyName: 'Bilhuset Nord', question: 'How was the test drive?', token }).body);
    const onQuestionPage = await scoreLooks(page, '.scale label');
    const questionGaps = await gapsBetween(page, '.scale label');
    await page.setContent(thankYouPage({ language: 'en', companyName: 'Bilhuset Nord', token, score: 7, canChange: true }).body);
    const onThankYouPage = (await scoreLooks(page, '.scale button')).filter(({ text }) => text !== '7');

    expect(inMail.map(({ text }) => text)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(inMail[0]).toMatchObject({ width: 44, height: 44, borderWidth: '2px', borderRadius: '8px', color: 'rgb(20, 54, 92)', background: 'rgb(255, 255, 255)' });
    expect(new Set(inMail.map(({ text: _, ...look }) => JSON.stringify(look))).size).toBe(1);
    expect(onQuestionPage).toEqual(inMail);
    expect(onThankYouPage).toEqual(inMail.filter(({ text }) => text !== '7'));
    expect(mailGaps).toHaveLength(9);
    expect(questionGaps).toEqual(mailGaps);
  });

  it('fills the chosen score on the question page as the thank-you page fills the current one', async () => {
    await page.setContent(questionPage({ language: 'da', companyName: 'Bilhuset Nord', question: 'Hvordan var prøveturen?', token, chosenScore: 7 }).body);
    const [chosen] = await scoreLooks(page, '.scale input:checked + label');
    await page.setContent(thankYouPage({ language: 'da', companyName: 'Bilhuset Nord', token, score: 7, canChange: true }).body);
    const [current] = await scoreLooks(page, '.scale button[aria-current]');

    expect(chosen).toMatchObject({ text: '7', color: 'rgb(255, 255, 255)', background: 'rgb(20, 54, 92)', width: 44 });
    expect(current).toEqual(chosen);
  });

  it.each(surveyLanguages)('names the ends of the scale alike in the mail and on the question page (%s)', async (language) => {
    const questionHtml = questionPage({ language, companyName: 'Bilhuset Nord', question: 'Q?', token }).body;

    expect(mailHtml(language)).toContain(`>${scaleEnds[language]}</p>`);
    expect(questionHtml).toContain(`<p class="hint" id="scale-ends">${scaleEnds[language]}</p>`);
  });

  it('leaves the mail with no violations of WCAG 2.1 A and AA', async () => {
    await page.setContent(mailHtml('nb'));

    expect(await accessibilityViolations(page, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])).toEqual([]);
  });
});
