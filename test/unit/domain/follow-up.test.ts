import { describe, expect, it } from 'vitest';
import { dayMs, TouchpointDefinition, type TouchpointDefinitionInput } from '@touchpoints/contracts';
import { daysLate, followUpTimerId, keepFollowUp, startFollowUp, type FollowUp, type FollowUpEvidence } from '../../../lambdas/domain/follow-up.js';

const hourMs = 3_600_000;
const startedAt = new Date('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(startedAt.getTime() + ms);

const offerSent: TouchpointDefinitionInput = {
  id: 'offer',
  name: 'The offer',
  phase: 'purchase',
  trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' },
  question: { en: 'How did you find our offer?' },
  sendDelay: { amount: 1, unit: 'hours' },
  followUp: { expect: 'stage', stageId: 'contractsigned', within: { amount: 2, unit: 'days' } },
};
const touchpoint = (change: Partial<TouchpointDefinitionInput> = {}) => TouchpointDefinition.parse({ ...offerSent, ...change });

const labels: Record<string, string> = { contractsigned: 'Contract signed', offersent: 'Offer sent' };
const stageLabel = (stageId: string) => labels[stageId] ?? `unknown stage ${stageId}`;
const deal = { dealId: '301', ownerId: '7001', contactIds: ['101', '102'], companyId: '5001' };

/** A promise as the store holds it: by default the stage promise above, started at `startedAt`, due two days later. */
const followUp = (change: Partial<FollowUp> = {}): FollowUp => ({
  touchpointId: 'offer',
  dealId: '301',
  expectation: { expect: 'stage', stageId: 'contractsigned' },
  promise: 'Deal reaches Contract signed within 2 days',
  startedAt,
  dueAt: at(2 * dayMs),
  status: 'pending',
  contactIds: ['101'],
  ...change,
});
const engagementFollowUp = (change: Partial<FollowUp> = {}) => followUp({ expectation: { expect: 'engagement' }, promise: 'A sales activity is logged within 2 days', ...change });
const stageEntered = (stageId: string, ms: number): FollowUpEvidence => ({ kind: 'stage', stageId, at: at(ms) });
const activityLogged = (ms: number): FollowUpEvidence => ({ kind: 'engagement', at: at(ms) });

describe('startFollowUp', () => {
  it('makes no promise for a touchpoint without one', () => {
    expect(startFollowUp(touchpoint({ followUp: null }), deal, startedAt, stageLabel)).toBeUndefined();
  });

  it('makes no promise when the follow-up was left out (the schema’s default)', () => {
    expect(startFollowUp(touchpoint({ followUp: undefined }), deal, startedAt, stageLabel)).toBeUndefined();
  });

  it('promises the expected stage in the portal’s words, due the promised time after the deal passed the touchpoint', () => {
    expect(startFollowUp(touchpoint(), deal, startedAt, stageLabel, 'Mette Hansen')).toEqual({
      touchpointId: 'offer',
      dealId: '301',
      expectation: { expect: 'stage', stageId: 'contractsigned' },
      promise: 'Deal reaches Contract signed within 2 days',
      startedAt,
      dueAt: new Date('2026-11-22T10:00:00.000Z'),
      status: 'pending',
      ownerId: '7001',
      ownerName: 'Mette Hansen',
      contactIds: ['101', '102'],
      companyId: '5001',
    });
  });

  it('asks the portal’s label of the promised stage, not of the stage that triggered the touchpoint', () => {
    const asked: string[] = [];
    const started = startFollowUp(touchpoint(), deal, startedAt, (stageId) => {
      asked.push(stageId);
      return stageLabel(stageId);
    });
    expect(asked).toEqual(['contractsigned']);
    expect(started?.promise).toBe('Deal reaches Contract signed within 2 days');
  });

  it('promises any logged sales activity without naming a stage', () => {
    const started = startFollowUp(touchpoint({ followUp: { expect: 'engagement', within: { amount: 4, unit: 'hours' } } }), deal, startedAt, stageLabel);
    expect(started).toMatchObject({
      expectation: { expect: 'engagement' },
      promise: 'A sales activity is logged within 4 hours',
      dueAt: new Date('2026-11-20T14:00:00.000Z'),
    });
  });

  it('keeps no stage id in an engagement promise’s expectation', () => {
    const started = startFollowUp(touchpoint({ followUp: { expect: 'engagement', within: { amount: 4, unit: 'hours' } } }), deal, startedAt, stageLabel);
    expect(started?.expectation).toStrictEqual({ expect: 'engagement' });
  });

  it.each([
    [{ amount: 1, unit: 'days' }, 'within 1 day', dayMs],
    [{ amount: 1, unit: 'hours' }, 'within 1 hour', hourMs],
    [{ amount: 1, unit: 'minutes' }, 'within 1 minute', 60_000],
    [{ amount: 3, unit: 'days' }, 'within 3 days', 3 * dayMs],
    [{ amount: 90, unit: 'minutes' }, 'within 90 minutes', 90 * 60_000],
  ] as const)('words %o as “%s” and sets the deadline that far ahead', (within, words, ms) => {
    const started = startFollowUp(touchpoint({ followUp: { expect: 'engagement', within } }), deal, startedAt, stageLabel);
    expect(started?.promise).toBe(`A sales activity is logged ${words}`);
    expect(started?.dueAt).toEqual(at(ms));
  });

  it('leaves out the owner and the company when the deal has none', () => {
    const started = startFollowUp(touchpoint(), { dealId: '301', contactIds: ['101'] }, startedAt, stageLabel);
    expect(started && Object.keys(started).sort()).toEqual(['contactIds', 'dealId', 'dueAt', 'expectation', 'promise', 'startedAt', 'status', 'touchpointId']);
  });

  it('treats an empty owner id, company id or owner name as none', () => {
    const started = startFollowUp(touchpoint(), { dealId: '301', ownerId: '', contactIds: [], companyId: '' }, startedAt, stageLabel, '');
    expect(started && ['ownerId', 'ownerName', 'companyId'].filter((key) => key in started)).toEqual([]);
  });

  it('shows the promise on every contact of the deal, and on none when the deal has no contacts', () => {
    const many = startFollowUp(touchpoint(), { ...deal, contactIds: ['101', '102', '103'] }, startedAt, stageLabel);
    const none = startFollowUp(touchpoint(), { ...deal, contactIds: [] }, startedAt, stageLabel);
    expect([many?.contactIds, none?.contactIds]).toEqual([['101', '102', '103'], []]);
  });

  it('starts the promise even for a disabled touchpoint (the caller decides which touchpoints started)', () => {
    expect(startFollowUp(touchpoint({ enabled: false }), deal, startedAt, stageLabel)?.status).toBe('pending');
  });
});

describe('keepFollowUp', () => {
  it('keeps a promise when the deal enters the promised stage before the deadline', () => {
    expect(keepFollowUp(followUp(), stageEntered('contractsigned', dayMs))).toEqual({ ...followUp(), status: 'kept', keptAt: at(dayMs) });
  });

  it('counts evidence exactly at the deadline as kept on time', () => {
    expect(keepFollowUp(followUp(), stageEntered('contractsigned', 2 * dayMs))).toMatchObject({ status: 'kept', keptAt: at(2 * dayMs) });
  });

  it('counts evidence a millisecond after the deadline as kept late', () => {
    expect(keepFollowUp(followUp(), stageEntered('contractsigned', 2 * dayMs + 1))).toMatchObject({ status: 'kept_late', keptAt: at(2 * dayMs + 1) });
  });

  it('keeps a missed promise late when the evidence comes after the deadline', () => {
    expect(keepFollowUp(followUp({ status: 'missed' }), stageEntered('contractsigned', 5 * dayMs))).toMatchObject({ status: 'kept_late', keptAt: at(5 * dayMs) });
  });

  it('keeps a promise marked missed on time when late-arriving evidence shows it happened before the deadline', () => {
    expect(keepFollowUp(followUp({ status: 'missed' }), stageEntered('contractsigned', dayMs))).toMatchObject({ status: 'kept', keptAt: at(dayMs) });
  });

  it('keeps an engagement promise with any logged sales activity', () => {
    expect(keepFollowUp(engagementFollowUp(), activityLogged(hourMs))).toMatchObject({ status: 'kept', keptAt: at(hourMs) });
  });

  it('keeps the rest of the promise as it was', () => {
    const pending = followUp({ ownerId: '7001', ownerName: 'Mette Hansen', companyId: '5001', contactIds: ['101', '102'] });
    const { status, keptAt, ...rest } = keepFollowUp(pending, stageEntered('contractsigned', hourMs))!;
    const { status: _status, ...before } = pending;
    expect([status, keptAt, rest]).toEqual(['kept', at(hourMs), before]);
  });

  it('does not change the promise it was given', () => {
    const pending = followUp();
    keepFollowUp(pending, stageEntered('contractsigned', hourMs));
    expect([pending.status, 'keptAt' in pending]).toEqual(['pending', false]);
  });

  it('ignores the deal entering a stage other than the promised one', () => {
    expect(keepFollowUp(followUp(), stageEntered('offersent', hourMs))).toBeUndefined();
  });

  it('ignores a logged activity when a stage was promised', () => {
    expect(keepFollowUp(followUp(), activityLogged(hourMs))).toBeUndefined();
  });

  it('ignores a stage change when a logged activity was promised', () => {
    expect(keepFollowUp(engagementFollowUp(), stageEntered('contractsigned', hourMs))).toBeUndefined();
  });

  it.each([
    ['before the promise started', -hourMs],
    ['at the very moment the promise started', 0],
  ])('ignores evidence from %s', (_, ms) => {
    expect(keepFollowUp(followUp(), stageEntered('contractsigned', ms))).toBeUndefined();
    expect(keepFollowUp(engagementFollowUp(), activityLogged(ms))).toBeUndefined();
  });

  it('accepts evidence a millisecond after the promise started', () => {
    expect(keepFollowUp(engagementFollowUp(), activityLogged(1))?.status).toBe('kept');
  });

  it.each(['kept', 'kept_late'] as const)('leaves a promise already %s alone', (status) => {
    expect(keepFollowUp(followUp({ status, keptAt: at(hourMs) }), stageEntered('contractsigned', 2 * hourMs))).toBeUndefined();
  });
});

describe('daysLate', () => {
  const keptLate = (lateMs: number) => followUp({ status: 'kept_late', keptAt: at(2 * dayMs + lateMs) });

  it.each([
    ['a millisecond', 1, 1],
    ['an hour', hourMs, 1],
    ['exactly a day', dayMs, 1],
    ['a day and an hour', dayMs + hourMs, 2],
    ['exactly two days', 2 * dayMs, 2],
    ['two days and a millisecond', 2 * dayMs + 1, 3],
  ])('counts a promise kept %s late as %i whole days late (rounded up)', (_, lateMs, days) => {
    expect(daysLate(keptLate(lateMs))).toBe(days);
  });

  it.each([
    ['pending', followUp()],
    ['missed', followUp({ status: 'missed' })],
    ['kept on time', followUp({ status: 'kept', keptAt: at(dayMs) })],
  ])('is 0 for a promise %s', (_, promise) => {
    expect(daysLate(promise)).toBe(0);
  });

  it('is 0 for a promise kept late with no time it was kept', () => {
    expect(daysLate(followUp({ status: 'kept_late' }))).toBe(0);
  });

  it('agrees with keepFollowUp for a promise kept a day and a minute after its deadline', () => {
    expect(daysLate(keepFollowUp(followUp({ status: 'missed' }), stageEntered('contractsigned', 3 * dayMs + 60_000))!)).toBe(2);
  });
});

describe('followUpTimerId', () => {
  it('names the timer after the deal and the touchpoint', () => {
    expect(followUpTimerId('301', 'offer')).toBe('followup-301-offer');
  });

  it('gives one timer per deal and touchpoint: the same pair, the same id; another deal or touchpoint, another id', () => {
    expect(followUpTimerId('301', 'offer')).toBe(followUpTimerId('301', 'offer'));
    expect(new Set([followUpTimerId('301', 'offer'), followUpTimerId('302', 'offer'), followUpTimerId('301', 'delivery')]).size).toBe(3);
  });
});
