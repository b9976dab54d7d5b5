import type { SurveyLanguage } from '@touchpoints/contracts';
import { escapeHtml } from '../domain/html-text.js';

/**
 * The HTML design every mail to a customer shares (the survey, the reminder, the reply to an
 * unhappy answer): a white card on a grey page, table layout and inline styles, which is what
 * mail clients render alike.
 */

// Contrast (WCAG): text 14.8:1 and muted 6.5:1 on white, muted 5.9:1 on the
// page background. The score links' colours are the scale's (survey-scale.ts).
export const colour = { text: '#1f2933', muted: '#52606d', page: '#f4f5f7', card: '#ffffff' };
export const font = 'font-family:Helvetica,Arial,sans-serif;';

/** HTML that is safe as it is; `html` escapes everything else it is given. */
export class Markup {
  constructor(readonly markup: string) {}
}

/** A template that HTML-escapes every interpolated value, so none can be forgotten. */
export function html(strings: TemplateStringsArray, ...values: (string | number | Markup | readonly Markup[])[]): Markup {
  return new Markup(strings.reduce((markup, literal, index) => markup + markupOf(values[index - 1]) + literal));
}

function markupOf(value: string | number | Markup | readonly Markup[] | undefined): string {
  if (value instanceof Markup) return value.markup;
  // Joined without whitespace: between inline-blocks it would widen the row of scores.
  if (typeof value === 'object') return value.map((part) => part.markup).join('');
  return escapeHtml(String(value));
}

/** A whole mail: `content` in the card, `footer` (small print) under it. */
export function mailDocument(input: { language: SurveyLanguage; title: string; content: Markup; footer?: Markup }): Markup {
  return html`<!DOCTYPE html>
<html lang="${input.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
</head>
<body style="margin:0;padding:0;background-color:${colour.page};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${colour.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:${colour.card};border-radius:8px;">
<tr><td style="padding:32px 24px;${font}font-size:16px;line-height:24px;color:${colour.text};">
${input.content}
</td></tr>
</table>
${
  input.footer
    ? html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr><td style="padding:16px 24px;${font}font-size:13px;line-height:20px;color:${colour.muted};">
${input.footer}
</td></tr>
</table>`
    : html``
}
</td></tr>
</table>
</body>
</html>
`;
}

/** Plain text as paragraphs (blank lines) with line breaks, for a mail's HTML part. */
export function paragraphsOf(text: string): Markup {
  return html`${text.split(/\n{2,}/).map((paragraph) => html`<p style="margin:0 0 16px;">${paragraph.split('\n').map((line, index) => (index === 0 ? html`${line}` : html`<br>${line}`))}</p>
`)}`;
}
