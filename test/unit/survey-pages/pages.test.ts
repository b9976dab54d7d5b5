import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type SurveyLanguage, surveyLanguages } from '@touchpoints/contracts';
import { palette } from '../../../lambdas/survey-pages/html.js';
import { scaleLook } from '../../../lambdas/survey-scale.js';
import { copy } from '../../../lambdas/survey-pages/copy.js';
import {
  commentSavedPage,
  escapeHtml,
  problemPage,
  problemStatus,
  questionPage,
  resubscribedPage,
  thankYouPage,
  unsubscribedPage,
  unsubscribeQuestionPage,
  type SurveyPage,
  type SurveyProblem,
} from '../../../lambdas/survey-pages/pages.js';

const token = 'eyJwIjo0MiwiZCI6IjMwMiJ9.Q2xlYXJfYW5kLXRpbWVseQ';
const companyName = 'Bilhuset Nord';
const question = 'How clear and timely was our offer?';
const hostile = `<script>alert(1)</script> "quoted" 'single' & more`;
const problems = Object.keys(problemStatus) as SurveyProblem[];

/** Every page the survey λ can answer with, in one language. */
function everyPage(language: SurveyLanguage): [string, SurveyPage][] {
  return [
    ['question', questionPage({ language, companyName, question, token })],
    ['thank-you', thankYouPage({ language, companyName, token, score: 8, comment: 'Quick and friendly.', canChange: true })],
    ['comment saved', commentSavedPage({ language, companyName })],
    ['unsubscribe question', unsubscribeQuestionPage({ language, companyName, token })],
    ['unsubscribed', unsubscribedPage({ language, companyName, token })],
    ['resubscribed', resubscribedPage({ language, companyName })],
    ...problems.map((problem): [string, SurveyPage] => [`${problem} problem`, problemPage({ language, problem })]),
  ];
}
const pagesInEveryLanguage = surveyLanguages.flatMap((language) => everyPage(language).map(([name, page]) => [name, language, page] as const));

/** The attributes of each `<name …>` start tag, in document order. */
function tags(body: string, name: string): Record<string, string>[] {
  return [...body.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))].map(([, attributes = '']) =>
    Object.fromEntries([...attributes.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map(([, key = '', value = '']) => [key, value])),
  );
}

function styleBlocks(body: string): string[] {
  return [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(([, css = '']) => css);
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(foreground: string, background: string): number {
  const luminance = (hex: string) => {
    const [r = 0, g = 0, b = 0] = [1, 3, 5]
      .map((start) => parseInt(hex.slice(start, start + 2), 16) / 255)
      .map((channel) => (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [lighter, darker] = [luminance(foreground), luminance(background)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

describe('every survey page', () => {
  it.each(pagesInEveryLanguage)('the %s page in %s names its language, has a title, one h1 and a main landmark', (_, language, page) => {
    expect(page.body).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${language}">`));
    expect(page.body).toMatch(/<title>[^<]{3,}<\/title>/);
    expect(page.body.match(/<h1>[^<]{3,}<\/h1>/g)).toHaveLength(1);
    expect(page.body.match(/<main>/g)).toHaveLength(1);
    expect(page.headers['content-language']).toBe(language);
  });

  it.each(pagesInEveryLanguage)('the %s page in %s fits a phone screen', (_, __, page) => {
    expect(tags(page.body, 'meta')).toContainEqual({ name: 'viewport', content: 'width=device-width, initial-scale=1' });
  });

  it.each(pagesInEveryLanguage)('the %s page in %s weighs under 30 KB', (_, __, page) => {
    expect(Buffer.byteLength(page.body)).toBeLessThan(30 * 1024);
  });

  it('the thank-you page weighs under 30 KB even with a full comment of characters that escape long', () => {
    const page = thankYouPage({ language: 'nb', companyName: '"'.repeat(200), token, score: 3, comment: '"'.repeat(2_000), canChange: true });

    expect(Buffer.byteLength(page.body)).toBeLessThan(30 * 1024);
  });

  it.each(pagesInEveryLanguage)('the %s page in %s has unique ids and every reference points at one', (_, __, page) => {
    const ids = [...page.body.matchAll(/\sid="([^"]*)"/g)].map(([, id]) => id);
    const references = [...page.body.matchAll(/\s(?:for|aria-describedby|aria-labelledby)="([^"]*)"/g)].flatMap(([, list = '']) => list.split(' '));

    expect(new Set(ids).size).toBe(ids.length);
    for (const reference of references) expect(ids).toContain(reference);
  });

  it.each(pagesInEveryLanguage)('the %s page in %s has no script, event handler or style attribute', (_, __, page) => {
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).not.toMatch(/\son[a-z]+=/i);
    expect(page.body).not.toMatch(/\sstyle=/i);
  });

  it.each(pagesInEveryLanguage)('the %s page in %s allows its one style block by the sha256 in the CSP', (_, __, page) => {
    const blocks = styleBlocks(page.body);
    const hash = createHash('sha256').update(blocks[0] ?? '').digest('base64');

    expect(blocks).toHaveLength(1);
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
  });

  it('is served as UTF-8 HTML, uncached, without referrer and without content sniffing', () => {
    expect(commentSavedPage({ language: 'da', companyName }).headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('escaping', () => {
  it('escapeHtml escapes the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it.each([
    ['question', questionPage({ language: 'en', companyName: hostile, question: hostile, token })],
    ['thank-you', thankYouPage({ language: 'en', companyName: hostile, token, score: 5, comment: hostile, canChange: true })],
    ['comment saved', commentSavedPage({ language: 'en', companyName: hostile })],
    ['unsubscribe question', unsubscribeQuestionPage({ language: 'en', companyName: hostile, token })],
    ['unsubscribed', unsubscribedPage({ language: 'en', companyName: hostile, token })],
  ])('the %s page shows hostile company names, questions and comments escaped, never raw', (_, page) => {
    expect(page.body).toContain(escapeHtml(hostile));
    expect(page.body).not.toContain(hostile);
    expect(page.body).not.toContain('<script');
  });

  it('the page title shows a hostile company name escaped', () => {
    const page = commentSavedPage({ language: 'en', companyName: hostile });

    expect(page.body).toContain(`<title>Comment received – ${escapeHtml(hostile)}</title>`);
  });
});

describe('questionPage', () => {
  const page = questionPage({ language: 'en', companyName, question, token });

  it('offers ten radios named score, valued 1 to 10, each tied to its own label', () => {
    const radios = tags(page.body, 'input').filter(({ type }) => type === 'radio');
    const labels = [...page.body.matchAll(/<label for="([^"]+)">([^<]*)<\/label>/g)].map(([, target, text]) => ({ target, text }));

    expect(radios.map(({ name, value }) => ({ name, value }))).toEqual(Array.from({ length: 10 }, (_, index) => ({ name: 'score', value: `${index + 1}` })));
    expect(labels).toEqual(radios.map(({ id, value }) => ({ target: id, text: value })));
  });

  it('groups the scale in a fieldset whose legend is the question', () => {
    expect(page.body).toMatch(new RegExp(`<fieldset[^>]*>\\n<legend>${question.replace('?', '\\?')}</legend>[\\s\\S]*type="radio"[\\s\\S]*</fieldset>`));
  });

  it('explains what the two ends of the scale mean, tied to the fieldset', () => {
    expect(page.body).toContain('<fieldset aria-describedby="scale-ends">');
    expect(page.body).toContain('<p class="hint" id="scale-ends">1 = not at all satisfied, 10 = very satisfied</p>');
  });

  it('sends the chosen score by POST (a person’s form, which no scanner sends) to the survey’s own address with a submit button', () => {
    expect(tags(page.body, 'form')).toEqual([{ method: 'post', action: `/s/${token}` }]);
    expect(page.body).toMatch(/<button type="submit">[^<]+<\/button>/);
  });

  it('checks nothing when no score was chosen', () => {
    expect(tags(page.body, 'input').filter((input) => 'checked' in input)).toEqual([]);
  });

  it('checks the score already chosen', () => {
    const chosen = questionPage({ language: 'en', companyName, question, token, chosenScore: 7 });

    expect(tags(chosen.body, 'input').filter((input) => 'checked' in input).map(({ value }) => value)).toEqual(['7']);
  });

  it('answers with status 200', () => {
    expect(page.statusCode).toBe(200);
  });
});

describe('thankYouPage', () => {
  const page = thankYouPage({ language: 'en', companyName, token, score: 8, comment: 'Quick & friendly.', canChange: true });

  it('thanks the customer and says which score they gave', () => {
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Thank you!</h1>');
    expect(page.body).toContain('You gave 8 of 10.');
  });

  it('posts the comment, and another score, to the survey’s own address', () => {
    expect(tags(page.body, 'form')).toEqual([
      { method: 'post', action: `/s/${token}` },
      { class: 'change', method: 'post', action: `/s/${token}` },
    ]);
    expect(tags(page.body, 'input')).toEqual([{ type: 'hidden', name: 'score', value: '8' }]);
  });

  it('labels a comment field of at most 2,000 characters', () => {
    const [textarea] = tags(page.body, 'textarea');

    expect(textarea).toMatchObject({ id: 'comment', name: 'comment', maxlength: '2000' });
    expect(tags(page.body, 'label')).toEqual([{ for: 'comment' }]);
    expect(page.body).toContain('Up to 2,000 characters.');
  });

  it('prefills the comment already given', () => {
    expect(page.body).toMatch(/<textarea[^>]*>Quick &amp; friendly\.<\/textarea>/);
  });

  it('offers every score as a button of a form while the score can still be changed, marking the current one; no link a scanner could follow', () => {
    const buttons = tags(page.body, 'button').filter(({ name }) => name === 'score');

    expect(buttons.map(({ value }) => value)).toEqual(Array.from({ length: 10 }, (_, index) => String(index + 1)));
    expect(buttons.filter((button) => 'aria-current' in button).map(({ value }) => value)).toEqual(['8']);
    expect(buttons[2]).toMatchObject({ type: 'submit', 'aria-label': 'Change your score to 3' });
    expect(tags(page.body, 'a')).toEqual([]);
  });

  it('offers no other scores once the score can no longer be changed', () => {
    const final = thankYouPage({ language: 'en', companyName, token, score: 8, canChange: false });

    expect(tags(final.body, 'button').filter(({ name }) => name === 'score')).toEqual([]);
    expect(tags(final.body, 'form')).toHaveLength(1);
  });

  it('leaves the comment field empty when there is no comment yet', () => {
    const first = thankYouPage({ language: 'en', companyName, token, score: 8, canChange: true });

    expect(first.body).toMatch(/<textarea[^>]*><\/textarea>/);
  });
});

describe('survey links', () => {
  it('keep a base64url token unchanged in the forms', () => {
    const page = thankYouPage({ language: 'da', companyName, token: 'aZ09-_.Zz-_9', score: 2, canChange: true });

    expect(tags(page.body, 'form').map(({ action }) => action)).toEqual(['/s/aZ09-_.Zz-_9', '/s/aZ09-_.Zz-_9']);
  });

  it('percent-encode a token with other characters, so it cannot leave the path or the attribute', () => {
    const page = questionPage({ language: 'en', companyName, question, token: `../x?score=1#"><b>` });

    expect(tags(page.body, 'form')[0]).toMatchObject({ action: '/s/..%2Fx%3Fscore%3D1%23%22%3E%3Cb%3E' });
  });
});

describe('problemPage', () => {
  it.each([
    ['unknown_link', 404],
    ['expired_link', 410],
    ['bad_score', 400],
    ['comment_too_long', 400],
    ['already_answered', 409],
    ['bad_request', 400],
    ['unavailable', 503],
  ] as const)('answers %s with status %i', (problem, status) => {
    expect(problemPage({ language: 'en', problem }).statusCode).toBe(status);
  });

  it.each([
    ['en', 'expired_link', 'This survey has closed'],
    ['da', 'expired_link', 'Denne undersøgelse er lukket'],
    ['nb', 'expired_link', 'Denne undersøkelsen er avsluttet'],
    ['en', 'comment_too_long', 'Comments can be at most 2,000 characters'],
    ['da', 'comment_too_long', 'Kommentarer må højst være på 2.000 tegn'],
    ['nb', 'already_answered', 'Svaret ditt er lagret og kan ikke lenger endres'],
    ['da', 'unavailable', 'Det lykkedes ikke lige nu'],
  ] as const)('in %s says what went wrong with %s: “%s”', (language, problem, heading) => {
    const page = problemPage({ language, problem });

    expect(page.body).toContain(`<title>${heading}</title>`);
    expect(page.body).toContain(`<h1>${heading}</h1>`);
  });

  it('keeps the company’s header and title where the link named the portal', () => {
    const page = problemPage({ language: 'da', problem: 'expired_link', companyName });

    expect(page.body).toContain(`<header><p>${companyName}</p></header>`);
    expect(page.body).toContain(`<title>${copy.da.problems.expired_link.heading} – ${companyName}</title>`);
  });

  it.each(surveyLanguages)('puts a neutral header in %s over a problem with no company to name', (language) => {
    const page = problemPage({ language, problem: 'unknown_link' });

    expect(page.body).toContain(`<header><p>${copy[language].neutralHeader}</p></header>`);
    expect(page.body).not.toContain(companyName);
  });

  it('gives a different heading for every problem in every language', () => {
    for (const language of surveyLanguages) {
      const headings = problems.map((problem) => problemPage({ language, problem }).body.match(/<h1>([^<]*)<\/h1>/)?.[1]);
      expect(new Set(headings).size).toBe(problems.length);
    }
  });
});

describe('colours', () => {
  it.each([
    ['body text on the card', palette.text, palette.card],
    ['hints on the card', palette.muted, palette.card],
    ['the company name on the page', palette.muted, palette.page],
    ['links on the card', palette.link, palette.card],
    ['button text', palette.onAccent, palette.accent],
    ['button text on hover', palette.onAccent, palette.accentHover],
    ['a score on the scale', scaleLook.ink, scaleLook.surface],
    ['a chosen score', scaleLook.surface, scaleLook.ink],
    ['a score under the pointer', scaleLook.ink, palette.current],
  ])('%s reaches WCAG AA contrast of 4.5:1', (_, foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(4.5);
  });

  it.each([
    ['control borders', palette.border, palette.card],
    ['the focus outline on the card', palette.accent, palette.card],
    ['the focus outline on the page', palette.accent, palette.page],
  ])('%s reach the 3:1 contrast of non-text elements', (_, foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(3);
  });
});
