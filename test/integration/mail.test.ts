import type { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { composeSurveyMail } from '../../lambdas/mail/survey-mail.js';
import { startLocalSes, type RunningLocalSes } from '../../local/services/local-ses.js';

/** The part of a stored mail that `GET /store` lists and this test reads. */
interface StoredMail {
  messageId: string;
  from: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

const scoreUrls = Array.from({ length: 10 }, (_, index) => `https://survey.example/s/tk-offer?score=${index + 1}`);

describe('sending a survey mail through the local SES', () => {
  let localSes: RunningLocalSes;
  let ses: SESClient;

  beforeAll(async () => {
    localSes = await startLocalSes({ port: 0 });
    ses = sesClientFor(localSes.endpoint);
  });
  afterAll(async () => {
    ses.destroy();
    await localSes.close();
  });

  async function storedMail(messageId: string): Promise<StoredMail | undefined> {
    const response = await fetch(`${localSes.endpoint}/store`);
    const { emails } = (await response.json()) as { emails: StoredMail[] };
    return emails.find((mail) => mail.messageId === messageId);
  }

  it('delivers the composed mail with its sender, recipient, subject and score links', async () => {
    const raw = await composeSurveyMail({
      from: { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' },
      to: 'mette@kunde.example',
      content: {
        kind: 'survey',
        language: 'da',
        companyName: 'Bilhuset Nord',
        firstName: 'Mette',
        question: 'Hvor klart og hurtigt fik du vores tilbud?',
        scoreUrls,
        unsubscribeUrl: 'https://survey.example/u/tk-offer',
        hiddenLinkUrl: 'https://survey.example/s/tk-offer/check',
      },
    });

    const messageId = await sendRawMail(ses, raw);
    const mail = await storedMail(messageId);

    expect(mail).toMatchObject({
      from: '"Bilhuset Nord" <kundeservice@bilhuset.example>',
      subject: 'Et hurtigt spørgsmål fra Bilhuset Nord',
      destination: { to: ['mette@kunde.example'] },
    });
    expect(mail?.body.text).toContain(`Giv 7 ud af 10: ${scoreUrls[6]}`);
    expect(mail?.body.html).toContain('<html lang="da">');
  });
});
