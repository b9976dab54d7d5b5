import { createHash } from 'node:crypto';
import type { SurveyLanguage } from '@touchpoints/contracts';

import { escapeHtml } from '../domain/html-text.js';
import { scaleLook as scale } from '../survey-scale.js';

export { escapeHtml };

/**
 * Markup that is already safe. Only `html` makes one (the class is not exported),
 * so a value can reach a page unescaped only by being written as a template here.
 */
class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}
export type { Html };

type Interpolation = Html | string | number | false | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The template helper: every interpolated value is escaped unless it is itself `html`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(strings.reduce((markup, text, index) => markup + render(values[index - 1]) + text));
}

/**
 * The colours, chosen for WCAG AA: body text ≥ 4.5:1 on the surface it sits on,
 * control borders ≥ 3:1. Named here so the unit tests can measure them.
 */
export const palette = {
  page: '#f3f4f6',
  card: '#ffffff',
  text: '#1f2328',
  muted: '#4b5563',
  border: '#6b7280',
  accent: '#14365c',
  accentHover: '#0d2540',
  onAccent: '#ffffff',
  current: '#e8eef6',
  link: '#0b4f8a',
} as const;

const p = palette;
/*
 * The one inline style block. Its hash goes into the CSP, so the page needs no
 * 'unsafe-inline' and no style attributes (they would be blocked). The radios are
 * see-through, not hidden, so they keep keyboard focus and arrow-key behaviour while
 * their labels are drawn as large tap targets: the scale's one design (survey-scale.ts), as
 * the mail draws its score links.
 */
const style = `*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:${p.page};color:${p.text};font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main{max-width:36rem;margin:0 auto}
header{padding:1.25rem 1rem 0}
main{background:${p.card};padding:1.5rem 1.25rem;margin:.75rem auto 2rem;border-radius:.75rem}
header p{margin:0;font-weight:600;color:${p.muted}}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
p{margin:0 0 1rem}
.hint{color:${p.muted};font-size:.9375rem}
a{color:${p.link}}
:focus-visible{outline:3px solid ${p.accent};outline-offset:2px}
fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}
legend{font-size:1.125rem;font-weight:600;padding:0;margin-bottom:.5rem}
.scale{display:flex;flex-wrap:wrap;gap:${scale.rowGapPx}px ${scale.columnGapPx}px;margin:0 0 .5rem;padding:0;list-style:none}
.scale div{position:relative}
.scale input{position:absolute;top:0;left:0;width:1px;height:1px;margin:0;opacity:0}
.scale label,.scale button{display:block;width:${scale.sizePx}px;height:${scale.sizePx}px;padding:0;border:${scale.borderPx}px solid ${scale.ink};border-radius:${scale.radiusPx}px;background:${scale.surface};color:${scale.ink};font-size:${scale.fontSizePx}px;font-weight:${scale.fontWeight};line-height:${scale.sizePx - 2 * scale.borderPx}px;text-align:center;cursor:pointer}
.scale label:hover,.scale button:hover{background:${p.current}}
.scale input:checked+label,.scale button[aria-current]{background:${scale.ink};color:${scale.surface};box-shadow:inset 0 0 0 2px ${scale.surface}}
.scale input:focus-visible+label{outline:3px solid ${p.accent};outline-offset:2px}
@media (forced-colors:active){.scale input:checked+label,.scale button[aria-current]{forced-color-adjust:none;background:Highlight;color:HighlightText}}
label[for=comment]{display:block;font-weight:600;margin-bottom:.25rem}
textarea{display:block;width:100%;min-height:8rem;padding:.625rem;border:2px solid ${p.border};border-radius:.5rem;font:inherit;color:inherit;background:${p.card};margin-bottom:.25rem}
button{font:inherit;font-weight:600;color:${p.onAccent};background:${p.accent};border:0;border-radius:.5rem;padding:.75rem 1.5rem;cursor:pointer}
button:hover{background:${p.accentHover}}
.change{margin-top:2rem;font-size:.9375rem}
.change p{margin-bottom:.5rem}`;

const styleHash = createHash('sha256').update(style).digest('base64');
const contentSecurityPolicy = `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** The headers every survey page is served with; a fresh object, so callers may add to it. */
export function pageHeaders(language: SurveyLanguage): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-language': language,
    // Pages show a person's own answer and comment: never keep them in a shared cache.
    'cache-control': 'no-store',
    // The link's token is the key to the answer; it must not leak to any other site.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': contentSecurityPolicy,
  };
}

export interface Document {
  language: SurveyLanguage;
  title: string;
  /** Shown above the card: the company's name, or a neutral one where no company is known. */
  header: string;
  content: Html;
}

export function renderDocument({ language, title, header, content }: Document): string {
  return html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${new Html(style)}</style>
</head>
<body>
<header><p>${header}</p></header>
<main>
${content}
</main>
</body>
</html>
`.markup;
}
