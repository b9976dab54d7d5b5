import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { parseOrThrow, Sender, SurveyLanguage } from '@touchpoints/contracts';
import { surveyMailCopy } from './copy.js';
import type { MailRecipient } from '../domain/mail-feedback.js';
import { colour, font, html, mailDocument, type Markup } from './mail-html.js';
import { recipientTagHeader } from './message-tags.js';
import { scaleEnds, scaleLook, scaleScores } from '../survey-scale.js';

const maxScore = scaleScores.length;

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
    /** The hidden link (HTML part only): a person never sees or follows it, a scanner fetching every link does. */
    hiddenLinkUrl: webUrl,
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
  scaleEnds: string;
  thanks: string;
  whyYouGotThis: string;
  unsubscribe: string;
  unsubscribeUrl: string;
  hiddenLinkUrl: string;
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
    scores: scaleScores.map((score, index) => ({ score, label: copy.scoreLabel(score, maxScore), url: content.scoreUrls[index]! })),
    scaleEnds: scaleEnds[content.language],
    thanks: copy.thanks,
    whyYouGotThis: copy.whyYouGotThis(companyName),
    unsubscribe: copy.unsubscribe,
    unsubscribeUrl: content.unsubscribeUrl,
    hiddenLinkUrl: content.hiddenLinkUrl,
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
  /** The contact it goes to, tagged so that SES's bounce and complaint events name them. */
  recipient?: MailRecipient;
}): Promise<Buffer> {
  const { recipient, ...envelope } = input;
  const { from, to, content, messageId } = parseOrThrow(SurveyMailEnvelope, envelope, 'survey mail');
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
      ...(recipient ? recipientTagHeader(recipient) : {}),
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
    words.scaleEnds,
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

// The scale's one design (survey-scale.ts) as inline styles. Width and height leave out the
// border (mail clients do not all honour box-sizing); inline-blocks wrap on narrow screens.
const inner = scaleLook.sizePx - 2 * scaleLook.borderPx;
const scoreStyle =
  `display:inline-block;width:${inner}px;height:${inner}px;line-height:${inner}px;margin:0 ${scaleLook.columnGapPx}px ${scaleLook.rowGapPx}px 0;` +
  `border:${scaleLook.borderPx}px solid ${scaleLook.ink};border-radius:${scaleLook.radiusPx}px;background-color:${scaleLook.surface};color:${scaleLook.ink};` +
  `${font}font-size:${scaleLook.fontSizePx}px;font-weight:${scaleLook.fontWeight};text-align:center;text-decoration:none;`;

function htmlPart(words: SurveyMailWords): Markup {
  const scoreLinks = words.scores.map(
    ({ score, label, url }) => html`<a href="${url}" aria-label="${label}" title="${label}" style="${scoreStyle}">${score}</a>`,
  );
  return mailDocument({
    language: words.language,
    title: words.subject,
    content: html`<p style="margin:0 0 16px;">${words.greeting}</p>
<p style="margin:0 0 24px;">${words.intro}</p>
<h1 style="margin:0 0 8px;${font}font-size:22px;line-height:30px;font-weight:bold;color:${colour.text};">${words.question}</h1>
<p style="margin:0 0 16px;color:${colour.muted};">${words.oneClick}</p>
<div style="margin:0 0 8px;">
${scoreLinks}
</div>
<p style="margin:0 0 24px;font-size:14px;line-height:20px;color:${colour.muted};">${words.scaleEnds}</p>
<p style="margin:0;">${words.thanks}</p>
<a href="${words.hiddenLinkUrl}" aria-hidden="true" tabindex="-1" style="display:none;mso-hide:all;font-size:0;line-height:0;"></a>`,
    footer: html`<p style="margin:0;">${words.whyYouGotThis} <a href="${words.unsubscribeUrl}" style="color:${colour.muted};text-decoration:underline;">${words.unsubscribe}</a></p>`,
  });
}
