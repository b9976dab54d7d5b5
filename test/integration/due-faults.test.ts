import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDueHandler } from '../../lambdas/handlers/due.js';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { localSurveyTokenSecret, localTokenEncryptionKey } from '../../local/stack.js';
import { mailsTo } from '../support/local-ses.js';
import { startTestStack } from '../support/local-stack.js';

// SES throttling is injected in front of the real local SES (it cannot be told to throttle);
// everything else is the real stack.
const portal = demoPortalId;
const start = Date.now();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let throttleNextSends = 0;

function dueRun(atMs: number) {
  const ses = sesClientFor(stack.info.sesUrl);
  const handler = createDueHandler({
    store: stack.store,
    hubspot: new HubSpotClients(stack.store, { basePath: stack.info.sandboxUrl, app: demoApp, sealer: new TokenSealer(localTokenEncryptionKey) }),
    sendMail: async (raw) => {
      if (throttleNextSends > 0) {
        throttleNextSends -= 1;
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
      }
      return sendRawMail(ses, raw);
    },
    surveyBaseUrl: stack.info.appUrl,
    surveyTokenSecret: localSurveyTokenSecret,
    now: () => new Date(atMs),
  });
  return handler({ time: new Date(atMs).toISOString() });
}

beforeAll(async () => {
  stack = await startTestStack();
  stack.sandbox.moveDeal(portal, '302', 'offersent'); // Emma and Peter, survey a day later
  stack.sandbox.moveDeal(portal, '310', 'cardelivered'); // James, survey a day later
  await stack.settled();
});
afterAll(() => stack.close());

describe('the due λ under faults', () => {
  it('retries a survey SES throttled on the next run, and mails nobody twice', async () => {
    throttleNextSends = 1;
    const first = await dueRun(start + 25 * 3_600_000);
    expect([first.surveysSent, first.failed]).toEqual([2, 1]);
    const second = await dueRun(start + 25 * 3_600_000 + 60_000);
    expect(second.surveysSent).toBe(1);
    await dueRun(start + 25 * 3_600_000 + 120_000);
    expect(await Promise.all(['emma.wilson@example.com', 'peter.smith@example.com', 'james.miller@example.com'].map(async (address) => (await mailsTo(stack.info.sesUrl, address)).length))).toEqual([1, 1, 1]);
  });

  it('never mails twice after a run was killed between claiming a survey and sending it', async () => {
    // Deal 304's survey was claimed by a run that then died: the claim is there, no mail went out.
    stack.sandbox.moveDeal(portal, '304', 'cardelivered');
    await stack.settled();
    const [invitation] = await stack.store.listInvitations(portal, '304');
    await stack.store.claimInvitationSend(portal, invitation!, new Date(start + 25 * 3_600_000));
    await dueRun(start + 26 * 3_600_000);
    await dueRun(start + 27 * 3_600_000);
    // At most once: the survey is recorded as sent and is not sent again (the trade-off the README names).
    expect((await mailsTo(stack.info.sesUrl, 'camilla.lund@example.dk')).length).toBe(0);
    expect((await stack.store.getInvitation(portal, '304', 'delivery', '105'))?.status).toBe('sent');
  });
});
