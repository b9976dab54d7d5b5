import { Client } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardData, PortalReport } from '@touchpoints/contracts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOwnerTask } from '../../lambdas/hubspot/writes.js';
import { enqueueEvents } from '../../lambdas/queue/events-queue.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { mailsTo } from '../support/local-ses.js';
import { asPerson, postAsPerson, settleClicks, startTestStack } from '../support/local-stack.js';

// The demo's sales meeting promises the offer within 2 days. Deal 301 keeps it, 302 keeps it a day
// late, 309 misses it. Meetings "three days ago" are told to the app as HubSpot would: a signed
// webhook whose occurredAt lies in the past; the due λ's minute runs with the clock it is given.
const portal = demoPortalId;
const dayMs = 86_400_000;
const start = Date.now();
let stack: Awaited<ReturnType<typeof startTestStack>>;
let hubspot: Client;
let nextEventId = 9_000_000;

async function dealEnteredStage(dealId: string, stageId: string, occurredAt: number) {
  const body = JSON.stringify([
    { eventId: nextEventId++, subscriptionId: 4_100_001, portalId: portal, appId: demoApp.appId, occurredAt, subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: Number(dealId), objectTypeId: '0-3', propertyName: 'dealstage', propertyValue: stageId, changeSource: 'CRM_UI' },
  ]);
  const timestamp = String(Date.now());
  const signature = createHmac('sha256', demoApp.clientSecret).update(`POST${stack.info.webhookUrl}${body}${timestamp}`).digest('base64');
  const response = await fetch(stack.info.webhookUrl, { method: 'POST', headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body });
  expect(response.status).toBe(204);
}

async function tasksOfDeal(dealId: string) {
  const links = await hubspot.crm.associations.v4.basicApi.getPage('deals', dealId, 'tasks');
  if (links.results.length === 0) return [];
  const tasks = await hubspot.crm.objects.tasks.batchApi.read({ inputs: links.results.map(({ toObjectId }) => ({ id: String(toObjectId) })), properties: ['hs_task_subject', 'hubspot_owner_id'], propertiesWithHistory: [] });
  return tasks.results.map(({ properties }) => `${properties.hubspot_owner_id}: ${properties.hs_task_subject}`);
}

async function card(objectType: string, objectId: string): Promise<CardData> {
  const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/card?objectType=${objectType}&objectId=${objectId}`, portalId: portal });
  return (await (await fetch(signed.url, { headers: signed.headers })).json()) as CardData;
}

async function dealProperty(dealId: string, name: string) {
  return (await hubspot.crm.deals.basicApi.getById(dealId, [name])).properties[name];
}

beforeAll(async () => {
  stack = await startTestStack();
  hubspot = new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });
  stack.sandbox.moveDeal(portal, '301', 'salesmeeting');
  await dealEnteredStage('302', 'salesmeeting', start - 3 * dayMs);
  await dealEnteredStage('309', 'salesmeeting', start - 3 * dayMs);
  await stack.settled();
  stack.sandbox.moveDeal(portal, '301', 'offersent'); // the offer went out the same day
  await stack.settled();
  await stack.runDueAt(new Date(start + 60_000)); // 302's and 309's deadlines have passed
  stack.sandbox.moveDeal(portal, '302', 'offersent'); // a day after its deadline
  await stack.settled();
}, 60_000);
afterAll(() => stack.close());

describe('follow-up promises', () => {
  it('keeps the promise of the deal whose offer went out in time: nothing on the card, no task', async () => {
    expect((await card('deal', '301')).missedFollowUps).toEqual([]);
    expect(await tasksOfDeal('301')).toEqual([]);
  });

  it('shows the missed promise on the deal and its company, with one task for the deal owner', async () => {
    expect((await card('deal', '309')).missedFollowUps).toEqual([
      expect.objectContaining({ touchpointName: 'Sales meeting', promise: 'Deal reaches Offer sent within 2 days', daysOverdue: 1, ownerName: 'Sofie Lund' }),
    ]);
    expect((await card('company', '205')).missedFollowUps).toHaveLength(1);
    expect(await tasksOfDeal('309')).toEqual(['61003: Missed follow-up: Deal reaches Offer sent within 2 days']);
    expect(await dealProperty('309', 'touchpoints_missed_follow_ups')).toBe('1');
  });

  it('records a promise kept late as late: off the card and the count, the task made at the miss stays one', async () => {
    const [followUp] = (await stack.store.dealFollowUps(portal, '302')).filter(({ touchpointId }) => touchpointId === 'sales-meeting');
    expect(followUp?.status).toBe('kept_late');
    expect((await card('deal', '302')).missedFollowUps).toEqual([]);
    expect(await tasksOfDeal('302')).toEqual(['61002: Missed follow-up: Deal reaches Offer sent within 2 days']);
    expect(await dealProperty('302', 'touchpoints_missed_follow_ups')).toBe('0');
  });

  it('creates nothing new when the due λ runs the same minute again', async () => {
    await stack.runDueAt(new Date(start + 60_000));
    await stack.settled();
    expect(await tasksOfDeal('309')).toHaveLength(1);
    expect(await tasksOfDeal('302')).toHaveLength(1);
  });
});

describe('a promise of contact during the delivery wait', () => {
  it('is kept by a logged call and missed without one', async () => {
    // Contract signed three (304) and eight (310) days ago; the promise is contact within 7 days.
    await dealEnteredStage('304', 'contractsigned', start - 3 * dayMs);
    await dealEnteredStage('310', 'contractsigned', start - 8 * dayMs);
    await stack.settled();
    stack.sandbox.logSalesActivity(portal, '304', 'CALL');
    await stack.settled();
    await stack.runDueAt(new Date(start + 2 * 60_000));
    await stack.settled();

    const status = async (dealId: string) => (await stack.store.getFollowUp(portal, dealId, 'contract'))?.status;
    expect([await status('304'), await status('310')]).toEqual(['kept', 'missed']);
    expect(await tasksOfDeal('310')).toEqual(['61001: Missed follow-up: A sales activity is logged within 7 days']);
    expect(await tasksOfDeal('304')).toEqual([]);
  });
});

describe('a red answer from behind a mail scanner', () => {
  /** Security scanners pose as a browser: only their timing and the hidden link give them away. */
  const scannerBrowser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
  const comment = 'Nobody called me back about the offer';
  let link: string;

  const answerOf = async () => (await card('deal', '301')).touchpoints.find(({ touchpointId }) => touchpointId === 'sales-meeting')!;
  const notesOf = async (objectType: 'contacts' | 'deals', id: string) => {
    const links = await hubspot.crm.associations.v4.basicApi.getPage(objectType, id, 'notes');
    if (links.results.length === 0) return [];
    const notes = await hubspot.crm.objects.notes.batchApi.read({ inputs: links.results.map(({ toObjectId }) => ({ id: String(toObjectId) })), properties: ['hs_note_body'], propertiesWithHistory: [] });
    return notes.results.map(({ properties }) => properties.hs_note_body ?? '');
  };
  const taskOf = async (dealId: string) => {
    const links = await hubspot.crm.associations.v4.basicApi.getPage('deals', dealId, 'tasks');
    const tasks = await hubspot.crm.objects.tasks.batchApi.read({ inputs: links.results.map(({ toObjectId }) => ({ id: String(toObjectId) })), properties: ['hs_task_subject', 'hs_task_body', 'hs_task_status'], propertiesWithHistory: [] });
    expect(tasks.results).toHaveLength(1);
    return tasks.results[0]!.properties;
  };
  const reportedAnswers = async () => {
    const signed = stack.sandbox.signFetchRequest({ url: `${stack.info.appUrl}/report`, portalId: portal });
    const report = (await (await fetch(signed.url, { headers: signed.headers })).json()) as PortalReport;
    return report.touchpoints.find(({ touchpointId }) => touchpointId === 'sales-meeting')?.stats.answers;
  };
  let answersBefore: number | undefined;
  const repliesToAnders = async () => (await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk')).filter(({ subject }) => subject.startsWith('Tak for dit svar'));

  beforeAll(async () => {
    // HubSpot is busy when the task is created: two 429s, then it takes it.
    stack.sandbox.faults.add({ method: 'POST', pathPattern: '^/crm/v3/objects/tasks$', status: 429, policyName: 'SECONDLY', times: 2 });
    await stack.runDueAt(new Date(start + 3 * 3_600_000)); // Anders's sales-meeting survey goes out
    const [survey] = await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk');
    link = survey!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
    answersBefore = await reportedAnswers(); // the seeded history's
    // The scanner: every link of the delivered mail's HTML at once (ten scores, the hidden link, the unsubscribe link).
    const hrefs = [...survey!.body.html!.matchAll(/href="([^"]+)"/g)].map(([, href]) => href!.replaceAll('&amp;', '&'));
    expect(hrefs).toHaveLength(12);
    const fetched = await Promise.all(hrefs.map((href) => fetch(href, { headers: { 'user-agent': scannerBrowser } })));
    expect(fetched.map(({ status }) => status).sort()).toEqual([...Array(11).fill(200), 204]);
    await settleClicks(stack);
  }, 30_000);

  it('lets the scanner answer nothing: no answer on the card or in the report, no task, note, reply or property, nobody unsubscribed', async () => {
    expect((await answerOf()).lastScore).toBeNull();
    expect(await reportedAnswers()).toBe(answersBefore);
    expect(await tasksOfDeal('301')).toEqual([]);
    expect(await notesOf('contacts', '101')).toEqual([]);
    expect(await repliesToAnders()).toEqual([]);
    expect(await dealProperty('301', 'touchpoints_last_score')).toBeFalsy();
    expect(await stack.store.surveyOptOuts(portal, ['101'])).toEqual(new Set());
  });

  it('keeps the scanner’s clicks for audit, each with the sign that gave it away', async () => {
    const clicks = await stack.store.getClicks(portal, { dealId: '301', touchpointId: 'sales-meeting', contactId: '101' });
    expect(clicks?.clicks).toHaveLength(11);
    expect(new Set(clicks?.verdicts)).toEqual(new Set(['near_hidden_link', 'hidden_link']));
  });

  it('answers the person who then clicks 3 and comments: after the settle window, one task whose body holds the comment, one note, one reply', async () => {
    expect((await asPerson(`${link}?score=3`)).status).toBe(200);
    expect((await postAsPerson(link, { comment })).status).toBe(200);
    expect(await tasksOfDeal('301')).toEqual([]); // nothing before the window has passed
    await settleClicks(stack);
    expect(stack.sandbox.faults.fired()).toBe(2);
    expect(await tasksOfDeal('301')).toEqual(['61001: Red score on Sales meeting: call Anders']);
    expect((await taskOf('301')).hs_task_body).toContain(`rated &quot;Sales meeting&quot; 3/10: &quot;${comment}&quot;`);
    expect(await notesOf('contacts', '101')).toEqual([expect.stringContaining(comment)]);
    expect(await repliesToAnders()).toHaveLength(1);
    expect((await answerOf()).lastScore).toBe(3);
    expect(await reportedAnswers()).toBe(answersBefore! + 1);
  });

  it('tells the customer, in Danish, that the owner will get back to them', async () => {
    const [reply] = await repliesToAnders();
    expect(reply!.body.text).toContain('Mette Kjær fra Bilhuset Nord vender tilbage til dig snarest');
  });

  it('names the touchpoint the way a Danish customer would, not by its English label', async () => {
    const [reply] = await repliesToAnders();
    expect(reply!.body.text).toContain('hvordan "salgsmødet" gik');
    expect(reply!.body.text).not.toContain('Sales meeting');
  });

  it('writes the red light and the score onto the deal, the contact and the company in HubSpot', async () => {
    expect(await dealProperty('301', 'touchpoints_overall_light')).toBe('red');
    const contact = await hubspot.crm.contacts.basicApi.getById('101', ['touchpoints_last_score', 'touchpoints_last_touchpoint']);
    expect(contact.properties).toMatchObject({ touchpoints_last_score: '3', touchpoints_last_touchpoint: 'Sales meeting' });
    const company = await hubspot.crm.companies.basicApi.getById('201', ['touchpoints_overall_light']);
    expect(company.properties.touchpoints_overall_light).toBe('red');
  });

  it('puts the answer on the contact’s timeline as one note', async () => {
    // The reference line lets a run that takes over a dead run's claim find the note instead of making a second.
    // HubSpot renders note bodies as HTML: our text goes in escaped, its line breaks as <br>.
    expect(await notesOf('contacts', '101')).toEqual([
      `Touchpoints: &quot;Sales meeting&quot; rated 3/10 (red) – &quot;${comment}&quot;<br><br>Touchpoints ref: note-answer-301-sales-meeting-101`,
    ]);
  });

  it('puts a hostile comment into HubSpot as text, never as markup, revising the one note and the one task', async () => {
    const hostile = 'Nobody called <b>at all</b> & <a href="https://evil.example">click</a> <img src=x onerror=alert(1)> &amp; "quotes"';
    expect((await postAsPerson(link, { comment: hostile })).status).toBe(200);
    await settleClicks(stack);
    const notes = await notesOf('deals', '301');
    expect(notes).toHaveLength(1);
    const escaped = 'Nobody called &lt;b&gt;at all&lt;/b&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt; &lt;img src=x onerror=alert(1)&gt; &amp;amp; &quot;quotes&quot;';
    expect(notes[0]).toContain(escaped);
    expect(notes[0]).not.toMatch(/<(?!br>)/);
    const task = await taskOf('301');
    expect(task.hs_task_body).toContain(escaped);
    expect(task.hs_task_body).not.toMatch(/<(?!br>)/);
  });

  it('makes no second task or note when the customer changes the 3 to a 2, and the task says 2', async () => {
    expect((await postAsPerson(link, { score: '2' })).status).toBe(200);
    await settleClicks(stack);
    expect(await tasksOfDeal('301')).toHaveLength(1);
    expect((await taskOf('301')).hs_task_body).toContain('rated &quot;Sales meeting&quot; 2/10');
    expect(await notesOf('contacts', '101')).toEqual([expect.stringContaining('rated 2/10 (red)')]);
    expect(await dealProperty('301', 'touchpoints_last_score')).toBe('2');
  });

  it('marks the task when the customer changes to green, and completes it where the portal says so', async () => {
    expect((await postAsPerson(link, { score: '9' })).status).toBe(200);
    await settleClicks(stack);
    const changedOn = new Date().toISOString().slice(0, 10);
    let task = await taskOf('301');
    expect(task.hs_task_subject).toBe('Score on Sales meeting changed to 9/10: Anders');
    expect(task.hs_task_body).toContain(`changed their score for &quot;Sales meeting&quot; to 9/10 on ${changedOn}`);
    expect(task.hs_task_status).toBe('NOT_STARTED');
    expect(await repliesToAnders()).toHaveLength(1);

    const settings = (await stack.store.getSettings(portal))!;
    await stack.store.saveSettings(portal, { ...settings.value, closedLoop: { ...settings.value.closedLoop, completeTaskWhenGreen: true } }, { expectedVersion: settings.version, changedBy: 'test' });
    expect((await postAsPerson(link, { score: '10' })).status).toBe(200);
    await settleClicks(stack);
    task = await taskOf('301');
    expect(task.hs_task_status).toBe('COMPLETED');
    expect(task.hs_task_body).toContain('to 10/10');
  });

  it('reopens the completed task when the customer goes back to red, and still makes no second', async () => {
    expect((await postAsPerson(link, { score: '1' })).status).toBe(200);
    await settleClicks(stack);
    const task = await taskOf('301');
    expect(task.hs_task_status).toBe('NOT_STARTED');
    expect(task.hs_task_subject).toBe('Red score on Sales meeting: call Anders');
    expect(task.hs_task_body).toContain('rated &quot;Sales meeting&quot; 1/10');
    expect(await notesOf('contacts', '101')).toEqual([expect.stringContaining('rated 1/10 (red)')]);
  });
});

describe('a change to green after a run died right after making the red task', () => {
  it('finds the task the dead run made, by its reference, and marks it', async () => {
    const reference = 'task-answer-302-offer-102';
    // The dead run: claimed, made the task in HubSpot, died before remembering it.
    expect(await stack.store.claimOnce(portal, reference, new Date(Date.now() - 10 * 60_000))).toBe('claimed');
    const taskId = await createOwnerTask(hubspot, { reference, ownerId: '61002', subject: 'Red score on Offer: call Emma', body: 'Emma rated "Offer" 3/10.', dueAt: new Date(), dealId: '302', contactIds: ['102'] });
    const answeredAt = new Date();
    await stack.store.saveResponse(portal, { dealId: '302', touchpointId: 'offer', contactId: '102', score: 9, firstAnsweredAt: answeredAt, answeredAt });
    const sqs = new SQSClient({ endpoint: stack.queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await enqueueEvents(sqs, stack.queue.queueUrl, [
      { subscriptionType: 'touchpoints.answerRecorded', eventId: `answer-302-offer-102-${answeredAt.getTime()}`, portalId: portal, occurredAt: answeredAt.getTime(), dealId: '302', touchpointId: 'offer', contactId: '102' },
    ]);
    await stack.settled();
    const task = await hubspot.crm.objects.tasks.basicApi.getById(taskId, ['hs_task_subject']);
    expect(task.properties.hs_task_subject).toBe('Score on The offer changed to 9/10: Emma');
    expect(await stack.store.onceState(portal, reference)).toEqual({ result: taskId });
  });
});

describe('a red answer while the portal’s sender domain is not verified', () => {
  it('makes the task and writes the properties, but tries no mail SES would refuse', async () => {
    const verified = (await stack.store.getSenderDomain(portal))!;
    await stack.store.saveSenderDomain(portal, { ...verified, state: 'pending' });
    const answeredAt = new Date();
    await stack.store.saveResponse(portal, { dealId: '302', touchpointId: 'offer', contactId: '104', score: 2, comment: 'No call back', firstAnsweredAt: answeredAt, answeredAt });
    const sqs = new SQSClient({ endpoint: stack.queue.endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await enqueueEvents(sqs, stack.queue.queueUrl, [
      { subscriptionType: 'touchpoints.answerRecorded', eventId: `answer-302-offer-104-${answeredAt.getTime()}`, portalId: portal, occurredAt: answeredAt.getTime(), dealId: '302', touchpointId: 'offer', contactId: '104' },
    ]);
    await stack.settled();
    await stack.store.saveSenderDomain(portal, verified);
    expect(await stack.store.onceState(portal, 'task-answer-302-offer-104')).toEqual({ result: expect.any(String) });
    expect((await hubspot.crm.contacts.basicApi.getById('104', ['touchpoints_last_score'])).properties.touchpoints_last_score).toBe('2');
    expect((await mailsTo(stack.info.sesUrl, 'peter.smith@example.com')).filter(({ subject }) => subject.startsWith('Thank you'))).toEqual([]);
    expect(stack.queue.stats().deadLettered).toBe(0);
  });
});
