import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSesThrottling } from '../../lambdas/journeys/paced-mail.js';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { cachedSendQuota } from '../../lambdas/mail/send-quota.js';
import { startLocalSes, type RunningLocalSes } from '../../local/services/local-ses.js';

/** The local SES's account limit, as the due run and its senders read it and meet it. */
let ses: RunningLocalSes;
let client: SESClient;
const maxSendRate = 5;

const rawMail = (to: string) => Buffer.from(`From: Bilhuset Nord <survey@bilhuset.example>\r\nTo: ${to}\r\nSubject: Prøveturen\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHvordan var prøveturen?\r\n`);

beforeAll(async () => {
  ses = await startLocalSes({ port: 0, maxSendRate });
  client = sesClientFor(ses.endpoint);
});
afterAll(async () => {
  client.destroy();
  await ses.close();
});

describe('the local SES’s sending rate', () => {
  it('answers GetSendQuota with its MaxSendRate, as the senders read it', async () => {
    expect(await cachedSendQuota(client)()).toEqual({ maxSendRate });
  });

  it('asks SES once while its answer is fresh, and again once it is not', async () => {
    let nowMs = 0;
    const counted: string[] = [];
    client.middlewareStack.add((next, context) => async (args) => {
      counted.push(context.commandName ?? '');
      return next(args);
    }, { step: 'initialize', name: 'countQuotaCalls' });
    const quota = cachedSendQuota(client, () => nowMs);
    await quota();
    await quota();
    nowMs += 10 * 60_000;
    await quota();
    client.middlewareStack.remove('countQuotaCalls');
    expect(counted.filter((name) => name === 'GetSendQuotaCommand')).toHaveLength(2);
  });

  it('throttles the mails beyond its rate within one second, as SES does, and keeps only the ones it took', async () => {
    // One attempt each: the SDK would otherwise retry a throttled mail in the next second itself.
    const once = new SESClient({ endpoint: ses.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    const sends = await Promise.allSettled(Array.from({ length: maxSendRate + 3 }, (_, index) => sendRawMail(once, rawMail(`buyer-${index}@example.dk`))));
    once.destroy();
    const refused = sends.flatMap((send) => (send.status === 'rejected' ? [send.reason as unknown] : []));
    expect(sends.filter(({ status }) => status === 'fulfilled')).toHaveLength(maxSendRate);
    expect(refused).toHaveLength(3);
    for (const error of refused) expect(isSesThrottling(error)).toBe(true);
  });
});
