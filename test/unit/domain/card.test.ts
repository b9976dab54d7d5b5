import { describe, expect, it } from 'vitest';
import { CardData, type CardRequest, dayMs, defaultLightThresholds } from '@touchpoints/contracts';
import { recordCard, type RecordCardInput } from '../../../lambdas/domain/card.js';
import type { FollowUp } from '../../../lambdas/domain/follow-up.js';
import { answerOnDeal as answer, invitationOnDeal as invitation, touchpointOf as touchpoint } from '../../support/in-memory-store.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const record: CardRequest = { objectType: 'deal', objectId: '301' };

const offer = touchpoint('offer', { name: 'The offer' });

const missed = (touchpointId: string, dueAt: Date, change: Partial<FollowUp> = {}): FollowUp => ({
  touchpointId,
  dealId: '301',
  expectation: { expect: 'engagement' },
  promise: 'A sales activity is logged within 2 days',
  startedAt: new Date(dueAt.getTime() - 2 * dayMs),
  dueAt,
  status: 'missed',
  contactIds: ['101'],
  ...change,
});
const before = (ms: number) => new Date(now.getTime() - ms);

const card = (input: Partial<RecordCardInput> = {}) =>
  recordCard({ record, touchpoints: [offer], thresholds: defaultLightThresholds, responses: [], invitations: [], followUps: [], senderDomain: undefined, now, ...input });
const onlyTouchpoint = (input: Partial<RecordCardInput>) => {
  const { touchpoints } = card(input);
  expect(touchpoints).toHaveLength(1);
  return touchpoints[0]!;
};

describe('recordCard: the portal and the record', () => {
  it('tells a portal without touchpoints that it is not configured, with nothing to show', () => {
    expect(card({ touchpoints: [] })).toEqual({ record, configured: false, touchpoints: [], missedFollowUps: [], pendingAndKeptFollowUps: [], responseRate: { answered: 0, sent: 0 }, surveysPaused: null, mailSuppression: null });
  });

  it('says on a contact’s card that their mail bounced, or that they marked it as spam, and since when', () => {
    const contact: CardRequest = { objectType: 'contact', objectId: '101' };
    const at = before(3 * dayMs);
    expect(card({ record: contact, mailSuppression: { reason: 'bounced', address: 'anders@example.dk', at, messageId: 'ses-1' } }).mailSuppression).toEqual({ reason: 'bounced', address: 'anders@example.dk', since: at.toISOString() });
    expect(card({ record: contact, mailSuppression: { reason: 'complained', address: 'anders@example.dk', at, messageId: 'ses-1' } }).mailSuppression?.reason).toBe('complained');
    expect(card({ record: contact }).mailSuppression).toBeNull();
  });

  it('counts a portal whose touchpoints are all disabled as configured', () => {
    const data = card({ touchpoints: [touchpoint('offer', { enabled: false })] });
    expect([data.configured, data.touchpoints]).toEqual([true, []]);
  });

  it('names the record it was asked about', () => {
    const contact: CardRequest = { objectType: 'contact', objectId: '101' };
    expect(card({ record: contact }).record).toEqual(contact);
  });

  it('answers what the card’s schema accepts, in every state at once', () => {
    const data = card({
      touchpoints: [offer, touchpoint('delivery'), touchpoint('test-drive'), touchpoint('contract')],
      responses: [answer('offer', '101', 7, '2026-11-21T10:00:00Z', 'Fine'), answer('offer', '102', 8, '2026-11-22T10:00:00Z')],
      invitations: [invitation('offer', '101', 'answered'), invitation('delivery', '101', 'sent'), invitation('test-drive', '101', 'scheduled', '2026-11-26T10:00:00Z')],
      followUps: [missed('offer', before(3 * dayMs), { ownerId: '7001', ownerName: 'Mette Hansen' })],
    });
    expect(CardData.safeParse(data).success).toBe(true);
    expect(data.touchpoints.map(({ state }) => state).sort()).toEqual(['answered', 'not_asked', 'scheduled', 'waiting']);
  });
});

describe('recordCard: the journey', () => {
  it('orders touchpoints by phase, then the admin’s position, then name', () => {
    const touchpoints = [
      touchpoint('delivery', { name: 'Delivery', phase: 'post_purchase' }),
      touchpoint('offer-b', { name: 'B offer', phase: 'purchase', position: 1 }),
      touchpoint('offer-z', { name: 'Z offer', phase: 'purchase', position: 0 }),
      touchpoint('offer-a', { name: 'A offer', phase: 'purchase', position: 1 }),
      touchpoint('ad', { name: 'Advert', phase: 'influence' }),
      touchpoint('test-drive', { name: 'Test drive', phase: 'pre_purchase' }),
    ];
    expect(card({ touchpoints }).touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['ad', 'test-drive', 'offer-z', 'offer-a', 'offer-b', 'delivery']);
  });

  it('shows a touchpoint nobody was invited to as not asked, with no light and no scores', () => {
    expect(onlyTouchpoint({})).toEqual({
      touchpointId: 'offer',
      name: 'The offer',
      phase: 'purchase',
      state: 'not_asked',
      light: null,
      lastScore: null,
      meanScore: null,
      responses: 0,
      lastComment: null,
      lastAnsweredAt: null,
      nextSendAt: null,
    });
  });

  it.each(['skipped', 'cancelled', 'opted_out'] as const)('shows a touchpoint whose only invitations were %s as not asked', (status) => {
    const shown = onlyTouchpoint({ invitations: [invitation('offer', '101', status, '2026-11-26T10:00:00Z'), invitation('offer', '102', status)] });
    expect([shown.state, shown.nextSendAt]).toEqual(['not_asked', null]);
  });

  it('shows a touchpoint whose survey goes out later as scheduled, with the earliest send time among the deal’s contacts', () => {
    const shown = onlyTouchpoint({
      invitations: [
        invitation('offer', '101', 'scheduled', '2026-11-27T10:00:00.000Z'),
        invitation('offer', '102', 'scheduled', '2026-11-26T09:30:00.000Z'),
        invitation('offer', '103', 'skipped'),
        invitation('offer', '104', 'scheduled', '2026-11-28T10:00:00.000Z'),
      ],
    });
    expect([shown.state, shown.nextSendAt]).toEqual(['scheduled', '2026-11-26T09:30:00.000Z']);
  });

  it('does not count a scheduled invitation without a send time as scheduled', () => {
    expect(onlyTouchpoint({ invitations: [invitation('offer', '101', 'scheduled')] }).state).toBe('not_asked');
  });

  it('shows a touchpoint as waiting once one contact’s survey is sent, even if another’s is still scheduled', () => {
    const shown = onlyTouchpoint({ invitations: [invitation('offer', '101', 'scheduled', '2026-11-26T10:00:00Z'), invitation('offer', '102', 'sent')] });
    expect([shown.state, shown.nextSendAt]).toEqual(['waiting', null]);
  });

  it('shows a touchpoint as answered once any contact answered, even while others are waiting or scheduled', () => {
    const shown = onlyTouchpoint({
      responses: [answer('offer', '101', 9, '2026-11-21T10:00:00Z')],
      invitations: [invitation('offer', '101', 'answered'), invitation('offer', '102', 'sent'), invitation('offer', '103', 'scheduled', '2026-11-26T10:00:00Z')],
    });
    expect([shown.state, shown.nextSendAt]).toEqual(['answered', null]);
  });

  it('gives an answered touchpoint the light of its mean, the latest answer’s score and comment, and the count', () => {
    const shown = onlyTouchpoint({
      responses: [
        answer('offer', '101', 8, '2026-11-22T10:00:00.000Z', 'Clear offer'),
        answer('offer', '102', 3, '2026-11-21T10:00:00.000Z', 'Too expensive'),
        answer('offer', '103', 6, '2026-11-20T10:00:00.000Z'),
      ],
    });
    expect(shown).toMatchObject({
      state: 'answered',
      light: 'yellow',
      lastScore: 8,
      meanScore: 5.7,
      responses: 3,
      lastComment: 'Clear offer',
      lastAnsweredAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('shows no comment when the latest answer has none, even if an earlier one had', () => {
    const shown = onlyTouchpoint({ responses: [answer('offer', '101', 8, '2026-11-22T10:00:00Z'), answer('offer', '102', 3, '2026-11-21T10:00:00Z', 'Too expensive')] });
    expect(shown.lastComment).toBeNull();
  });

  it.each([
    [[7, 8, 8], 7.7],
    [[7, 7, 8], 7.3],
    [[5, 6], 5.5],
    [[9], 9],
  ])('rounds the mean of %o to one decimal: %d', (scores, mean) => {
    const shown = onlyTouchpoint({ responses: scores.map((score, index) => answer('offer', `10${index}`, score, `2026-11-2${index}T10:00:00Z`)) });
    expect(shown.meanScore).toBe(mean);
  });

  it.each([
    [[5], 'red'],
    [[6], 'yellow'],
    [[5, 6], 'yellow'],
    [[5, 5, 6], 'red'],
    [[7], 'yellow'],
    [[7, 8], 'green'],
    [[8], 'green'],
  ] as const)('lights the answers %o %s with the default thresholds (the mean rounded to a whole score)', (scores, light) => {
    const shown = onlyTouchpoint({ responses: scores.map((score, index) => answer('offer', `10${index}`, score, `2026-11-2${index}T10:00:00Z`)) });
    expect(shown.light).toBe(light);
  });

  it('uses the portal’s thresholds for the light', () => {
    const responses = [answer('offer', '101', 8, '2026-11-21T10:00:00Z')];
    expect([
      onlyTouchpoint({ responses, thresholds: { redMax: 8, yellowMax: 9 } }).light,
      onlyTouchpoint({ responses, thresholds: { redMax: 7, yellowMax: 8 } }).light,
      onlyTouchpoint({ responses, thresholds: { redMax: 5, yellowMax: 7 } }).light,
    ]).toEqual(['red', 'yellow', 'green']);
  });

  it('keeps each touchpoint’s answers and invitations to itself', () => {
    const { touchpoints } = card({
      touchpoints: [offer, touchpoint('delivery', { phase: 'post_purchase' })],
      responses: [answer('offer', '101', 3, '2026-11-21T10:00:00Z')],
      invitations: [invitation('offer', '101', 'answered'), invitation('delivery', '101', 'scheduled', '2026-12-01T10:00:00.000Z')],
    });
    expect(touchpoints.map(({ touchpointId, state, light, responses, nextSendAt }) => ({ touchpointId, state, light, responses, nextSendAt }))).toEqual([
      { touchpointId: 'offer', state: 'answered', light: 'red', responses: 1, nextSendAt: null },
      { touchpointId: 'delivery', state: 'scheduled', light: null, responses: 0, nextSendAt: '2026-12-01T10:00:00.000Z' },
    ]);
  });

  it('hides a disabled touchpoint nobody answered, even with surveys out', () => {
    const data = card({
      touchpoints: [offer, touchpoint('delivery', { enabled: false })],
      invitations: [invitation('delivery', '101', 'sent'), invitation('delivery', '102', 'scheduled', '2026-11-26T10:00:00Z')],
    });
    expect(data.touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['offer']);
  });

  it('keeps showing a disabled touchpoint that was answered', () => {
    const data = card({ touchpoints: [touchpoint('offer', { enabled: false })], responses: [answer('offer', '101', 9, '2026-11-21T10:00:00Z')] });
    expect(data.touchpoints.map(({ touchpointId, state, light }) => [touchpointId, state, light])).toEqual([['offer', 'answered', 'green']]);
  });

  it('shows a touchpoint asked after a lost deal only on a record that was asked it', () => {
    const lostDeal = touchpoint('lost-deal', { afterLostDeal: true });
    expect(card({ touchpoints: [offer, lostDeal] }).touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['offer']);
    const asked = card({ touchpoints: [offer, lostDeal], invitations: [invitation('lost-deal', '101', 'sent')] });
    expect(asked.touchpoints.map(({ touchpointId, state }) => [touchpointId, state])).toEqual([['offer', 'not_asked'], ['lost-deal', 'waiting']]);
  });

  it('shows nothing for answers about a touchpoint the portal deleted', () => {
    const data = card({ responses: [answer('deleted', '101', 2, '2026-11-21T10:00:00Z')] });
    expect(data.touchpoints.map(({ touchpointId, state }) => [touchpointId, state])).toEqual([['offer', 'not_asked']]);
  });

  it('refuses an answer whose score is outside 1 to 10', () => {
    expect(() => card({ responses: [answer('offer', '101', 11, '2026-11-21T10:00:00Z')] })).toThrow(RangeError);
  });
});

describe('recordCard: missed follow-ups', () => {
  it('lists only the promises still missed: not pending, kept or kept late ones', () => {
    const due = before(dayMs);
    const data = card({
      followUps: [
        missed('offer', due, { dealId: '1', status: 'pending' }),
        missed('offer', due, { dealId: '2', status: 'kept', keptAt: before(2 * dayMs) }),
        missed('offer', due, { dealId: '3', status: 'kept_late', keptAt: before(1) }),
        missed('offer', due, { dealId: '4' }),
      ],
    });
    expect(data.missedFollowUps.map(({ dealId }) => dealId)).toEqual(['4']);
  });

  it('describes a missed promise with its touchpoint’s name, the words of the promise, the deadline and the owner', () => {
    expect(card({ followUps: [missed('offer', before(3 * dayMs), { ownerId: '7001', ownerName: 'Mette Hansen' })] }).missedFollowUps).toEqual([
      {
        touchpointId: 'offer',
        touchpointName: 'The offer',
        dealId: '301',
        promise: 'A sales activity is logged within 2 days',
        dueAt: '2026-11-22T10:00:00.000Z',
        daysOverdue: 3,
        ownerId: '7001',
        ownerName: 'Mette Hansen',
      },
    ]);
  });

  it('gives no owner when the promise has none', () => {
    const [shown] = card({ followUps: [missed('offer', before(dayMs))] }).missedFollowUps;
    expect([shown?.ownerId, shown?.ownerName]).toEqual([null, null]);
  });

  it('names a deleted touchpoint’s missed promise by its id', () => {
    expect(card({ followUps: [missed('gone', before(dayMs))] }).missedFollowUps.map(({ touchpointName }) => touchpointName)).toEqual(['gone']);
  });

  it('names a disabled touchpoint’s missed promise by its name', () => {
    const data = card({ touchpoints: [touchpoint('offer', { name: 'The offer', enabled: false })], followUps: [missed('offer', before(dayMs))] });
    expect(data.missedFollowUps.map(({ touchpointName }) => touchpointName)).toEqual(['The offer']);
  });

  it('lists the oldest deadline first', () => {
    const data = card({
      followUps: [missed('offer', before(dayMs), { dealId: 'newest' }), missed('offer', before(5 * dayMs), { dealId: 'oldest' }), missed('offer', before(2 * dayMs), { dealId: 'middle' })],
    });
    expect(data.missedFollowUps.map(({ dealId }) => dealId)).toEqual(['oldest', 'middle', 'newest']);
  });

  it('does not reorder the follow-ups it was given', () => {
    const followUps = [missed('offer', before(dayMs), { dealId: 'newest' }), missed('offer', before(5 * dayMs), { dealId: 'oldest' })];
    card({ followUps });
    expect(followUps.map(({ dealId }) => dealId)).toEqual(['newest', 'oldest']);
  });

  it.each([
    ['a millisecond', 1, 0],
    ['a day less a millisecond', dayMs - 1, 0],
    ['exactly a day', dayMs, 1],
    ['47 hours', 47 * 3_600_000, 1],
    ['exactly two days', 2 * dayMs, 2],
  ])('counts a deadline %s ago as %i whole days overdue (rounded down)', (_, ms, days) => {
    expect(card({ followUps: [missed('offer', before(ms))] }).missedFollowUps.map(({ daysOverdue }) => daysOverdue)).toEqual([days]);
  });

  it('never counts a missed promise as negative days overdue, even with a deadline still ahead', () => {
    expect(card({ followUps: [missed('offer', new Date(now.getTime() + dayMs))] }).missedFollowUps.map(({ daysOverdue }) => daysOverdue)).toEqual([0]);
  });
});

describe('recordCard: pending and kept follow-ups', () => {
  const after = (ms: number) => new Date(now.getTime() + ms);

  it('shows a pending promise with its deadline and the whole minutes left, rounded up', () => {
    expect(card({ followUps: [missed('offer', after(46 * 3_600_000 + 1), { status: 'pending' })] }).pendingAndKeptFollowUps).toEqual([
      {
        touchpointId: 'offer',
        touchpointName: 'The offer',
        dealId: '301',
        promise: 'A sales activity is logged within 2 days',
        status: 'pending',
        dueAt: '2026-11-27T08:00:00.001Z',
        minutesLeft: 46 * 60 + 1,
        keptAt: null,
        daysLate: null,
      },
    ]);
  });

  it('gives a pending promise past its deadline, not yet recorded as missed, no time left rather than negative time', () => {
    expect(card({ followUps: [missed('offer', before(5 * 60_000), { status: 'pending' })] }).pendingAndKeptFollowUps.map(({ minutesLeft }) => minutesLeft)).toEqual([0]);
  });

  it('shows a promise kept in time with when it was kept', () => {
    const [kept] = card({ followUps: [missed('offer', before(dayMs), { status: 'kept', keptAt: before(2 * dayMs) })] }).pendingAndKeptFollowUps;
    expect(kept).toMatchObject({ status: 'kept', keptAt: '2026-11-23T10:00:00.000Z', minutesLeft: null, daysLate: null });
  });

  it('shows a promise kept late with how many days late (a started day counts), not as missed', () => {
    const data = card({ followUps: [missed('offer', before(12 * dayMs), { status: 'kept_late', keptAt: before(8 * dayMs - 3_600_000) })] });
    expect(data.missedFollowUps).toEqual([]);
    expect(data.pendingAndKeptFollowUps).toEqual([expect.objectContaining({ status: 'kept_late', daysLate: 5, keptAt: '2026-11-17T11:00:00.000Z' })]);
  });

  it('lists pending promises first, soonest due, then kept ones, latest kept first, and no missed one', () => {
    const data = card({
      followUps: [
        missed('offer', before(9 * dayMs), { dealId: 'kept-earlier', status: 'kept', keptAt: before(10 * dayMs) }),
        missed('offer', after(3 * dayMs), { dealId: 'pending-later', status: 'pending' }),
        missed('offer', before(dayMs), { dealId: 'missed' }),
        missed('offer', before(9 * dayMs), { dealId: 'kept-late-recently', status: 'kept_late', keptAt: before(dayMs) }),
        missed('offer', after(dayMs), { dealId: 'pending-sooner', status: 'pending' }),
      ],
    });
    expect(data.pendingAndKeptFollowUps.map(({ dealId }) => dealId)).toEqual(['pending-sooner', 'pending-later', 'kept-late-recently', 'kept-earlier']);
  });
});

describe('recordCard: the response rate', () => {
  it('counts surveys sent (sent or answered) and those answered, across touchpoints and contacts', () => {
    const data = card({
      touchpoints: [offer, touchpoint('delivery')],
      invitations: [
        invitation('offer', '101', 'answered'),
        invitation('offer', '102', 'sent'),
        invitation('offer', '103', 'answered'),
        invitation('delivery', '101', 'sent'),
        invitation('delivery', '102', 'answered'),
      ],
    });
    expect(data.responseRate).toEqual({ answered: 3, sent: 5 });
  });

  it('leaves out surveys never sent: scheduled, skipped, cancelled, opted out', () => {
    const data = card({
      invitations: [
        invitation('offer', '101', 'scheduled', '2026-11-26T10:00:00Z'),
        invitation('offer', '102', 'skipped'),
        invitation('offer', '103', 'cancelled'),
        invitation('offer', '104', 'opted_out'),
        invitation('offer', '105', 'sent'),
      ],
    });
    expect(data.responseRate).toEqual({ answered: 0, sent: 1 });
  });

  it('counts surveys of touchpoints it does not show (disabled or deleted)', () => {
    const data = card({ touchpoints: [touchpoint('offer', { enabled: false })], invitations: [invitation('offer', '101', 'sent'), invitation('deleted', '101', 'answered')] });
    expect([data.touchpoints.length, data.responseRate]).toEqual([0, { answered: 1, sent: 2 }]);
  });
});

describe('recordCard: surveys paused for the sender domain', () => {
  it('says the surveys wait while the sender domain is pending or failed, naming the domain', () => {
    expect(card({ senderDomain: { domain: 'bilhuset.example', state: 'pending' } }).surveysPaused).toEqual({ senderDomain: 'bilhuset.example' });
    expect(card({ senderDomain: { domain: 'bilhuset.example', state: 'failed' } }).surveysPaused).toEqual({ senderDomain: 'bilhuset.example' });
  });

  it('says nothing once the domain is verified, or before its first check', () => {
    expect(card({ senderDomain: { domain: 'bilhuset.example', state: 'verified' } }).surveysPaused).toBeNull();
    expect(card().surveysPaused).toBeNull();
  });
});
