import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeReplyMail } from '../../../lambdas/mail/reply-mail.js';

const mail = {
  from: { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' },
  to: 'anders.jensen@example.dk',
  language: 'da' as const,
  firstName: 'Anders <b>',
  ownerName: 'Mette Kjær',
  touchpointName: 'salgsmødet',
  recipient: { portalId: 881234, contactId: '4711' },
};

describe('the reply to an unhappy answer', () => {
  it('comes as text and as HTML in the survey mail’s design, in the customer’s language', async () => {
    const parsed = await simpleParser(await composeReplyMail(mail));
    expect(parsed.subject).toBe('Tak for dit svar – Bilhuset Nord');
    expect(parsed.text).toContain('Tak fordi du fortalte os, hvordan "salgsmødet" gik.');
    expect(parsed.html).toContain('<html lang="da">');
    expect(parsed.html).toContain('max-width:560px;background-color:#ffffff');
    expect(parsed.html).toContain('Mette Kjær fra Bilhuset Nord vender tilbage til dig snarest.');
  });

  it('tags the mail with its portal and contact for SES, so a bounce or complaint finds the contact', async () => {
    const parsed = await simpleParser(await composeReplyMail(mail));
    // Header names are case-insensitive (RFC 5322); nodemailer writes this one X-Ses-Message-Tags.
    expect(parsed.headers.get('x-ses-message-tags')).toBe('touchpoints-portal=881234, touchpoints-contact=4711');
  });

  it('writes the customer’s name into the HTML as text, never as markup', async () => {
    const parsed = await simpleParser(await composeReplyMail(mail));
    expect(parsed.html).toContain('Kære Anders &lt;b&gt;');
    expect(parsed.html).not.toContain('Anders <b>');
  });
});
