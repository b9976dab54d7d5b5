import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBouncesHandler } from '../../lambdas/handlers/bounces.js';
import { demoPortalId } from '../../local/demo/car-dealer.js';
import { mailFeedbackNotification } from '../../local/mail-feedback.js';
import { mailCountTo, mailsTo } from '../support/local-ses.js';
import { asPerson, hubspotFetchAs, settleClicks, startTestStack, tableSnapshot } from '../support/local-stack.js';

const portal = demoPortalId;
const hour = 3_600_000;
const day = 24 * hour;
const start = Date.now();
let stack: Awaited<ReturnType<typeof startTestStack>>;

const mailCount = (address: string) => mailCountTo(stack.info.sesUrl, address);
const invitationsOf = async (dealId: string, touchpointId: string) =>
  (await stack.store.listInvitations(portal, dealId)).filter((invitation) => invitation.touchpointId === touchpointId).map(({ contactId, status, skipReason }) => `${contactId}:${status}:${skipReason ?? ''}`);
async function moveDeal(dealId: string, stageId: string) {
  stack.sandbox.moveDeal(portal, dealId, stageId);
  await stack.settled();
}

beforeAll(async () => {
  stack = await startTestStack();
  // Without the fatigue rule each later survey is planned, so what stops it is the suppression.
  const settings = await stack.store.getSettings(portal);
  await stack.store.saveSettings(portal, { ...settings!.value, fatigue: { atMostOneSurveyPerDays: 0 } }, { expectedVersion: settings!.version, changedBy: 'test' });
});
afterAll(() => stack.close());

describe('bounces and complaints', () => {
  it('a hard bounce stops the reminder and later surveys for that contact, and no one else’s', async () => {
    await moveDeal('302', 'offersent'); // Emma (102) and Peter (104)
    await stack.runDueAt(new Date(start + 25 * hour));
    expect([await mailCount('emma.wilson@example.com'), await mailCount('peter.smith@example.com')]).toEqual([1, 1]);

    expect(await stack.mailFeedback('bounce', 'emma.wilson@example.com')).toEqual(['bounced']);
    expect(await stack.store.mailSuppression(portal, '102')).toMatchObject({ reason: 'bounced', address: 'emma.wilson@example.com' });

    await stack.runDueAt(new Date(start + 25 * hour + 3 * day + 5 * 60_000));
    expect([await mailCount('emma.wilson@example.com'), await mailCount('peter.smith@example.com')]).toEqual([1, 2]);

    await moveDeal('302', 'contractsigned');
    await stack.runDueAt(new Date(start + 5 * day));
    expect(await invitationsOf('302', 'contract')).toEqual(['102:skipped:bounced', '104:sent:']);
    expect([await mailCount('emma.wilson@example.com'), await mailCount('peter.smith@example.com')]).toEqual([1, 3]);
  });

  it('a complaint stops the reminder and later surveys for that contact', async () => {
    await moveDeal('301', 'salesmeeting'); // Anders (101)
    await stack.runDueAt(new Date(start + 6 * day));
    expect(await mailCount('anders.jensen@example.dk')).toBe(1);

    expect(await stack.mailFeedback('complaint', 'anders.jensen@example.dk')).toEqual(['complained']);

    await stack.runDueAt(new Date(start + 9 * day + 5 * 60_000));
    expect(await mailCount('anders.jensen@example.dk')).toBe(1);

    await moveDeal('301', 'offersent');
    await stack.runDueAt(new Date(start + 11 * day));
    expect(await invitationsOf('301', 'offer')).toEqual(['101:skipped:complained']);
    expect(await mailCount('anders.jensen@example.dk')).toBe(1);
  });

  it('keeps a complaint when a bounce follows it, and takes a redelivered notification as done', async () => {
    expect(await stack.mailFeedback('bounce', 'anders.jensen@example.dk')).toEqual(['already_suppressed']);
    expect(await stack.store.mailSuppression(portal, '101')).toMatchObject({ reason: 'complained' });

    const sentMail = { messageId: 'ses-redelivered', destination: { to: ['emma.wilson@example.com'] }, body: {}, at: start / 1000 };
    const notification = mailFeedbackNotification('bounce', sentMail, { portalId: portal, contactId: '102' }, new Date(start + 7 * day));
    const bounces = createBouncesHandler({ store: stack.store });
    expect(await bounces(notification)).toEqual(['bounced']); // a later bounce of the contact replaces the earlier one
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    expect(await bounces(notification)).toEqual(['already_suppressed']);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
    expect(await stack.store.mailSuppression(portal, '102')).toMatchObject({ reason: 'bounced', messageId: 'ses-redelivered' });
  });

  it('sends no reply to an unhappy answer from the contact who marked our mail as spam; the owner still gets the task', async () => {
    const [survey] = await mailsTo(stack.info.sesUrl, 'anders.jensen@example.dk');
    const link = survey!.body.text!.match(/https?:\/\/\S+\/s\/[^\s?]+/)![0];
    expect((await asPerson(`${link}?score=2`)).status).toBe(200);
    await settleClicks(stack);
    expect(await stack.store.onceState(portal, 'task-answer-301-sales-meeting-101')).toEqual({ result: expect.any(String) });
    expect(await mailCount('anders.jensen@example.dk')).toBe(1);
  });

  it('shows on the contact’s card that the email bounced or was marked as spam, and on no one else’s', async () => {
    const cardOf = async (contactId: string) => (await (await hubspotFetchAs(stack, portal, 'GET', `/card?objectType=contact&objectId=${contactId}`)).json()) as { mailSuppression: unknown };
    expect((await cardOf('102')).mailSuppression).toMatchObject({ reason: 'bounced', address: 'emma.wilson@example.com' });
    expect((await cardOf('101')).mailSuppression).toMatchObject({ reason: 'complained', address: 'anders.jensen@example.dk' });
    expect((await cardOf('104')).mailSuppression).toBeNull();
  });

  describe('input that is no SNS notification of an SES bounce or complaint', () => {
    const sentMail = { messageId: 'ses-1', destination: { to: ['peter.smith@example.com'] }, body: {}, at: start / 1000 };
    const notification = mailFeedbackNotification('bounce', sentMail, { portalId: portal, contactId: '104' }, new Date(start));
    const withMessage = (Message: string) => ({ Records: [{ ...notification.Records[0]!, Sns: { ...notification.Records[0]!.Sns, Message } }] });

    it.each([
      ['garbage', 'not an event'],
      ['an empty object', {}],
      ['an SNS record without a topic', { Records: [{ ...notification.Records[0]!, Sns: { ...notification.Records[0]!.Sns, TopicArn: undefined } }] }],
      ['a message that is not JSON', withMessage('<html>bounce</html>')],
      ['a message that is not an SES event', withMessage(JSON.stringify({ hello: 'world' }))],
      ['an SES delivery event', withMessage(JSON.stringify({ eventType: 'Delivery', delivery: {}, mail: { messageId: 'ses-1', destination: [], tags: {} } }))],
      ['a bounce without its recipients', withMessage(JSON.stringify({ ...JSON.parse(notification.Records[0]!.Sns.Message), bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [], timestamp: new Date(start).toISOString() } }))],
    ])('refuses %s with a clear error and changes nothing stored', async (_, event) => {
      const bounces = createBouncesHandler({ store: stack.store });
      const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
      await expect(bounces(event)).rejects.toThrow(/Failed to parse SNS/);
      expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
    });

    it('suppresses with the same notification once its message is an SES bounce', async () => {
      expect(await createBouncesHandler({ store: stack.store })(notification)).toEqual(['bounced']);
      expect(await stack.store.mailSuppression(portal, '104')).toMatchObject({ reason: 'bounced', messageId: 'ses-1' });
    });
  });

  it('lets the demo CLI bounce a mail through the running stack, and says when there is none to bounce', async () => {
    const post = (path: string) => fetch(`${stack.info.appUrl}${path}`, { method: 'POST' });
    const bounced = await post('/local/mail-feedback/bounce?to=peter.smith%40example.com');
    expect([bounced.status, await bounced.json()]).toEqual([200, { outcomes: ['bounced'] }]);
    expect(await stack.store.mailSuppression(portal, '104')).toMatchObject({ reason: 'bounced', address: 'peter.smith@example.com' });
    expect((await post('/local/mail-feedback/bounce?to=james.miller%40example.com')).status).toBe(404); // no mail went to James here
    expect((await post('/local/mail-feedback/delivery?to=peter.smith%40example.com')).status).toBe(400);
  });
});
