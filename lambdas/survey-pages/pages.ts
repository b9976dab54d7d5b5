import type { Score, SurveyLanguage } from '@touchpoints/contracts';
import { maxCommentLength } from '../domain/response.js';
import { copy } from './copy.js';
import { html, pageHeaders, renderDocument, type Html } from './html.js';
import { scaleEnds, scaleScores } from '../survey-scale.js';

export { escapeHtml, pageHeaders } from './html.js';

/** A rendered page, in the shape of an API Gateway (HTTP API) result. */
export interface SurveyPage {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Why a survey request could not be served, and the HTTP status each is answered with. */
export const problemStatus = {
  unknown_link: 404,
  expired_link: 410,
  bad_score: 400,
  comment_too_long: 400,
  already_answered: 409,
  too_many_answers: 429,
  bad_request: 400,
  unavailable: 503,
} as const satisfies Record<string, number>;
export type SurveyProblem = keyof typeof problemStatus;

/**
 * The survey's own address, where its page's forms post. Tokens are base64url with one '.',
 * which passes through unchanged; anything else is percent-encoded so it cannot leave the path.
 */
function surveyPath(token: string): string {
  return `/s/${encodeURIComponent(token)}`;
}

/** The unsubscribe address the mail's body and its List-Unsubscribe header name. */
function unsubscribePath(token: string): string {
  return `/u/${encodeURIComponent(token)}`;
}

/** A page under the company's name; without one (a link that names no company we know), under a neutral header. */
function page(statusCode: number, language: SurveyLanguage, title: string, companyName: string | undefined, content: Html): SurveyPage {
  const document = companyName
    ? { title: `${title} – ${companyName}`, header: companyName }
    : { title, header: copy[language].neutralHeader };
  return { statusCode, headers: pageHeaders(language), body: renderDocument({ language, ...document, content }) };
}

/**
 * For a survey link opened without a score: the question as a 1–10 form. With `chosenScore` (a
 * score link, where the portal asks people to confirm) that score is chosen: one tap sends it.
 */
export function questionPage(input: { language: SurveyLanguage; companyName: string; question: string; token: string; chosenScore?: Score }): SurveyPage {
  const text = copy[input.language];
  return page(
    200,
    input.language,
    text.questionTitle,
    input.companyName,
    html`<h1>${text.questionHeading}</h1>
<p>${text.questionIntro(input.companyName)}</p>
<form method="post" action="${surveyPath(input.token)}">
<fieldset aria-describedby="scale-ends">
<legend>${input.question}</legend>
<div class="scale">
${scaleScores.map(
  (score) => html`<div><input type="radio" id="score-${score}" name="score" value="${score}" required${score === input.chosenScore && html` checked`}><label for="score-${score}">${score}</label></div>
`,
)}</div>
<p class="hint" id="scale-ends">${scaleEnds[input.language]}</p>
</fieldset>
<button type="submit">${text.sendScore}</button>
</form>`,
  );
}

/**
 * After a score is clicked: thanks, an optional comment, and (within the change window) other
 * scores. Changing goes through this page's form, never a link: a scanner crawling the page
 * must not change anything, and a person's quick change must not look like a scanner's sweep.
 */
export function thankYouPage(input: { language: SurveyLanguage; companyName: string; token: string; score: Score; comment?: string; canChange: boolean }): SurveyPage {
  const text = copy[input.language];
  return page(
    200,
    input.language,
    text.thankYouTitle,
    input.companyName,
    html`<h1>${text.thankYouHeading}</h1>
<p>${text.youGave(input.score)}</p>
<form method="post" action="${surveyPath(input.token)}">
<input type="hidden" name="score" value="${input.score}">
<label for="comment">${text.commentLabel}</label>
<textarea id="comment" name="comment" rows="5" maxlength="${maxCommentLength}" aria-describedby="comment-hint">${input.comment ?? ''}</textarea>
<p class="hint" id="comment-hint">${text.commentHint}</p>
<button type="submit">${text.sendComment}</button>
</form>
${
  input.canChange &&
  html`<form class="change" method="post" action="${surveyPath(input.token)}">
<p id="change-score">${text.changeScoreIntro}</p>
<ul class="scale" aria-labelledby="change-score">
${scaleScores.map(
  (score) => html`<li><button type="submit" name="score" value="${score}" aria-label="${text.changeScoreTo(score)}"${score === input.score && html` aria-current="true"`}>${score}</button></li>
`,
)}</ul>
</form>`
}`,
  );
}

/** A page that says one thing: a heading, a sentence, and what the person can do next. */
function messagePage(language: SurveyLanguage, companyName: string, message: { title: string; heading: string; text: string }, next: Html): SurveyPage {
  return page(200, language, message.title, companyName, html`<h1>${message.heading}</h1>
<p>${message.text}</p>
${next}`);
}

/** A button that POSTs `name=yes` to the unsubscribe address. */
function unsubscribeButton(token: string, name: 'unsubscribe' | 'undo', label: string): Html {
  return html`<form method="post" action="${unsubscribePath(token)}">
<input type="hidden" name="${name}" value="yes">
<button type="submit">${label}</button>
</form>`;
}

export function commentSavedPage(input: { language: SurveyLanguage; companyName: string }): SurveyPage {
  const text = copy[input.language];
  const message = { title: text.commentSavedTitle, heading: text.commentSavedHeading, text: text.commentSavedText(input.companyName) };
  return messagePage(input.language, input.companyName, message, html`<p>${text.closePage}</p>`);
}

/**
 * The body link's page: a question with a button that POSTs. Opening the link (a person, or a
 * mail scanner fetching every link) never unsubscribes by itself (RFC 8058 keeps GET safe).
 */
export function unsubscribeQuestionPage(input: { language: SurveyLanguage; companyName: string; token: string }): SurveyPage {
  const text = copy[input.language];
  const message = { title: text.unsubscribeQuestionTitle, heading: text.unsubscribeQuestionHeading, text: text.unsubscribeQuestionText(input.companyName) };
  return messagePage(input.language, input.companyName, message, unsubscribeButton(input.token, 'unsubscribe', text.unsubscribeButton));
}

export function unsubscribedPage(input: { language: SurveyLanguage; companyName: string; token: string }): SurveyPage {
  const text = copy[input.language];
  const message = { title: text.unsubscribedTitle, heading: text.unsubscribedHeading, text: text.unsubscribedText(input.companyName) };
  return messagePage(input.language, input.companyName, message, html`${unsubscribeButton(input.token, 'undo', text.undoUnsubscribe)}
<p>${text.closePage}</p>`);
}

export function resubscribedPage(input: { language: SurveyLanguage; companyName: string }): SurveyPage {
  const text = copy[input.language];
  const message = { title: text.resubscribedTitle, heading: text.resubscribedHeading, text: text.resubscribedText(input.companyName) };
  return messagePage(input.language, input.companyName, message, html`<p>${text.closePage}</p>`);
}

/**
 * A friendly page for each way a request can fail; it never says more than the copy does. Under
 * the company's name where the link names the portal (signed, even if expired) and its settings
 * could be read; under a neutral header where it does not.
 */
export function problemPage(input: { language: SurveyLanguage; problem: SurveyProblem; companyName?: string }): SurveyPage {
  const { heading, text } = copy[input.language].problems[input.problem];
  return page(problemStatus[input.problem], input.language, heading, input.companyName, html`<h1>${heading}</h1>
<p>${text}</p>`);
}

/** What the survey λ shows (journeys/survey-answers.ts decides it; `renderSurveyView` draws it). */
export type SurveyView =
  | { page: 'question'; language: SurveyLanguage; companyName: string; question: string; token: string; chosenScore?: Score }
  | { page: 'thanks'; language: SurveyLanguage; companyName: string; token: string; score: number; comment?: string; canChange: boolean }
  | { page: 'comment_saved'; language: SurveyLanguage; companyName: string }
  | { page: 'unsubscribe_question'; language: SurveyLanguage; companyName: string; token: string }
  | { page: 'unsubscribed'; language: SurveyLanguage; companyName: string; token: string }
  | { page: 'resubscribed'; language: SurveyLanguage; companyName: string }
  | { page: 'problem'; language: SurveyLanguage; problem: SurveyProblem; companyName?: string };

export function renderSurveyView(view: SurveyView): SurveyPage {
  switch (view.page) {
    case 'question':
      return questionPage(view);
    case 'thanks':
      return thankYouPage({ ...view, score: view.score as Score });
    case 'comment_saved':
      return commentSavedPage(view);
    case 'unsubscribe_question':
      return unsubscribeQuestionPage(view);
    case 'unsubscribed':
      return unsubscribedPage(view);
    case 'resubscribed':
      return resubscribedPage(view);
    case 'problem':
      return problemPage(view);
  }
}

/** A plain page in the survey pages' look, for the OAuth install's outcome (English: the admin's HubSpot is). */
export function installPage(statusCode: number, title: string, message: string): SurveyPage {
  return { statusCode, headers: pageHeaders('en'), body: renderDocument({ language: 'en', title, header: 'Touchpoints', content: html`<h1>${title}</h1><p>${message}</p>` }) };
}
