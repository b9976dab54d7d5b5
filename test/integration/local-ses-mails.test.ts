import type { SESClient } from '@aws-sdk/client-ses';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { startLocalSes, type RunningLocalSes } from '../../local/services/local-ses.js';
import { launchChromium } from '../support/browser.js';
import { caughtMails } from '../support/local-ses.js';

// The local SES of `npm start` keeps its mails in `.data/`; here, in a scratch folder.
let scratch: string;
let keptMails: string;
let running: RunningLocalSes | undefined;
let client: SESClient | undefined;

async function restart(mailPath: string): Promise<string> {
  client?.destroy();
  await running?.close();
  running = await startLocalSes({ port: 0, mailPath });
  client = sesClientFor(running.endpoint);
  return running.endpoint;
}

function rawMail(subject: string): Buffer {
  return Buffer.from(`From: Bilhuset Nord <survey@bilhuset.example>\r\nTo: anders.jensen@example.dk\r\nSubject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHvordan var prøveturen?\r\n`);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'touchpoints-local-ses-'));
  keptMails = join(scratch, '.data', 'ses-mails.json');
});
afterAll(async () => {
  client?.destroy();
  await running?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('the local SES keeps its mails across restarts', () => {
  it('lists a mail sent before a restart again at /store', async () => {
    await restart(keptMails);
    await sendRawMail(client!, rawMail('Et hurtigt spørgsmål fra Bilhuset Nord'));
    const before = await caughtMails(running!.endpoint);
    // Another local SES in this process with its own file starts with none of those mails …
    expect(await caughtMails(await restart(join(scratch, 'other', 'ses-mails.json')))).toEqual([]);

    // … so what the restarted one lists came from its file.
    const after = await caughtMails(await restart(keptMails));

    expect(before.map(({ subject }) => subject)).toEqual(['Et hurtigt spørgsmål fra Bilhuset Nord']);
    expect(after).toEqual(before);
  });

  it('shows the kept mail on its page at / in a browser', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(await restart(keptMails));

      await expect(page.getByText('Et hurtigt spørgsmål fra Bilhuset Nord').first().waitFor({ timeout: 5_000 })).resolves.toBeUndefined();
    } finally {
      await browser.close();
    }
  });

  it('keeps the store cleared across a restart once it was cleared', async () => {
    await restart(keptMails);
    expect(await caughtMails(running!.endpoint)).toHaveLength(1);
    expect((await fetch(`${running!.endpoint}/clear-store`, { method: 'POST' })).status).toBe(200);

    expect(await caughtMails(await restart(keptMails))).toEqual([]);
  });
});
