import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLeaseMs, type Invitation, type Timer } from '../../lambdas/domain/journey.js';
import { summarizePeriod } from '../../lambdas/domain/period-summary.js';
import { PortalSettings, TouchpointDefinition } from '@touchpoints/contracts';
import { VersionConflictError } from '../../lambdas/errors.js';
import { keys } from '../../lambdas/store/keys.js';
import { timerShard, timerShards } from '../../lambdas/store/store.js';
import { ensureTable } from '../../lambdas/store/table.js';
import { startTestTable } from '../support/dynamo.js';

const portal = 24681357;
const otherPortal = 99887766;
const clock = { now: new Date('2026-11-25T09:00:00.000Z') };
let table: Awaited<ReturnType<typeof startTestTable>>;

beforeAll(async () => {
  table = await startTestTable(() => clock.now);
});
afterAll(() => table.close());

const settings = PortalSettings.parse({ sender: { name: 'Bilhuset Nord', email: 'kundeservice@bilhuset.example' } });
const offer = TouchpointDefinition.parse({
  id: 'offer',
  name: 'The offer',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { en: 'How did you find our offer?' },
  sendDelay: { amount: 1, unit: 'hours' },
  followUp: { expect: 'stage', stageId: 'contractsigned', within: { amount: 2, unit: 'days' } },
});

describe('table', () => {
  it('is created once; ensuring it again changes nothing', async () => {
    await table.store.saveSettings(11, settings, { expectedVersion: undefined, changedBy: 'admin' });
    await ensureTable(table.client, table.tableName);
    expect((await table.store.getSettings(11))?.version).toBe(1);
  });
});

describe('portal settings', () => {
  it('reads back what was saved, with version and author', async () => {
    await table.store.saveSettings(portal, settings, { expectedVersion: undefined, changedBy: 'mette@bilhuset.example' });
    expect(await table.store.getSettings(portal)).toEqual({
      value: settings,
      version: 1,
      changedAt: clock.now,
      changedBy: 'mette@bilhuset.example',
    });
  });

  it('refuses an edit based on a stale version and keeps the newer one', async () => {
    const danish = { ...settings, defaultLanguage: 'da' as const };
    await table.store.saveSettings(portal, danish, { expectedVersion: 1, changedBy: 'mette@bilhuset.example' });
    const stale = table.store.saveSettings(portal, { ...settings, reminderAfterDays: 9 }, { expectedVersion: 1, changedBy: 'jens@bilhuset.example' });
    await expect(stale).rejects.toThrow(VersionConflictError);
    expect(await table.store.getSettings(portal)).toMatchObject({ value: danish, version: 2 });
  });

  it('refuses to create settings twice', async () => {
    const second = table.store.saveSettings(portal, settings, { expectedVersion: undefined, changedBy: 'jens@bilhuset.example' });
    await expect(second).rejects.toThrow('settings of portal 24681357 already exists');
  });

  it('is undefined for a portal that never saved any', async () => {
    expect(await table.store.getSettings(otherPortal)).toBeUndefined();
  });
});

describe('touchpoints', () => {
  it('lists only the portal’s own touchpoints', async () => {
    await table.store.saveTouchpoint(portal, offer, { expectedVersion: undefined, changedBy: 'admin' });
    await table.store.saveTouchpoint(otherPortal, { ...offer, id: 'theirs' }, { expectedVersion: undefined, changedBy: 'admin' });
    expect((await table.store.listTouchpoints(portal)).map(({ value }) => value)).toEqual([offer]);
  });

  it('updates with the current version and refuses the stale one', async () => {
    const renamed = { ...offer, name: 'Our offer' };
    expect(await table.store.saveTouchpoint(portal, renamed, { expectedVersion: 1, changedBy: 'admin' })).toBe(2);
    await expect(table.store.saveTouchpoint(portal, offer, { expectedVersion: 1, changedBy: 'admin' })).rejects.toThrow(
      'touchpoint offer was changed by someone else since version 1',
    );
    expect((await table.store.listTouchpoints(portal))[0]?.value.name).toBe('Our offer');
  });

  it('deletes only with the current version', async () => {
    await expect(table.store.deleteTouchpoint(portal, 'offer', 1)).rejects.toThrow(VersionConflictError);
    await table.store.deleteTouchpoint(portal, 'offer', 2);
    expect(await table.store.listTouchpoints(portal)).toEqual([]);
  });

  it('pages through more touchpoints than one Query returns', async () => {
    const many = 60;
    const question = { en: `${'Long question text '.repeat(15)}?` };
    await Promise.all(
      Array.from({ length: many }, (_, index) =>
        table.store.saveTouchpoint(77, { ...offer, id: `tp-${index}`, question }, { expectedVersion: undefined, changedBy: 'admin' }),
      ),
    );
    expect(await table.store.listTouchpoints(77)).toHaveLength(many);
  });
});

describe('webhook events', () => {
  it('is new the first time and seen after that, per portal', async () => {
    expect(await table.store.markWebhookEventSeen(portal, '1001')).toBe(true);
    expect(await table.store.markWebhookEventSeen(portal, '1001')).toBe(false);
    expect(await table.store.markWebhookEventSeen(otherPortal, '1001')).toBe(true);
  });

  it('expires seven days after it was seen', async () => {
    const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: keys.webhookEvent(portal, '1001') }));
    expect(Item?.ttl).toBe(clock.now.getTime() / 1000 + 7 * 86_400);
  });
});

describe('deal stage history', () => {
  it('keeps the stages in the order the deal entered them, even when events arrive out of order', async () => {
    const visit = (stageId: string, at: string, eventId: string) => ({ dealId: '501', pipelineId: 'car-sales', stageId, enteredAt: new Date(at), eventId });
    await table.store.recordDealStage(portal, visit('offersent', '2026-11-20T10:00:00.000Z', 'e2'));
    await table.store.recordDealStage(portal, visit('salesmeeting', '2026-11-18T10:00:00.000Z', 'e1'));
    await table.store.recordDealStage(portal, visit('offersent', '2026-11-20T10:00:00.000Z', 'e2'));
    expect((await table.store.dealStageHistory(portal, '501')).map(({ stageId, eventId }) => `${stageId}/${eventId}`)).toEqual([
      'salesmeeting/e1',
      'offersent/e2',
    ]);
  });

  it('holds no stages of another portal’s deal with the same id', async () => {
    expect(await table.store.dealStageHistory(otherPortal, '501')).toEqual([]);
  });
});

describe('invitations', () => {
  const invitation: Invitation = {
    dealId: '501',
    touchpointId: 'offer',
    contactId: '9001',
    status: 'scheduled',
    language: 'da',
    createdAt: new Date('2026-11-20T10:00:00.000Z'),
  };

  it('creates one invitation per deal, touchpoint and contact', async () => {
    expect(await table.store.createInvitation(portal, invitation)).toBe(true);
    expect(await table.store.createInvitation(portal, { ...invitation, status: 'skipped', skipReason: 'fatigue' })).toBe(false);
    expect(await table.store.listInvitations(portal, '501')).toEqual([invitation]);
  });

  it('keeps invitations of the deal’s other contacts apart', async () => {
    await table.store.createInvitation(portal, { ...invitation, contactId: '9002', status: 'skipped', skipReason: 'no_email' });
    expect((await table.store.listInvitations(portal, '501')).map(({ contactId, status }) => `${contactId}:${status}`)).toEqual([
      '9001:scheduled',
      '9002:skipped',
    ]);
  });

  it('lists invitations without the deal’s stage history', async () => {
    expect((await table.store.listInvitations(portal, '501')).every(({ touchpointId }) => touchpointId === 'offer')).toBe(true);
  });
});

describe('timers', () => {
  const surveyTimer: Timer = {
    id: 'survey-501-offer-9001',
    kind: 'survey',
    dueAt: new Date('2026-11-26T11:00:30.000Z'),
    dealId: '501',
    touchpointId: 'offer',
    contactId: '9001',
  };
  const shard = timerShard(surveyTimer.id);
  const ids = async (upTo: Date, limit = 100) => (await table.store.dueTimers(shard, upTo, limit)).map(({ id }) => id);
  const farLater = new Date('2027-06-01T00:00:00.000Z');

  it('is due from its time on, not a millisecond before', async () => {
    await table.store.setTimer(portal, surveyTimer);
    expect(await ids(new Date(surveyTimer.dueAt.getTime() - 1))).toEqual([]);
    expect(await table.store.dueTimers(shard, surveyTimer.dueAt, 100)).toEqual([{ ...surveyTimer, portalId: portal }]);
  });

  it('moves instead of doubling when set again', async () => {
    const later = { ...surveyTimer, dueAt: new Date('2026-11-26T12:00:00.000Z') };
    await table.store.setTimer(portal, later);
    expect(await ids(surveyTimer.dueAt)).toEqual([]);
    expect(await table.store.dueTimers(shard, later.dueAt, 100)).toEqual([{ ...later, portalId: portal }]);
  });

  it('stays due for every later run, however long the due λ was away, earliest first, as many as asked', async () => {
    const sameShard = Array.from({ length: 40 }, (_, index) => `survey-overdue-${index}`).filter((id) => timerShard(id) === shard).slice(0, 3);
    for (const [index, id] of sameShard.entries()) {
      await table.store.setTimer(portal, { ...surveyTimer, id, dueAt: new Date(Date.UTC(2026, 10, 20 + index, 8)) });
    }
    expect(await ids(farLater)).toEqual([...sameShard, surveyTimer.id]);
    expect(await ids(farLater, 2)).toEqual(sameShard.slice(0, 2));
    for (const id of sameShard) await table.store.clearTimer(portal, id);
  });

  it('is gone once cleared', async () => {
    await table.store.clearTimer(portal, surveyTimer.id);
    expect(await ids(farLater)).toEqual([]);
  });

  it('spreads timer ids over every shard', () => {
    const shards = new Set(Array.from({ length: 100 }, (_, index) => timerShard(`survey-${index}`)));
    expect(shards.size).toBe(timerShards);
  });
});

describe('keys', () => {
  it('refuse an id that could pose as another key', () => {
    expect(() => keys.invitation(portal, '501#INV', 'offer', '9001')).toThrow(RangeError);
    expect(() => keys.record(portal, { objectType: 'contact', objectId: '' })).toThrow(RangeError);
    expect(() => keys.record(portal, { objectType: 'touchpoint', objectId: 'offer', period: '2026#05' })).toThrow(RangeError);
  });

  it('never need a Scan: every item written so far sits under a portal partition or a timer bucket', async () => {
    // The one Scan in the code base is this test's own check.
    const { Items = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
    expect(Items.length).toBeGreaterThan(0);
    expect(Items.every((item) => String(item.PK).startsWith('P#'))).toBe(true);
  });
});

describe('invitation lifecycle', () => {
  const scheduled: Invitation = {
    dealId: '601',
    touchpointId: 'offer',
    contactId: '9101',
    status: 'scheduled',
    language: 'en',
    createdAt: new Date('2026-11-20T10:00:00.000Z'),
    sendAt: new Date('2026-11-21T10:00:00.000Z'),
    companyId: '5001',
  };
  const timer: Timer = { id: 'survey-601-offer-9101', kind: 'survey', dueAt: scheduled.sendAt!, dealId: '601', touchpointId: 'offer', contactId: '9101' };

  it('reads one invitation back by its deal, touchpoint and contact', async () => {
    await table.store.createInvitation(portal, scheduled);
    expect(await table.store.getInvitation(portal, '601', 'offer', '9101')).toEqual(scheduled);
    expect(await table.store.getInvitation(portal, '601', 'offer', '9999')).toBeUndefined();
  });

  it('cancels a scheduled invitation and its timer, once', async () => {
    await table.store.setTimer(portal, timer);
    expect(await table.store.cancelScheduledInvitation(portal, scheduled)).toBe(true);
    expect(await table.store.cancelScheduledInvitation(portal, scheduled)).toBe(false);
    expect((await table.store.getInvitation(portal, '601', 'offer', '9101'))?.status).toBe('cancelled');
    expect(await table.store.dueTimers(timerShard(timer.id), timer.dueAt, 100)).toEqual([]);
  });
});

describe('survey slot (fatigue)', () => {
  const window = (at: string) => {
    const sendAt = new Date(at);
    return { sendAt, window: { after: new Date(sendAt.getTime() - 30 * 86_400_000), before: new Date(sendAt.getTime() + 30 * 86_400_000) } };
  };

  it('lets the first survey claim the contact and refuses a second inside the window', async () => {
    const first = window('2026-11-01T10:00:00.000Z');
    expect(await table.store.claimSurveySlot(portal, '9201', '601/offer', first.sendAt, first.window)).toBe(true);
    const second = window('2026-11-20T10:00:00.000Z');
    expect(await table.store.claimSurveySlot(portal, '9201', '601/contract', second.sendAt, second.window)).toBe(false);
  });

  it('lets the same invitation claim again, so a retry is harmless', async () => {
    const first = window('2026-11-01T10:00:00.000Z');
    expect(await table.store.claimSurveySlot(portal, '9201', '601/offer', first.sendAt, first.window)).toBe(true);
  });

  it('lets a survey outside the window claim the contact', async () => {
    const later = window('2026-12-02T10:00:00.000Z');
    expect(await table.store.claimSurveySlot(portal, '9201', '602/offer', later.sendAt, later.window)).toBe(true);
  });

  it('gives exactly one of two racing invitations the slot', async () => {
    const racing = window('2026-11-10T10:00:00.000Z');
    const results = await Promise.all(['a', 'b', 'c'].map((key) => table.store.claimSurveySlot(portal, '9301', key, racing.sendAt, racing.window)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('touchpoint months (the report reads one month of a touchpoint at a time)', () => {
  const madeInOctober: Invitation = { dealId: '801', touchpointId: 'contract', contactId: '9501', status: 'sent', language: 'da', createdAt: new Date('2026-10-30T10:00:00.000Z') };
  const answerInNovember = { dealId: '801', touchpointId: 'contract', contactId: '9501', score: 8, firstAnsweredAt: new Date('2026-11-02T08:00:00.000Z'), answeredAt: new Date('2026-11-02T08:00:00.000Z') };

  it('keeps an invitation and its answer in the month the invitation was made, and a follow-up in the month it started', async () => {
    await table.store.createInvitation(portal, madeInOctober);
    await table.store.saveResponse(portal, answerInNovember);
    await table.store.saveFollowUp(portal, {
      touchpointId: 'contract',
      dealId: '801',
      expectation: { expect: 'engagement' },
      promise: 'A sales activity is logged within 2 days',
      startedAt: new Date('2026-10-31T23:00:00.000Z'),
      dueAt: new Date('2026-11-02T23:00:00.000Z'),
      status: 'pending',
      contactIds: ['9501'],
    });

    const october = await table.store.touchpointPeriodActivity(portal, 'contract', '2026-10');
    expect([october.invitations.map(({ status }) => status), october.responses.map(({ score }) => score), october.followUps.map(({ dealId }) => dealId)]).toEqual([['answered'], [8], ['801']]);
    expect(await table.store.touchpointPeriodActivity(portal, 'contract', '2026-11')).toEqual({ touchpointId: 'contract', invitations: [], responses: [], followUps: [] });
  });

  it('forgets a contact’s copies in the touchpoint’s month, even when a deletion that stopped midway already removed the invitation', async () => {
    const invitation = { ...madeInOctober, dealId: '802', contactId: '9502' };
    await table.store.createInvitation(portal, invitation);
    await table.store.saveResponse(portal, { ...answerInNovember, dealId: '802', contactId: '9502' });
    await table.documents.send(new DeleteCommand({ TableName: table.tableName, Key: keys.invitation(portal, '802', 'contract', '9502') }));

    await table.store.forgetContact(portal, '9502');

    const october = await table.store.touchpointPeriodActivity(portal, 'contract', '2026-10');
    expect([...october.invitations, ...october.responses].filter(({ contactId }) => contactId === '9502')).toEqual([]);
    expect(await table.store.recordResponses(portal, { objectType: 'deal', objectId: '802' })).toEqual([]);
  });

  it('reads a month stored before its summary gained a field as missing, so the report computes it again', async () => {
    const september = summarizePeriod('2026-09', [{ touchpointId: 'contract', invitations: [], responses: [], followUps: [] }], [], clock.now);
    await table.store.savePeriodSummary(portal, september);
    expect(await table.store.periodSummaries(portal, '2026-09', '2026-09')).toHaveLength(1);

    const { commentTerms: _added, ...olderSummary } = september.touchpoints[0]!;
    const olderItem = { ...keys.touchpointSummary(portal, '2026-09', 'contract'), period: '2026-09', computedAt: clock.now.toISOString(), summary: olderSummary };
    await table.documents.send(new PutCommand({ TableName: table.tableName, Item: olderItem }));

    expect(await table.store.periodSummaries(portal, '2026-09', '2026-09')).toEqual([]);
  });

  it('reads a month back after it is computed again without a deleted touchpoint, whose earlier item it deletes', async () => {
    const activity = (touchpointId: string) => ({ touchpointId, invitations: [], responses: [], followUps: [] });
    await table.store.savePeriodSummary(portal, summarizePeriod('2026-08', [activity('contract'), activity('gone')], [], clock.now));
    const later = new Date(clock.now.getTime() + 60_000);
    await table.store.savePeriodSummary(portal, summarizePeriod('2026-08', [activity('contract')], [], later));

    const [august] = await table.store.periodSummaries(portal, '2026-08', '2026-08');
    expect([august?.computedAt, august?.touchpoints.map(({ touchpointId }) => touchpointId)]).toEqual([later, ['contract']]);
  });

  it('forgets every item of a month’s summary, the touchpoints’ too', async () => {
    await table.store.savePeriodSummary(portal, summarizePeriod('2026-07', [{ touchpointId: 'contract', invitations: [], responses: [], followUps: [] }], [], clock.now));
    await table.store.forgetPeriodSummary(portal, '2026-07');
    const left = await table.documents.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :month)', ExpressionAttributeValues: { ':pk': keys.periodSummaries(portal).PK, ':month': '2026-07#' } }));
    expect(left.Items).toEqual([]);
  });

  it('keeps no answer whose invitation is gone', async () => {
    await table.store.saveResponse(portal, { ...answerInNovember, dealId: '803' });
    expect(await table.store.recordResponses(portal, { objectType: 'deal', objectId: '803' })).toEqual([]);
  });
});

describe('survey opt-outs and privacy deletion', () => {
  it('tells which contacts opted out of our surveys', async () => {
    await table.store.optOutOfSurveys(portal, '9401');
    expect(await table.store.surveyOptOuts(portal, ['9401', '9402', '9401'])).toEqual(new Set(['9401']));
    expect(await table.store.surveyOptOuts(otherPortal, ['9401'])).toEqual(new Set());
  });

  it('forgets a contact: invitations on every deal, timers, slot and opt-out', async () => {
    const base = { touchpointId: 'offer', contactId: '9401', status: 'scheduled' as const, language: 'da' as const, createdAt: new Date() };
    await table.store.createInvitation(portal, { ...base, dealId: '701' });
    await table.store.createInvitation(portal, { ...base, dealId: '702' });
    await table.store.createInvitation(portal, { ...base, dealId: '702', contactId: '9402' });
    await table.store.setTimer(portal, { id: 'survey-701-offer-9401', kind: 'survey', dueAt: new Date('2026-12-01T00:00:00Z'), dealId: '701', touchpointId: 'offer', contactId: '9401' });

    await table.store.forgetContact(portal, '9401');

    expect(await table.store.listInvitations(portal, '701')).toEqual([]);
    expect((await table.store.listInvitations(portal, '702')).map(({ contactId }) => contactId)).toEqual(['9402']);
    expect(await table.store.surveyOptOuts(portal, ['9401'])).toEqual(new Set());
    expect(await table.store.dueTimers(timerShard('survey-701-offer-9401'), new Date('2026-12-01T00:00:00Z'), 100)).toEqual([]);
  });
});

describe('side effects done once (tasks, notes, reply mails)', () => {
  const at = (ms: number) => new Date(clock.now.getTime() + ms);

  it('is claimed once, in flight for everyone else, then done for good once remembered', async () => {
    expect(await table.store.claimOnce(portal, 'task-answer-301-offer-101', at(0))).toBe('claimed');
    expect(await table.store.claimOnce(portal, 'task-answer-301-offer-101', at(claimLeaseMs - 1))).toBe('in_flight');
    await table.store.rememberOnce(portal, 'task-answer-301-offer-101', 'task-1');
    expect(await table.store.claimOnce(portal, 'task-answer-301-offer-101', at(10 * claimLeaseMs))).toBe('done');
  });

  it('is taken over once a claim nobody remembered has outlived the lease (its run died), and only by one run', async () => {
    expect(await table.store.claimOnce(portal, 'task-missed-309-offer', at(0))).toBe('claimed');
    const later = at(claimLeaseMs + 1);
    expect((await Promise.all([table.store.claimOnce(portal, 'task-missed-309-offer', later), table.store.claimOnce(portal, 'task-missed-309-offer', later)])).sort()).toEqual([
      'in_flight',
      'taken_over',
    ]);
  });

  it('can be tried again once released', async () => {
    expect(await table.store.claimOnce(portal, 'reply-302-offer-102', at(0))).toBe('claimed');
    await table.store.releaseOnce(portal, 'reply-302-offer-102');
    expect(await table.store.claimOnce(portal, 'reply-302-offer-102', at(1))).toBe('claimed');
  });
});

describe('installs', () => {
  it('keeps a portal’s grant and nothing for a portal that never installed', async () => {
    const install = { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date('2026-11-25T10:00:00.000Z') };
    await table.store.saveInstall(portal, install);
    expect(await table.store.getInstall(portal)).toEqual({ ...install, installedAt: expect.any(Date) });
    expect(await table.store.getInstall(otherPortal)).toBeUndefined();
  });

  it('keeps the install’s time through token refreshes and sets it anew on an install', async () => {
    const firstInstall = new Date('2026-11-01T09:00:00.000Z');
    await table.store.saveInstall(4711, { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date('2026-11-01T09:30:00.000Z'), installedAt: firstInstall });
    await table.store.saveInstall(4711, { accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: new Date('2026-11-01T10:00:00.000Z') });
    expect(await table.store.getInstall(4711)).toMatchObject({ accessToken: 'at-2', installedAt: firstInstall });
    const reinstall = new Date('2026-12-01T09:00:00.000Z');
    await table.store.saveInstall(4711, { accessToken: 'at-3', refreshToken: 'rt-3', expiresAt: new Date('2026-12-01T09:30:00.000Z'), installedAt: reinstall });
    expect(await table.store.getInstall(4711)).toMatchObject({ accessToken: 'at-3', installedAt: reinstall });
  });
});

describe('forgetting a portal (uninstall)', () => {
  it('deletes every item of the portal and nothing of a portal whose id starts the same', async () => {
    const doomed = 555;
    const neighbour = 5551;
    for (const portalId of [doomed, neighbour]) {
      await table.store.saveSettings(portalId, settings, { expectedVersion: undefined, changedBy: 'admin' });
      await table.store.saveTouchpoint(portalId, offer, { expectedVersion: undefined, changedBy: 'admin' });
      await table.store.createInvitation(portalId, { dealId: '9', touchpointId: 'offer', contactId: '8', status: 'scheduled', language: 'en', createdAt: new Date() });
      await table.store.setTimer(portalId, { id: 'survey-9-offer-8', kind: 'survey', dueAt: new Date('2026-12-01T00:00:00Z'), dealId: '9', touchpointId: 'offer', contactId: '8' });
    }
    expect(await table.store.forgetPortal(doomed)).toBeGreaterThanOrEqual(6);
    expect([await table.store.getSettings(doomed), await table.store.listInvitations(doomed, '9'), await table.store.listTouchpoints(doomed)]).toEqual([undefined, [], []]);
    expect(await table.store.listInvitations(neighbour, '9')).toHaveLength(1);
    expect(await table.store.getSettings(neighbour)).toBeDefined();
  });

  it('lets go of the portal’s sender domains, so another portal may claim them, and keeps other portals’ claims', async () => {
    const [doomed, neighbour, newcomer] = [556, 5561, 557];
    const at = new Date('2026-12-01T00:00:00Z');
    expect(await table.store.claimSenderDomain('doomed.example', doomed, at)).toBe(doomed);
    expect(await table.store.claimSenderDomain('neighbour.example', neighbour, at)).toBe(neighbour);
    expect(await table.store.claimSenderDomain('doomed.example', newcomer, at)).toBe(doomed);
    await table.store.forgetPortal(doomed);
    expect(await table.store.claimSenderDomain('doomed.example', newcomer, at)).toBe(newcomer);
    expect(await table.store.claimSenderDomain('neighbour.example', newcomer, at)).toBe(neighbour);
  });
});
