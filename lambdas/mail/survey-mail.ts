import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { parseOrThrow, Sender, SurveyLanguage } from '@touchpoints/contracts';
import { surveyMailCopy } from './copy.js';

const maxScore = 10;

// Normalised, so a URL reaches the href and the List-Unsubscribe header
// percent-encoded: no quote, angle bracket or non-ASCII character survives.
const webUrl = z.url({ protocol: /^https?$/, normalize: true, error: 'must be an http or https URL' });

const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

/** What one survey or reminder email says, and where its links go. */
export const SurveyMailContent = z
  .object({
    kind: z.enum(['survey', 'reminder'], { error: 'must be survey or reminder' }),
    language: SurveyLanguage,
    companyName: text(100),
    /** From the CRM; blank counts as absent (the greeting then has no name). */
    firstName: z.string({ error: 'must be text' }).trim().max(100, { error: 'must be at most 100 characters' }).optional(),
    question: text(500),
    /** The one-click answer links, for scores 1 to 10 in that order. */
    scoreUrls: z
      .array(webUrl, { error: 'must be a list of URLs' })
      .length(maxScore, { error: `must hold exactly ${maxScore} URLs, one per score from 1 to ${maxScore}` })
      .readonly(),
    unsubscribeUrl: webUrl,
  })
  .strict();
export type SurveyMailContent = z.infer<typeof SurveyMailContent>;

const SurveyMailEnvelope = z
  .object({
    from: Sender,
    to: z.email({ error: 'must be an email address' }),
    content: SurveyMailContent,
    messageId: z
      .string({ error: 'must be text' })
      .regex(/^<?[^\s<>@]+@[^\s<>@]+>?$/, { error: 'must look like <id@domain>' })
      .optional(),
  })
  .strict();

export interface RenderedSurveyMail {
  subject: string;
  text: string;
  html: string;
}

/** The words of one email, already chosen for its language and kind; not yet escaped. */
interface SurveyMailWords {
  language: SurveyLanguage;
  subject: string;
  greeting: string;
  intro: string;
  question: string;
  oneClick: string;
  scores: { score: number; label: string; url: string }[];
  scaleLegend: string;
  thanks: string;
  whyYouGotThis: string;
  unsubscribe: string;
  unsubscribeUrl: string;
}

function wordsOf(content: SurveyMailContent): SurveyMailWords {
  const copy = surveyMailCopy[content.language];
  const { companyName } = content;
  const reminder = content.kind === 'reminder';
  return {
    language: content.language,
    subject: reminder ? copy.reminderSubject(companyName) : copy.subject(companyName),
    greeting: copy.greeting(content.firstName || undefined),
    intro: reminder ? copy.reminderIntro(companyName) : copy.intro(companyName),
    question: content.question,
    oneClick: copy.oneClick,
    scores: content.scoreUrls.map((url, index) => ({ score: index + 1, label: copy.scoreLabel(index + 1, maxScore), url })),
    scaleLegend: copy.scaleLegend,
    thanks: copy.thanks,
    whyYouGotThis: copy.whyYouGotThis(companyName),
    unsubscribe: copy.unsubscribe,
    unsubscribeUrl: content.unsubscribeUrl,
  };
}

/** The subject and both bodies of a survey or reminder email. */
export function renderSurveyMail(content: SurveyMailContent): RenderedSurveyMail {
  const words = wordsOf(parseOrThrow(SurveyMailContent, content, 'survey mail'));
  return { subject: words.subject, text: textPart(words), html: htmlPart(words).markup };
}

/**
 * The email as raw RFC 5322 MIME (text and HTML alternatives), ready for
 * SES SendRawEmail. SES replaces Message-ID and Date with its own, so
 * `messageId` only matters where the mail does not go through SES.
 */
export async function composeSurveyMail(input: {
  from: Sender;
  to: string;
  content: SurveyMailContent;
  messageId?: string;
}): Promise<Buffer> {
  const { from, to, content, messageId } = parseOrThrow(SurveyMailEnvelope, input, 'survey mail');
  const { subject, text, html } = renderSurveyMail(content);
  return new MailComposer({
    from: { name: from.name, address: from.email },
    to,
    subject,
    text,
    html,
    messageId,
    // Gmail and Yahoo require one-click unsubscribe (RFC 8058) from bulk
    // senders: the client POSTs "List-Unsubscribe=One-Click" to the URL.
    // MailComposer leaves `list` to nodemailer's transport, so set the headers.
    headers: {
      'List-Unsubscribe': `<${content.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    // Without it the bodies keep their bare LFs; RFC 5322 wants CRLF everywhere.
    newline: 'win',
  })
    .compile()
    .build();
}

function textPart(words: SurveyMailWords): string {
  return [
    words.greeting,
    '',
    words.intro,
    '',
    words.question,
    words.oneClick,
    words.scaleLegend,
    '',
    ...words.scores.map(({ label, url }) => `${label}: ${url}`),
    '',
    words.thanks,
    '',
    words.whyYouGotThis,
    `${words.unsubscribe}: ${words.unsubscribeUrl}`,
    '',
  ].join('\n');
}

// Contrast (WCAG): text 14.8:1 and muted 6.5:1 on white, muted 5.9:1 on the
// page background, white digits 6.2:1 on the score buttons.
const colour = { text: '#1f2933', muted: '#52606d', page: '#f4f5f7', card: '#ffffff', score: '#1a56db', onScore: '#ffffff' };
const font = 'font-family:Helvetica,Arial,sans-serif;';

// Inline-block links wrap onto a second row on narrow screens; 44 px squares
// are comfortable tap targets, and ten of them (480 px with margins) fit the
// 512 px inside the card on one row.
const scoreStyle =
  `display:inline-block;width:44px;height:44px;line-height:44px;margin:0 4px 8px 0;border-radius:6px;` +
  `background-color:${colour.score};color:${colour.onScore};${font}font-size:18px;font-weight:bold;text-align:center;text-decoration:none;`;

function htmlPart(words: SurveyMailWords): Markup {
  const scoreLinks = words.scores.map(
    ({ score, label, url }) => html`<a href="${url}" aria-label="${label}" title="${label}" style="${scoreStyle}">${score}</a>`,
  );
  return html`<!DOCTYPE html>
<html lang="${words.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${words.subject}</title>
</head>
<body style="margin:0;padding:0;background-color:${colour.page};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${colour.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:${colour.card};border-radius:8px;">
<tr><td style="padding:32px 24px;${font}font-size:16px;line-height:24px;color:${colour.text};">
<p style="margin:0 0 16px;">${words.greeting}</p>
<p style="margin:0 0 24px;">${words.intro}</p>
<h1 style="margin:0 0 8px;${font}font-size:22px;line-height:30px;font-weight:bold;color:${colour.text};">${words.question}</h1>
<p style="margin:0 0 16px;color:${colour.muted};">${words.oneClick}</p>
<div style="margin:0 0 8px;">
${scoreLinks}
</div>
<p style="margin:0 0 24px;font-size:14px;line-height:20px;color:${colour.muted};">${words.scaleLegend}</p>
<p style="margin:0;">${words.thanks}</p>
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr><td style="padding:16px 24px;${font}font-size:13px;line-height:20px;color:${colour.muted};">
<p style="margin:0;">${words.whyYouGotThis} <a href="${words.unsubscribeUrl}" style="color:${colour.muted};text-decoration:underline;">${words.unsubscribe}</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** HTML that is safe as it is; `html` escapes everything else it is given. */
class Markup {
  constructor(readonly markup: string) {}
}

/** A template that HTML-escapes every interpolated value, so none can be forgotten. */
function html(strings: TemplateStringsArray, ...values: (string | number | Markup | readonly Markup[])[]): Markup {
  return new Markup(strings.reduce((markup, literal, index) => markup + markupOf(values[index - 1]) + literal));
}

function markupOf(value: string | number | Markup | readonly Markup[] | undefined): string {
  if (value instanceof Markup) return value.markup;
  // Joined without whitespace: between inline-blocks it would widen the row of scores.
  if (typeof value === 'object') return value.map((part) => part.markup).join('');
  return escapeHtml(String(value));
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character);
}
