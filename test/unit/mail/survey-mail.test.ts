import { simpleParser, type ParsedMail } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, type SurveyLanguage } from '@touchpoints/contracts';
import { composeSurveyMail, renderSurveyMail, type SurveyMailContent } from '../../../lambdas/mail/survey-mail.js';

const questions: Record<SurveyLanguage, string> = {
  en: 'How clear and timely was our offer?',
  da: 'Hvor klart og hurtigt fik du vores tilbud?',
  nb: 'Hvor tydelig og rask var tilbudet vårt?',
};
// The `&` checks that hrefs are escaped and still lead to the URL.
const scoreUrls = Array.from({ length: 10 }, (_, index) => `https://survey.example/s/tk?score=${index + 1}&v=1`);
const unsubscribeUrl = 'https://survey.example/u/tk';
const hiddenLinkUrl = 'https://survey.example/s/tk/check';

function content(language: SurveyLanguage, change: Partial<SurveyMailContent> = {}): SurveyMailContent {
  return { kind: 'survey', language, companyName: 'Bilhuset Nord', firstName: 'Mette', question: questions[language], scoreUrls, unsubscribeUrl, hiddenLinkUrl, ...change };
}

function asPlainText({ subject, text }: { subject: string; text: string }): string {
  return `Subject: ${subject}\n\n${text}`;
}

/** The links in an HTML part, with their target, screen-reader label and visible text, entities decoded. */
function linksIn(html: string) {
  const decode = (value: string) => value.replaceAll('&amp;', '&');
  return [...html.matchAll(/<a href="([^"]*)"(?: aria-label="([^"]*)")?[^>]*>([^<]*)<\/a>/g)].map(([, href = '', label, text = '']) => ({
    href: decode(href),
    label,
    text,
  }));
}

describe('renderSurveyMail', () => {
  it('writes the Danish survey with the question, ten labelled score links and the unsubscribe link', () => {
    expect(asPlainText(renderSurveyMail(content('da')))).toMatchInlineSnapshot(`
      "Subject: Et hurtigt spørgsmål fra Bilhuset Nord

      Hej Mette,

      Vi hos Bilhuset Nord vil rigtig gerne høre, hvordan du oplevede os. Det er kun ét spørgsmål.

      Hvor klart og hurtigt fik du vores tilbud?
      Vælg et tal herunder – det kræver kun ét klik.
      1 = slet ikke tilfreds, 10 = meget tilfreds

      Giv 1 ud af 10: https://survey.example/s/tk?score=1&v=1
      Giv 2 ud af 10: https://survey.example/s/tk?score=2&v=1
      Giv 3 ud af 10: https://survey.example/s/tk?score=3&v=1
      Giv 4 ud af 10: https://survey.example/s/tk?score=4&v=1
      Giv 5 ud af 10: https://survey.example/s/tk?score=5&v=1
      Giv 6 ud af 10: https://survey.example/s/tk?score=6&v=1
      Giv 7 ud af 10: https://survey.example/s/tk?score=7&v=1
      Giv 8 ud af 10: https://survey.example/s/tk?score=8&v=1
      Giv 9 ud af 10: https://survey.example/s/tk?score=9&v=1
      Giv 10 ud af 10: https://survey.example/s/tk?score=10&v=1

      Tak, fordi du hjælper os med at blive bedre.

      Du får denne e-mail, fordi du har været i kontakt med Bilhuset Nord.
      Afmeld disse undersøgelser: https://survey.example/u/tk
      "
    `);
  });

  it('writes the Danish reminder with its own subject and intro, greeting without a name when there is none', () => {
    expect(asPlainText(renderSurveyMail(content('da', { kind: 'reminder', firstName: undefined })))).toMatchInlineSnapshot(`
      "Subject: Påmindelse: et hurtigt spørgsmål fra Bilhuset Nord

      Hej,

      Vi sendte dig et kort spørgsmål for et par dage siden. Har du et øjeblik, vil vi hos Bilhuset Nord stadig meget gerne høre fra dig.

      Hvor klart og hurtigt fik du vores tilbud?
      Vælg et tal herunder – det kræver kun ét klik.
      1 = slet ikke tilfreds, 10 = meget tilfreds

      Giv 1 ud af 10: https://survey.example/s/tk?score=1&v=1
      Giv 2 ud af 10: https://survey.example/s/tk?score=2&v=1
      Giv 3 ud af 10: https://survey.example/s/tk?score=3&v=1
      Giv 4 ud af 10: https://survey.example/s/tk?score=4&v=1
      Giv 5 ud af 10: https://survey.example/s/tk?score=5&v=1
      Giv 6 ud af 10: https://survey.example/s/tk?score=6&v=1
      Giv 7 ud af 10: https://survey.example/s/tk?score=7&v=1
      Giv 8 ud af 10: https://survey.example/s/tk?score=8&v=1
      Giv 9 ud af 10: https://survey.example/s/tk?score=9&v=1
      Giv 10 ud af 10: https://survey.example/s/tk?score=10&v=1

      Tak, fordi du hjælper os med at blive bedre.

      Du får denne e-mail, fordi du har været i kontakt med Bilhuset Nord.
      Afmeld disse undersøgelser: https://survey.example/u/tk
      "
    `);
  });

  it('writes the Norwegian survey', () => {
    expect(asPlainText(renderSurveyMail(content('nb')))).toMatchInlineSnapshot(`
      "Subject: Et raskt spørsmål fra Bilhuset Nord

      Hei Mette,

      Vi i Bilhuset Nord vil gjerne høre hvordan du opplevde oss. Det er bare ett spørsmål.

      Hvor tydelig og rask var tilbudet vårt?
      Velg et tall nedenfor – det tar bare ett klikk.
      1 = overhodet ikke fornøyd, 10 = svært fornøyd

      Gi 1 av 10: https://survey.example/s/tk?score=1&v=1
      Gi 2 av 10: https://survey.example/s/tk?score=2&v=1
      Gi 3 av 10: https://survey.example/s/tk?score=3&v=1
      Gi 4 av 10: https://survey.example/s/tk?score=4&v=1
      Gi 5 av 10: https://survey.example/s/tk?score=5&v=1
      Gi 6 av 10: https://survey.example/s/tk?score=6&v=1
      Gi 7 av 10: https://survey.example/s/tk?score=7&v=1
      Gi 8 av 10: https://survey.example/s/tk?score=8&v=1
      Gi 9 av 10: https://survey.example/s/tk?score=9&v=1
      Gi 10 av 10: https://survey.example/s/tk?score=10&v=1

      Takk for at du hjelper oss med å bli bedre.

      Du får denne e-posten fordi du har vært i kontakt med Bilhuset Nord.
      Meld deg av disse undersøkelsene: https://survey.example/u/tk
      "
    `);
  });

  it('writes the Norwegian reminder', () => {
    expect(asPlainText(renderSurveyMail(content('nb', { kind: 'reminder', firstName: undefined })))).toMatchInlineSnapshot(`
      "Subject: Påminnelse: et raskt spørsmål fra Bilhuset Nord

      Hei,

      Vi sendte deg et kort spørsmål for noen dager siden. Har du et øyeblikk, vil vi i Bilhuset Nord fortsatt gjerne høre fra deg.

      Hvor tydelig og rask var tilbudet vårt?
      Velg et tall nedenfor – det tar bare ett klikk.
      1 = overhodet ikke fornøyd, 10 = svært fornøyd

      Gi 1 av 10: https://survey.example/s/tk?score=1&v=1
      Gi 2 av 10: https://survey.example/s/tk?score=2&v=1
      Gi 3 av 10: https://survey.example/s/tk?score=3&v=1
      Gi 4 av 10: https://survey.example/s/tk?score=4&v=1
      Gi 5 av 10: https://survey.example/s/tk?score=5&v=1
      Gi 6 av 10: https://survey.example/s/tk?score=6&v=1
      Gi 7 av 10: https://survey.example/s/tk?score=7&v=1
      Gi 8 av 10: https://survey.example/s/tk?score=8&v=1
      Gi 9 av 10: https://survey.example/s/tk?score=9&v=1
      Gi 10 av 10: https://survey.example/s/tk?score=10&v=1

      Takk for at du hjelper oss med å bli bedre.

      Du får denne e-posten fordi du har vært i kontakt med Bilhuset Nord.
      Meld deg av disse undersøkelsene: https://survey.example/u/tk
      "
    `);
  });

  it('writes the English survey', () => {
    expect(asPlainText(renderSurveyMail(content('en')))).toMatchInlineSnapshot(`
      "Subject: A quick question from Bilhuset Nord

      Hi Mette,

      We at Bilhuset Nord would love to hear how we did. It’s just one question.

      How clear and timely was our offer?
      Pick a number below – one click is all it takes.
      1 = not at all satisfied, 10 = very satisfied

      Score 1 out of 10: https://survey.example/s/tk?score=1&v=1
      Score 2 out of 10: https://survey.example/s/tk?score=2&v=1
      Score 3 out of 10: https://survey.example/s/tk?score=3&v=1
      Score 4 out of 10: https://survey.example/s/tk?score=4&v=1
      Score 5 out of 10: https://survey.example/s/tk?score=5&v=1
      Score 6 out of 10: https://survey.example/s/tk?score=6&v=1
      Score 7 out of 10: https://survey.example/s/tk?score=7&v=1
      Score 8 out of 10: https://survey.example/s/tk?score=8&v=1
      Score 9 out of 10: https://survey.example/s/tk?score=9&v=1
      Score 10 out of 10: https://survey.example/s/tk?score=10&v=1

      Thank you for helping us get better.

      You’re receiving this email because you’ve been in touch with Bilhuset Nord.
      Unsubscribe from these surveys: https://survey.example/u/tk
      "
    `);
  });

  it('writes the English reminder', () => {
    expect(asPlainText(renderSurveyMail(content('en', { kind: 'reminder', firstName: undefined })))).toMatchInlineSnapshot(`
      "Subject: Reminder: a quick question from Bilhuset Nord

      Hello,

      We sent you a short question a few days ago. If you have a moment, we at Bilhuset Nord would still love to hear from you.

      How clear and timely was our offer?
      Pick a number below – one click is all it takes.
      1 = not at all satisfied, 10 = very satisfied

      Score 1 out of 10: https://survey.example/s/tk?score=1&v=1
      Score 2 out of 10: https://survey.example/s/tk?score=2&v=1
      Score 3 out of 10: https://survey.example/s/tk?score=3&v=1
      Score 4 out of 10: https://survey.example/s/tk?score=4&v=1
      Score 5 out of 10: https://survey.example/s/tk?score=5&v=1
      Score 6 out of 10: https://survey.example/s/tk?score=6&v=1
      Score 7 out of 10: https://survey.example/s/tk?score=7&v=1
      Score 8 out of 10: https://survey.example/s/tk?score=8&v=1
      Score 9 out of 10: https://survey.example/s/tk?score=9&v=1
      Score 10 out of 10: https://survey.example/s/tk?score=10&v=1

      Thank you for helping us get better.

      You’re receiving this email because you’ve been in touch with Bilhuset Nord.
      Unsubscribe from these surveys: https://survey.example/u/tk
      "
    `);
  });

  it('greets without a name when the CRM has a blank first name', () => {
    expect(renderSurveyMail(content('da', { firstName: '   ' })).text).toMatch(/^Hej,\n/);
  });

  it('escapes a hostile company name, first name and question in the HTML', () => {
    const { html } = renderSurveyMail(
      content('en', { companyName: 'Bilhuset & Søn <b>', firstName: '<script>alert(1)</script>', question: 'Was it "fast" & <i>fair</i>?' }),
    );

    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(html).toContain('We at Bilhuset &amp; Søn &lt;b&gt; would love');
    expect(html).toContain('Was it &quot;fast&quot; &amp; &lt;i&gt;fair&lt;/i&gt;?</h1>');
  });

  it('links the ten scores in the HTML in order, each to its URL and labelled for screen readers', () => {
    const scoreLinks = linksIn(renderSurveyMail(content('da')).html).filter((link) => link.label !== undefined);

    expect(scoreLinks).toEqual(
      scoreUrls.map((href, index) => ({ href, label: `Giv ${index + 1} ud af 10`, text: String(index + 1) })),
    );
  });

  it('ends the HTML with a footer link to the unsubscribe URL', () => {
    expect(linksIn(renderSurveyMail(content('nb')).html).at(-1)).toEqual({
      href: unsubscribeUrl,
      label: undefined,
      text: 'Meld deg av disse undersøkelsene',
    });
  });

  it('declares the language of the HTML for screen readers and translators', () => {
    expect(renderSurveyMail(content('nb')).html).toContain('<html lang="nb">');
  });

  it.each([
    ['nine score links', { scoreUrls: scoreUrls.slice(0, 9) }, 'scoreUrls: must hold exactly 10 URLs, one per score from 1 to 10'],
    ['a javascript: score link', { scoreUrls: scoreUrls.with(2, 'javascript:alert(1)') }, 'scoreUrls.2: must be an http or https URL'],
    ['a blank question', { question: '  ' }, 'question: must not be empty'],
    ['an unsubscribe link that is no URL', { unsubscribeUrl: 'not a url' }, 'unsubscribeUrl: must be an http or https URL'],
    ['a language we do not survey in', { language: 'sv' as SurveyLanguage }, 'language: must be one of en, da, nb'],
  ])('refuses %s, naming the problem', (_, change, problem) => {
    expect(() => renderSurveyMail(content('da', change))).toThrow(new InvalidInputError('survey mail', [problem]));
  });
});

describe('composeSurveyMail', () => {
  const from = { name: 'Søren fra Bilhuset Nord', email: 'kundeservice@bilhuset.example' };
  const reminder = content('da', { kind: 'reminder' });
  let raw: Buffer;
  let parsed: ParsedMail;

  beforeAll(async () => {
    raw = await composeSurveyMail({ from, to: 'mette@kunde.example', content: reminder, messageId: 'reminder-1@touchpoints.example', recipient: { portalId: 881234, contactId: '4711' } });
    parsed = await simpleParser(raw);
  });

  it('keeps From, To and Subject, æøå included, through the MIME encoding', () => {
    expect([parsed.from?.text, parsed.to && 'text' in parsed.to ? parsed.to.text : parsed.to, parsed.subject]).toEqual([
      '"Søren fra Bilhuset Nord" <kundeservice@bilhuset.example>',
      'mette@kunde.example',
      'Påmindelse: et hurtigt spørgsmål fra Bilhuset Nord',
    ]);
  });

  it('carries the text and the HTML as alternatives', () => {
    const rendered = renderSurveyMail(reminder);

    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text).toBe(rendered.text);
    expect(parsed.html).toBe(rendered.html);
  });

  it('offers one-click unsubscribe to mail clients (RFC 8058)', () => {
    expect(parsed.headers.get('list')).toEqual({ unsubscribe: { url: unsubscribeUrl }, 'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' } });
    expect(parsed.headerLines).toContainEqual({ key: 'list-unsubscribe-post', line: 'List-Unsubscribe-Post: List-Unsubscribe=One-Click' });
  });

  it('tags the mail with its portal and contact for SES, so a bounce or complaint finds the contact', () => {
    // Header names are case-insensitive (RFC 5322); nodemailer writes this one X-Ses-Message-Tags.
    expect(parsed.headers.get('x-ses-message-tags')).toBe('touchpoints-portal=881234, touchpoints-contact=4711');
  });

  it('uses the Message-ID it is given', () => {
    expect(parsed.messageId).toBe('<reminder-1@touchpoints.example>');
  });

  it('does not call itself an automatic reply', () => {
    expect(parsed.headers.has('auto-submitted')).toBe(false);
  });

  it('ends every line with CRLF and keeps every line within the 998 octets RFC 5322 allows', () => {
    const message = raw.toString('latin1');
    const lines = message.split('\r\n');

    expect(message).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(998);
  });

  it.each([
    ['a recipient that is no address', { to: 'mette' }, 'to: must be an email address'],
    ['a sender without a name', { from: { name: '', email: from.email } }, 'from.name: must not be empty'],
    ['an empty question', { content: content('da', { question: '' }) }, 'content.question: must not be empty'],
    ['a Message-ID without a domain', { messageId: 'no domain' }, 'messageId: must look like <id@domain>'],
  ])('refuses %s, naming the problem', async (_, change, problem) => {
    await expect(composeSurveyMail({ from, to: 'mette@kunde.example', content: reminder, ...change })).rejects.toThrow(
      new InvalidInputError('survey mail', [problem]),
    );
  });
});
