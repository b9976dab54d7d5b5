import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDueHandler } from '../../lambdas/handlers/due.js';
import { WebhooksJournal } from '../../lambdas/hubspot/journal.js';
import { AppLifecycle } from '../../lambdas/journeys/app-lifecycle.js';
import { Client } from '@hubspot/api-client';
import { defaultBackoff } from '../../lambdas/hubspot/backoff.js';
import { HubSpotClients } from '../../lambdas/hubspot/clients.js';
import { TokenSealer } from '../../lambdas/hubspot/token-sealer.js';
import { sendRawMail, sesClientFor } from '../../lambdas/mail/send.js';
import { SesSenderIdentities } from '../../lambdas/mail/sender-identities.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { localSurveyTokenSecret, localTokenEncryptionKey } from '../../local/stack.js';
import { mailsTo } from '../support/local-ses.js';
import { asPerson, startTestStack } from '../support/local-stack.js';
import { timerShard } from '../../lambdas/store/store.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { addDueRunReport } from '../../lambdas/journeys/due-work.js';
import { PacedMailSender } from '../../lambdas/journeys/paced-mail.js';
import { sendersInProcess } from '../support/due-senders.js';

// SES throttling and a run dying inside its SES call are injected in front of the real local SES
// (it cannot be told to throttle or hang); HubSpot's faults come from the sandbox's fault queue;
// everything else is the real stack. HubSpot's backoff waits are skipped.
const portal = demoPortalId;
const start = Date.now();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let throttleNextSends = 0;
let pacingClockMs = 0;
/** Timer writes the store refuses next, as a throttled table would after the SDK's retries (injected in front of the real store). */
let refuseNextTimerWrites = 0;
const hour = 3_600_000;
const minute = 60_000;

/** A run that hangs in SES until Lambda's timeout kills it: it never sends, never confirms, never returns. */
const runThatDiesInSes = () => new Promise<string>(() => undefined);

async function dueRun(atMs: number, sendMail?: (raw: Buffer) => Promise<string>, journalBudgetMs?: number) {
  const ses = sesClientFor(stack.info.sesUrl);
  const store = Object.create(stack.store) as typeof stack.store;
  store.setTimer = async (...args) => {
    if (refuseNextTimerWrites > 0) {
      refuseNextTimerWrites -= 1;
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
    }
    return stack.store.setTimer(...args);
  };
  const sendQuota = async () => ({ maxSendRate: 14 });
  const mail = new PacedMailSender({
    sendMail:
      sendMail ??
      (async (raw) => {
        if (throttleNextSends > 0) {
          throttleNextSends -= 1;
          throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
        }
        return sendRawMail(ses, raw);
      }),
    sendQuota,
    senders: 1,
    // The sender's pace is kept on a clock that moves only by its own waits: no real sleeps.
    sleep: async (ms) => void (pacingClockMs += ms),
    nowMs: () => pacingClockMs,
  });
  const senders = sendersInProcess({
    store,
    hubspot: new HubSpotClients(stack.store, { basePath: stack.info.sandboxUrl, app: demoApp, sealer: new TokenSealer(localTokenEncryptionKey) }),
    sendMail: (raw) => sendRawMail(ses, raw),
    sendPacedMail: (raw, run) => mail.send(raw, run),
    backoff: { ...defaultBackoff, sleep: async () => undefined },
    surveyBaseUrl: stack.info.appUrl,
    surveyTokenSecret: localSurveyTokenSecret,
    announceAnswer: (event) => enqueueEvents(new SQSClient({ endpoint: stack.queue.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), stack.queue.queueUrl, [event]),
    now: () => new Date(atMs),
  });
  const handler = createDueHandler({
    store,
    lifecycle: new AppLifecycle({ journal: new WebhooksJournal({ app: demoApp, basePath: stack.info.sandboxUrl }), store }),
    ...(journalBudgetMs === undefined ? {} : { journalBudgetMs }),
    identities: new SesSenderIdentities(ses),
    sharedSenderDomains: [],
    dueWork: senders.dueWork,
    sendQuota,
  });
  return addDueRunReport(await handler({ time: new Date(atMs).toISOString() }), senders.worked);
}

/** A fresh stack per suite: each one runs the due λ's clock forward from its own start. */
function withStackAndDeals(moves: [dealId: string, stageId: string][]) {
  beforeAll(async () => {
    stack = await startTestStack();
    for (const [dealId, stageId] of moves) stack.sandbox.moveDeal(portal, dealId, stageId);
    await stack.settled();
  });
  afterAll(() => stack.close());
}

describe('the due λ when SES throttles', () => {
  // Emma and Peter (302), James (310): surveys a day later.
  withStackAndDeals([
    ['302', 'offersent'],
    ['310', 'cardelivered'],
  ]);

  it('slows down and sends a survey SES throttled in the same run, and mails nobody twice', async () => {
    throttleNextSends = 2;
    const first = await dueRun(start + 25 * 3_600_000);
    expect([first.surveysSent, first.failed, throttleNextSends]).toEqual([3, 0, 0]);
    expect((await dueRun(start + 25 * 3_600_000 + 60_000)).surveysSent).toBe(0);
    expect(await Promise.all(['emma.wilson@example.com', 'peter.smith@example.com', 'james.miller@example.com'].map(async (address) => (await mailsTo(stack.info.sesUrl, address)).length))).toEqual([1, 1, 1]);
  });

});

describe('the due λ when HubSpot’s webhooks journal never answers', () => {
  withStackAndDeals([['302', 'offersent']]);

  it('sends the due surveys once the journal’s share of the run is spent', async () => {
    // The local SES keeps the mails of earlier suites: count this run's.
    const mailCounts = () => Promise.all(['emma.wilson@example.com', 'peter.smith@example.com'].map(async (address) => (await mailsTo(stack.info.sesUrl, address)).length));
    const before = await mailCounts();
    stack.sandbox.faults.add({ pathPattern: '^/webhooks-journal/', status: 'timeout', times: 10, timeoutMs: 5_000 });
    const run = await dueRun(start + 25 * hour, undefined, 300);
    expect(run.surveysSent).toBe(2);
    expect(await mailCounts()).toEqual(before.map((count) => count + 1));
    stack.sandbox.faults.clear();
  });
});

describe('the due λ killed mid-run', () => {
  // Deal 304 has two buyers: the dead run claims the first survey (or reminder) and hangs there.
  withStackAndDeals([['304', 'cardelivered']]);
  const buyers = ['camilla.lund@example.dk', 'laura.christensen@example.dk'];
  const mailCounts = () => Promise.all(buyers.map(async (address) => (await mailsTo(stack.info.sesUrl, address)).length));
  const invitations304 = () => stack.store.listInvitations(portal, '304');

  it('sends a survey whose run died in SES exactly once, after the claim has lapsed', async () => {
    void dueRun(start + 25 * hour, runThatDiesInSes);
    await expect.poll(async () => (await invitations304()).filter(({ status }) => status === 'sent').length).toBe(1);

    // While the dead sender's lease on both timers runs, the next minute's run hands neither out again.
    expect(await dueRun(start + 25 * hour + minute)).toMatchObject({ handedOut: 0, surveysSent: 0 });
    expect(await mailCounts()).toEqual([0, 0]);

    // Past the claim's lease (longer than the timers' and the λ's timeout) the claim is the dead run's: released and sent, the other buyer's too.
    expect((await dueRun(start + 25 * hour + 6 * minute)).surveysSent).toBe(2);
    await dueRun(start + 25 * hour + 7 * minute);
    expect(await mailCounts()).toEqual([1, 1]);
    expect((await invitations304()).map(({ status, surveyMessageId }) => [status, typeof surveyMessageId])).toEqual([
      ['sent', 'string'],
      ['sent', 'string'],
    ]);
  });

  it('sends a reminder whose run died in SES exactly once', async () => {
    // The reminders come three days after the surveys; the first run to send one dies.
    const remindersDue = start + 25 * hour + 6 * minute + 3 * 24 * hour;
    void dueRun(remindersDue, runThatDiesInSes);
    await expect.poll(async () => (await invitations304()).filter(({ reminderSentAt }) => reminderSentAt).length).toBe(1);
    expect(await dueRun(remindersDue + minute)).toMatchObject({ handedOut: 0, remindersSent: 0 }); // the dead sender's lease runs
    expect(await dueRun(remindersDue + 6 * minute)).toMatchObject({ remindersSent: 2 });
    await dueRun(remindersDue + 7 * minute);
    expect(await mailCounts()).toEqual([2, 2]);
    expect((await invitations304()).map(({ reminderMessageId }) => typeof reminderMessageId)).toEqual(['string', 'string']);
  });
});

describe('the due λ when a missed promise’s task cannot be made', () => {
  // Deal 301's sales meeting promises the offer within two days; it never goes out.
  withStackAndDeals([['301', 'salesmeeting']]);
  const deadlinePassed = start + 2 * 24 * hour + 30 * minute;
  async function tasksOf301() {
    const hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
    return (await hubspot.crm.associations.v4.basicApi.getPage('deals', '301', 'tasks')).results.length;
  }

  it('makes the task on the next run when HubSpot failed it (a 5xx is not retried blindly: the task may exist)', async () => {
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '^/crm/v3/objects/tasks$', status: 503, times: 1 });
    expect(await dueRun(deadlinePassed)).toMatchObject({ missedFollowUps: 0, failed: 1 });
    expect(await tasksOf301()).toBe(0);
    expect(await dueRun(deadlinePassed + minute)).toMatchObject({ missedFollowUps: 1, failed: 0 });
    await dueRun(deadlinePassed + 2 * minute);
    expect(await tasksOf301()).toBe(1);
  });
});

describe('the due λ killed while making a missed promise’s task', () => {
  withStackAndDeals([['301', 'salesmeeting']]);
  const deadlinePassed = start + 2 * 24 * hour + 30 * minute;

  it('makes exactly one task, once the dead run’s claim has lapsed', async () => {
    // HubSpot holds the task request past the end of the test: the run waits there until Lambda kills it.
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '^/crm/v3/objects/tasks$', status: 'timeout', timeoutMs: 10 * minute, times: 1 });
    void dueRun(deadlinePassed).catch(() => undefined); // its late error, once the stack closes, is no one's concern
    await expect.poll(() => stack.sandbox.faults.fired()).toBe(1);

    expect(await dueRun(deadlinePassed + minute)).toMatchObject({ handedOut: 0, missedFollowUps: 0 }); // the dead sender's lease runs
    expect(await dueRun(deadlinePassed + 6 * minute)).toMatchObject({ missedFollowUps: 1, failed: 0 });
    await dueRun(deadlinePassed + 7 * minute);
    const hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
    expect((await hubspot.crm.associations.v4.basicApi.getPage('deals', '301', 'tasks')).results).toHaveLength(1);
  });
});

describe('the due λ after HubSpot failed its runs for hours', () => {
  // Kari (306): survey a day later. HubSpot fails the contact read of every run for three hours.
  withStackAndDeals([['306', 'offersent']]);

  it('still sends the survey when HubSpot is back: a timer stays due, however long it waited', async () => {
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '^/crm/v3/objects/contacts/batch/read$', status: 503, times: defaultBackoff.attempts });
    expect(await dueRun(start + 25 * hour)).toMatchObject({ surveysSent: 0, failed: 1 });
    expect(await dueRun(start + 28 * hour)).toMatchObject({ surveysSent: 1, failed: 0 });
    await dueRun(start + 28 * hour + minute);
    expect(await mailsTo(stack.info.sesUrl, 'kari.nordmann@example.no')).toHaveLength(1);
  });

  it('settles an answer in a run whose mail HubSpot fails: settling needs no HubSpot read', async () => {
    const [survey] = await mailsTo(stack.info.sesUrl, 'kari.nordmann@example.no');
    const link = survey!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
    expect((await asPerson(`${link}?score=9`)).status).toBe(200);
    stack.sandbox.moveDeal(portal, '302', 'offersent'); // Emma's and Peter's surveys fall due in the same run
    await stack.settled();
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '^/crm/v3/objects/contacts/batch/read$', status: 503, times: defaultBackoff.attempts });
    expect(await dueRun(Date.now() + 25 * hour)).toMatchObject({ answersSettled: 1, surveysSent: 0, failed: 2 });
    expect(await stack.store.getResponse(portal, { dealId: '306', touchpointId: 'offer', contactId: '107' })).toMatchObject({ score: 9 });
  });
});

describe('the due λ when the table fails right after SES took a survey', () => {
  // Michael (307): survey a day later. The write setting his reminder is refused once.
  withStackAndDeals([['307', 'cardelivered']]);

  it('mails him once and sets the reminder on the next run', async () => {
    refuseNextTimerWrites = 1;
    expect(await dueRun(start + 25 * hour)).toMatchObject({ surveysSent: 0, failed: 1 });
    await dueRun(start + 25 * hour + minute);
    await dueRun(start + 25 * hour + 10 * minute); // past the lease: the survey is not sent again
    expect(await mailsTo(stack.info.sesUrl, 'michael.andersen@example.dk')).toHaveLength(1);
    const invitation = (await stack.store.listInvitations(portal, '307')).find(({ contactId }) => contactId === '110');
    const reminder = `reminder-307-delivery-110`;
    expect((await stack.store.dueTimers(timerShard(reminder), new Date(start + 30 * 24 * hour), 100)).map(({ id, dueAt }) => [id, dueAt.getTime() - invitation!.sentAt!.getTime()])).toContainEqual([reminder, 3 * 24 * hour]);
  });
});
