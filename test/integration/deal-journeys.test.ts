import { Client, Signature } from '@hubspot/api-client';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation } from '../../lambdas/domain/journey.js';
import { timerShard } from '../../lambdas/store/store.js';
import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';
import { startTestStack, tableSnapshot } from '../support/local-stack.js';

let stack: Awaited<ReturnType<typeof startTestStack>>;
const portal = demoPortalId;

beforeAll(async () => {
  stack = await startTestStack();
  // A deal's journey, as salespeople move it in HubSpot.
  for (const [dealId, stageId] of [
    ['301', 'salesmeeting'], // Anders (da): the sales meeting…
    ['301', 'offersent'], // …and the offer a few hours later: one survey a day is the demo's cap
    ['307', 'contractsigned'], // Jonas has no email, Michael does
    ['308', 'testdrive'], // back from closed lost; Sarah opted out of email
    ['309', 'offersent'], // a fleet deal nobody is on
    ['306', 'contractsigned'], // skips the sales meeting and the offer
  ] as const) {
    stack.sandbox.moveDeal(portal, dealId, stageId);
  }
  await stack.settled();
});
afterAll(() => stack.close());

const summary = (invitations: Invitation[]) =>
  invitations.map(({ touchpointId, contactId, status, skipReason, language }) => [touchpointId, contactId, status, skipReason ?? '', language].join(' '));

async function signedPost(body: string, timestamp = Date.now(), secret: string = demoApp.clientSecret) {
  const url = stack.info.webhookUrl;
  const signature = createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
    body,
  });
}

describe('moving demo deals through their stages', () => {
  it('delivers every webhook batch with a signature the app accepts', () => {
    const deliveries = stack.sandbox.webhooks.deliveries();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every(({ outcome, attempts }) => outcome === 'delivered' && attempts.at(-1)?.status === 204)).toBe(true);
  });

  it('invites a contact once a day at most: the sales meeting, not the offer hours later', async () => {
    expect(summary(await stack.store.listInvitations(portal, '301'))).toEqual(['offer 101 skipped fatigue da', 'sales-meeting 101 scheduled  da']);
  });

  it('skips a contact without an email and invites the other, in his language', async () => {
    expect(summary(await stack.store.listInvitations(portal, '307'))).toEqual(['contract 108 skipped no_email da', 'contract 110 scheduled  en']);
  });

  it('starts the stage a deal moves back into, and skips the opted-out contact', async () => {
    expect(summary(await stack.store.listInvitations(portal, '308'))).toEqual(['test-drive 109 skipped opted_out en']);
  });

  it('starts only the stage a deal jumps to, not the ones it skipped', async () => {
    expect(summary(await stack.store.listInvitations(portal, '306'))).toEqual(['contract 107 scheduled  nb']);
  });

  it('records a deal without contacts as a gap, not an error', async () => {
    expect(await stack.store.listInvitations(portal, '309')).toEqual([]);
    expect(stack.queue.dlq()).toEqual([]);
  });

  it('records each stage the deal entered in its history, after the stage the install read from HubSpot’s history', async () => {
    const history = await stack.store.dealStageHistory(portal, '301');
    const fromWebhooks = history.filter(({ eventId }) => !eventId.startsWith('history-')).map(({ pipelineId, stageId }) => `${pipelineId}/${stageId}`);
    // Both moves happened in the same millisecond here; the store test checks the order by time.
    expect(fromWebhooks.sort()).toEqual(['car-sales/offersent', 'car-sales/salesmeeting']);
    expect(history.filter(({ eventId }) => eventId.startsWith('history-')).map(({ stageId }) => stageId)).toEqual(['testdrive']);
  });

  it('sets exactly one timer per scheduled invitation and none for skipped ones', async () => {
    const invitations = (await Promise.all(['301', '306', '307', '308', '309'].map((dealId) => stack.store.listInvitations(portal, dealId)))).flat();
    const scheduled = invitations.filter(({ status }) => status === 'scheduled');
    const latest = new Date(Math.max(...scheduled.map(({ sendAt }) => sendAt!.getTime())));
    const timers = (await Promise.all([0, 1, 2, 3].map((shard) => stack.store.dueTimers(shard, latest, 100)))).flat();
    expect(timers.map(({ id }) => id).sort()).toEqual(scheduled.map(({ dealId, touchpointId, contactId }) => `survey-${dealId}-${touchpointId}-${contactId}`).sort());
    expect(scheduled).toHaveLength(3);
  });

  it('sets a survey timer for each scheduled invitation, due the touchpoint’s delay after the stage was entered', async () => {
    const [invitation] = (await stack.store.listInvitations(portal, '301')).filter(({ status }) => status === 'scheduled');
    const entered = (await stack.store.dealStageHistory(portal, '301')).find(({ stageId }) => stageId === 'salesmeeting');
    expect(invitation!.sendAt!.getTime() - entered!.enteredAt.getTime()).toBe(2 * 3_600_000);
    const timerId = 'survey-301-sales-meeting-101';
    const dueBySendAt = await stack.store.dueTimers(timerShard(timerId), invitation!.sendAt!, 100);
    expect(dueBySendAt.filter(({ id }) => id === timerId)).toEqual([
      expect.objectContaining({ id: timerId, kind: 'survey', dealId: '301', touchpointId: 'sales-meeting', contactId: '101', portalId: portal }),
    ]);
  });
});

describe('replays and bad requests', () => {
  it('changes nothing when every webhook batch is replayed three times in shuffled order', async () => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const sent = stack.sandbox.webhooks.deliveries().map(({ attempts }) => attempts.at(-1)!);
    const replays = [...sent, ...sent, ...sent].sort(() => Math.random() - 0.5);
    const statuses = await Promise.all(
      replays.map(async ({ body, signature, timestamp }) => {
        const response = await fetch(stack.info.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
          body,
        });
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([204]));
    await stack.settled();
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it.each([
    ['a bad signature', 401, () => signedPost('[]', Date.now(), 'not-the-secret')],
    ['a stale timestamp', 401, () => signedPost(stack.sandbox.webhooks.deliveries()[0]!.attempts[0]!.body, Date.now() - 6 * 60_000)],
    ['no signature at all', 401, () => fetch(stack.info.webhookUrl, { method: 'POST', body: '[]' })],
    ['broken JSON', 400, () => signedPost('[{"eventId":')],
    ['an empty batch', 400, () => signedPost('[]')],
    ['an event of a kind the app never subscribed to', 400, () => signedPost(JSON.stringify([{ eventId: 1, subscriptionId: 1, portalId: portal, appId: 1, occurredAt: Date.now(), objectId: 1, subscriptionType: 'contact.creation' }]))],
  ])('refuses %s with %i and changes nothing', async (_, status, send) => {
    const before = await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName);
    const deliveriesBefore = stack.queue.stats().deliveries;
    const response = await send();
    expect(response.status).toBe(status);
    await stack.settled();
    expect(stack.queue.stats().deliveries).toBe(deliveriesBefore);
    expect(await tableSnapshot(stack.info.dynamoEndpoint, stack.info.tableName)).toEqual(before);
  });

  it('names what is wrong in a malformed batch', async () => {
    const event = { eventId: 9, subscriptionId: 1, portalId: portal, appId: 1, occurredAt: Date.now(), objectId: 301, objectTypeId: '0-3', subscriptionType: 'object.propertyChange', propertyName: 'amount', propertyValue: '1' };
    const response = await signedPost(JSON.stringify([event]));
    expect(await response.json()).toEqual({ message: 'Invalid webhook batch', problems: ['0.propertyName: must be dealstage or notes_last_contacted: the app subscribes to no other property'] });
  });

  it('accepts what the sandbox signs, as @hubspot/api-client’s Signature.isValid does', () => {
    const { body, signature, timestamp } = stack.sandbox.webhooks.deliveries()[0]!.attempts.at(-1)!;
    expect(Signature.isValid({ signatureVersion: 'v3', signature, clientSecret: demoApp.clientSecret, requestBody: body, url: stack.info.webhookUrl, method: 'POST', timestamp: Number(timestamp) })).toBe(true);
  });
});

describe('deletions in HubSpot', () => {
  const hubspot = () => new Client({ accessToken: stack.info.accessToken, basePath: stack.info.sandboxUrl });

  it('cancels a deleted deal’s scheduled surveys and their timers', async () => {
    await hubspot().crm.deals.basicApi.archive('307');
    await stack.settled();
    expect(summary(await stack.store.listInvitations(portal, '307'))).toEqual(['contract 108 skipped no_email da', 'contract 110 cancelled  en']);
  });

  it('forgets everything about a contact HubSpot deleted for privacy', async () => {
    await hubspot().crm.contacts.basicApi.purge({ objectId: '107' });
    await stack.settled();
    expect(await stack.store.listInvitations(portal, '306')).toEqual([]);
    expect(stack.queue.dlq()).toEqual([]);
  });
});
