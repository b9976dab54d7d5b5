import { beforeEach, describe, expect, it } from 'vitest';
import type { FollowUp } from '../../../lambdas/domain/follow-up.js';
import type { Invitation } from '../../../lambdas/domain/journey.js';
import type { SurveyResponse } from '../../../lambdas/domain/response.js';
import { portalReport, type ReportStore } from '../../../lambdas/journeys/portal-report.js';
import type { PortalInstall } from '../../../lambdas/domain/install.js';
import { periodOf, type PeriodSummary } from '../../../lambdas/domain/period-summary.js';
import type { StageStay } from '../../../lambdas/domain/stage-stays.js';
import type { RecordActivity } from '../../../lambdas/store/invitations.js';
import { type InMemoryPortal, inMemoryPortal, settingsOf, touchpointOf } from '../../support/in-memory-store.js';

const portalId = 24681357;
const now = new Date('2026-12-02T08:00:00.000Z');
const at = (day: string) => new Date(`2026-${day}T10:00:00.000Z`);

const invitation = (dealId: string, contactId: string, touchpointId: string, status: Invitation['status'], createdAt: Date, ownerId?: string): Invitation => ({
  dealId,
  touchpointId,
  contactId,
  status,
  language: 'en',
  createdAt,
  ...(ownerId ? { ownerId } : {}),
});
const answer = (dealId: string, contactId: string, touchpointId: string, score: number, answeredAt: Date): SurveyResponse => ({
  dealId,
  touchpointId,
  contactId,
  score,
  firstAnsweredAt: answeredAt,
  answeredAt,
});
const followUp = (dealId: string, status: FollowUp['status'], startedAt: Date, ownerId: string): FollowUp => ({
  touchpointId: 'offer',
  dealId,
  expectation: { expect: 'engagement' },
  promise: 'A sales activity is logged within 2 days',
  startedAt,
  dueAt: new Date(startedAt.getTime() + 2 * 86_400_000),
  status,
  ownerId,
  contactIds: [],
});

let portal: InMemoryPortal;
let store: ReportStore;
/** The deals' stage stays; the store keeps them in one partition per month they began in. */
let stays: StageStay[];

/** Every month from the install (January) to `now` (December). */
/** Installed on 2026-01-05: its months reach back as far as the install's stage history backfill (730 days), from January 2024 to this December. */
const periodsReached = Array.from({ length: 36 }, (_, month) => `${2024 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`);
/** The period summaries the report saved, by month. */
let saved: Map<string, PeriodSummary>;

beforeEach(() => {
  portal = inMemoryPortal();
  saved = new Map();
  store = {
    ...portal.store,
    getInstall: async () => ({ installedAt: new Date('2026-01-05T09:00:00.000Z') }) as PortalInstall,
    periodSummaries: async (_portalId, from, to) => [...saved.values()].filter(({ period }) => from <= period && period <= to),
    savePeriodSummary: async (_portalId, summary) => void saved.set(summary.period, summary),
    touchpointPeriodActivity: async (_portalId, touchpointId, period) => touchpointMonth(touchpointId, period),
    dealsAtRisk: async () => [],
    recentInterviews: async () => [],
    stageStaysOfPeriod: async (_portalId, period) => stays.filter(({ enteredAt }) => periodOf(enteredAt) === period),
  };
  stays = [];
  touchpointHistory = new Map();
});

/** Each touchpoint's items across months; the store keeps them in one partition per month. */
let touchpointHistory: Map<string, Partial<Omit<RecordActivity, 'mailSuppression'>>>;
const withTouchpointHistory = (touchpointId: string, activity: Partial<Omit<RecordActivity, 'mailSuppression'>>) => void touchpointHistory.set(touchpointId, activity);

/** What the store's month partition of a touchpoint holds: the invitations made in the month, their answers, the follow-ups started in it. */
function touchpointMonth(touchpointId: string, period: string) {
  const history = touchpointHistory.get(touchpointId) ?? {};
  const invitations = (history.invitations ?? []).filter(({ createdAt }) => periodOf(createdAt) === period);
  const customers = new Set(invitations.map(({ dealId, contactId }) => `${dealId}/${contactId}`));
  return {
    touchpointId,
    invitations,
    responses: (history.responses ?? []).filter(({ dealId, contactId }) => customers.has(`${dealId}/${contactId}`)),
    followUps: (history.followUps ?? []).filter(({ startedAt }) => periodOf(startedAt) === period),
    dealOutcomes: (history.dealOutcomes ?? []).filter(({ closedAt }) => periodOf(closedAt) === period),
  };
}

describe('portalReport: what it counts', () => {
  beforeEach(() => {
    portal.touchpoints.set(portalId, [touchpointOf('offer', { name: 'Offer' }), touchpointOf('van-offer', { name: 'Van offer', trigger: { type: 'deal_stage', pipelineId: 'vans', stageId: 'van-offer' } })]);
    withTouchpointHistory('offer', {
      invitations: [
        invitation('301', '101', 'offer', 'answered', at('11-02'), 'owner-1'),
        invitation('301', '102', 'offer', 'sent', at('11-03'), 'owner-1'),
        invitation('302', '103', 'offer', 'answered', at('11-05'), 'owner-2'),
        invitation('303', '104', 'offer', 'answered', at('10-20'), 'owner-1'),
        invitation('304', '105', 'offer', 'skipped', at('11-10'), 'owner-1'),
      ],
      responses: [
        answer('301', '101', 'offer', 9, at('11-04')),
        answer('302', '103', 'offer', 2, at('11-06')),
        answer('303', '104', 'offer', 5, at('11-01')),
        // An answer whose invitation is not in the partition is nobody the report knows.
        answer('999', '999', 'offer', 1, at('11-05')),
      ],
      followUps: [
        followUp('301', 'missed', at('11-02'), 'owner-1'),
        followUp('302', 'kept', at('11-05'), 'owner-2'),
        followUp('303', 'missed', at('10-10'), 'owner-1'),
        followUp('304', 'kept_late', at('11-07'), 'owner-1'),
      ],
    });
    withTouchpointHistory('van-offer', {
      invitations: [invitation('501', '601', 'van-offer', 'answered', at('11-02'), 'owner-1')],
      responses: [answer('501', '601', 'van-offer', 10, at('11-03'))],
    });
  });

  const offerStats = async (scope: Parameters<typeof portalReport>[2]) => {
    const report = await portalReport(store, portalId, scope, now);
    const offer = report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer');
    expect(offer).toBeDefined();
    return offer!.stats;
  };

  it('counts every invited customer’s answer when nothing is filtered', async () => {
    const report = await portalReport(store, portalId, {}, now);
    expect(report.generatedAt).toBe(now.toISOString());
    expect(report.customers).toBe(4);
    const stats = report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!.stats;
    expect(stats).toMatchObject({ answers: 3, mean: 16 / 3, responseRate: 3 / 4, coverage: 3 / 5, missedFollowUpRate: 3 / 4, thin: true });
    expect(stats.distribution).toEqual({ red: 2, yellow: 0, green: 1 });
  });

  it('keeps to one pipeline’s touchpoints, while the month summaries it saves hold every touchpoint', async () => {
    const report = await portalReport(store, portalId, { pipelineId: 'vans' }, now);
    expect(report.touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['van-offer']);
    expect(report.touchpoints[0]!.stats).toMatchObject({ answers: 1, mean: 10 });
    expect(saved.get('2026-11')?.touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['offer', 'van-offer']);
  });

  it('reads a closed month’s saved summary instead of its answers while it is fresh, and the open month from its answers every time', async () => {
    const first = await portalReport(store, portalId, {}, now);
    const second = await portalReport(store, portalId, {}, new Date(now.getTime() + 60_000));
    expect(first.readFromAnswers).toEqual(periodsReached);
    expect(second.readFromAnswers).toEqual(['2026-12']);
    expect({ ...second, generatedAt: first.generatedAt, readFromAnswers: first.readFromAnswers }).toEqual(first);
    expect([...saved.keys()].sort()).toEqual(periodsReached.slice(0, -1));
  });

  it('names the months an owner filter read from answers', async () => {
    expect((await portalReport(store, portalId, { ownerId: 'owner-1' }, now)).readFromAnswers).toEqual(periodsReached);
  });

  it('keeps to a period: invitations and follow-ups from `since` up to, not including, `until`, with their answers', async () => {
    expect(await offerStats({ since: at('11-01'), until: at('12-01') })).toMatchObject({ answers: 2, mean: 5.5, responseRate: 2 / 3, coverage: 2 / 4, missedFollowUpRate: 2 / 3 });
    // An invitation made in the period counts with its answer, even one given at `until` or later.
    expect(await offerStats({ since: at('11-01'), until: at('11-04') })).toMatchObject({ answers: 1, mean: 9, coverage: 1 / 2 });
  });

  it('keeps to one owner’s invitations and the answers to them', async () => {
    expect(await offerStats({ ownerId: 'owner-1', since: at('11-01') })).toMatchObject({ answers: 1, mean: 9, responseRate: 1 / 2, coverage: 1 / 3 });
    expect(await offerStats({ ownerId: 'owner-2' })).toMatchObject({ answers: 1, mean: 2, responseRate: 1, coverage: 1 });
  });

  it('lights the mean by the portal’s thresholds, else the default ones', async () => {
    const scope = { since: at('11-01') };
    expect((await offerStats(scope)).light).toBe('yellow');
    portal.settings.set(portalId, settingsOf({ lightThresholds: { redMax: 3, yellowMax: 5 } }));
    expect((await offerStats(scope)).light).toBe('green');
  });
});

describe('portalReport: order', () => {
  beforeEach(() => {
    // Stored in no particular order.
    portal.touchpoints.set(portalId, [
      touchpointOf('recommend', { name: 'Would you recommend us', phase: 'post_purchase', measuresOverall: true }),
      touchpointOf('contract', { name: 'Contract', phase: 'purchase', position: 2 }),
      touchpointOf('offer', { name: 'Offer', phase: 'purchase', position: 1 }),
      touchpointOf('delivery', { name: 'Delivery', phase: 'post_purchase' }),
      touchpointOf('meeting', { name: 'Sales meeting', phase: 'pre_purchase' }),
      touchpointOf('test-drive', { name: 'Test drive', phase: 'influence' }),
    ]);
  });

  /** Thirty-six customers (enough to rank) who rated the meeting, the offer and the whole experience: the portal's only touchpoints. */
  function rankableCustomers(overallFollows: 'offer' | 'meeting') {
    portal.touchpoints.set(portalId, [
      touchpointOf('recommend', { name: 'Would you recommend us', phase: 'post_purchase', measuresOverall: true }),
      touchpointOf('offer', { name: 'Offer', phase: 'purchase' }),
      touchpointOf('meeting', { name: 'Sales meeting', phase: 'pre_purchase' }),
    ]);
    const offer = Array.from({ length: 3 }, () => [3, 4, 5, 6, 7, 8, 3, 4, 5, 6, 7, 8]).flat();
    // Uncorrelated with the offer's scores.
    const meeting = Array.from({ length: 3 }, () => [9, 8, 9, 8, 9, 8, 8, 9, 8, 9, 8, 9]).flat();
    const scores = { offer, meeting, recommend: overallFollows === 'offer' ? offer : meeting };
    for (const [touchpointId, ofTouchpoint] of Object.entries(scores)) {
      withTouchpointHistory(touchpointId, {
        invitations: ofTouchpoint.map((_, index) => invitation(String(401 + index), '101', touchpointId, 'answered', at('11-01'))),
        responses: ofTouchpoint.map((score, index) => answer(String(401 + index), '101', touchpointId, score, at('11-02'))),
      });
    }
  }

  it('lists the touchpoints in journey order: phase, position, name', async () => {
    const report = await portalReport(store, portalId, {}, now);
    expect(report.touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['test-drive', 'meeting', 'offer', 'contract', 'delivery', 'recommend']);
    expect(report.touchpoints.map(({ name, phase }) => `${phase}:${name}`)).toContain('purchase:Offer');
  });

  it('ranks nothing with too few answers, says how many customers it has of the 30 it needs, and still names the reddest touchpoint so far', async () => {
    withTouchpointHistory('contract', {
      invitations: [invitation('301', '101', 'contract', 'answered', at('11-01'))],
      responses: [answer('301', '101', 'contract', 3, at('11-02'))],
    });
    const report = await portalReport(store, portalId, {}, now);
    // The one customer answered no overall question: the regression the ranking rests on has nobody yet.
    expect(report.ranking).toEqual({ status: 'not_enough_answers', customers: 0, needed: 30 });
    expect(report.weakestFirst).toEqual([]);
    expect(report.touchpoints.every(({ impact }) => impact === null)).toBe(true);
    expect(report.findings).toEqual([{ touchpointId: 'contract', sentence: 'Contract has the most red answers so far: 100% (1 of 1) rate it red. Not enough answers to rank yet (0 of 30).' }]);
  });

  it('ranks weakest first by how low a touchpoint rates and how much it moves the overall score', async () => {
    rankableCustomers('offer');
    const report = await portalReport(store, portalId, {}, now);
    expect(report.customers).toBe(36);
    expect(report.ranking).toEqual({ status: 'ranked', customers: 36 });
    const impact = (id: string) => report.touchpoints.find(({ touchpointId }) => touchpointId === id)!.impact;
    expect(impact('offer')?.effect).toBeCloseTo(1, 6);
    expect(impact('meeting')?.effect).toBeCloseTo(0, 6);
    expect(impact('recommend')).toBeNull();
    expect(report.weakestFirst).toEqual(['offer', 'meeting']);
    expect(report.touchpoints.find(({ touchpointId }) => touchpointId === 'recommend')?.measuresOverall).toBe(true);
    expect(report.findings[0]).toEqual({
      touchpointId: 'offer',
      sentence: 'Offer is where you lose customers: 50% (18 of 36) rate it red. Each point less on it takes 1.00 points off the overall score.',
    });
  });

  it('ranks a better-rated touchpoint that drives the overall score above a worse-rated one that does not', async () => {
    rankableCustomers('meeting');
    const report = await portalReport(store, portalId, {}, now);
    const mean = (id: string) => report.touchpoints.find(({ touchpointId }) => touchpointId === id)!.stats.mean!;
    expect(mean('meeting')).toBeGreaterThan(mean('offer'));
    expect(report.weakestFirst[0]).toBe('meeting');
  });

  it('leaves a touchpoint only one customer rated out of the regression, so the others keep their impact and order', async () => {
    rankableCustomers('offer');
    portal.touchpoints.set(portalId, [...portal.touchpoints.get(portalId)!, touchpointOf('delivery', { name: 'Delivery', phase: 'post_purchase' })]);
    withTouchpointHistory('delivery', {
      invitations: [invitation('401', '101', 'delivery', 'answered', at('11-01'))],
      responses: [answer('401', '101', 'delivery', 2, at('11-02'))],
    });
    const report = await portalReport(store, portalId, {}, now);
    const impact = (id: string) => report.touchpoints.find(({ touchpointId }) => touchpointId === id)!.impact;
    expect(impact('offer')?.effect).toBeCloseTo(1, 6);
    expect(impact('delivery')).toBeNull();
    expect(report.weakestFirst[0]).toBe('offer');
  });
});

describe('portalReport: deals and lost deals', () => {
  const closed = (dealId: string, outcome: 'won' | 'lost', score: number, closedAt: Date, ownerId = 'owner-1') => ({ dealId, outcome, closedAt, score: score as 1, amount: 100_000, ownerId });
  const lostDeal = touchpointOf('lost-deal', { name: 'Lost deal', phase: 'pre_purchase', afterLostDeal: true });

  beforeEach(() => {
    portal.touchpoints.set(portalId, [touchpointOf('offer', { name: 'Offer' }), lostDeal]);
    withTouchpointHistory('offer', {
      invitations: [invitation('301', '101', 'offer', 'answered', at('10-02'), 'owner-1')],
      responses: [answer('301', '101', 'offer', 8, at('10-03'))],
      dealOutcomes: [closed('301', 'won', 2, at('10-20')), closed('302', 'lost', 2, at('10-21')), closed('303', 'won', 9, at('11-02'), 'owner-2')],
    });
    withTouchpointHistory('lost-deal', {
      invitations: [invitation('302', '102', 'lost-deal', 'answered', at('10-22'), 'owner-1')],
      responses: [{ ...answer('302', '102', 'lost-deal', 3, at('10-23')), comment: 'Cheaper elsewhere' }],
    });
  });

  it('counts the deals closed in each month by the light the touchpoint got, from the saved summary of a closed month', async () => {
    const first = await portalReport(store, portalId, {}, now);
    withTouchpointHistory('offer', {}); // the raw items are gone: a fresh summary still answers for October and November
    const second = await portalReport(store, portalId, {}, new Date(now.getTime() + 60_000));
    for (const report of [first, second]) {
      expect(report.touchpoints[0]!.outcomes.byLight.map(({ light, closedDeals, won }) => `${light}:${won}/${closedDeals}`)).toEqual(['red:1/2', 'yellow:0/0', 'green:1/1']);
    }
    expect(saved.get('2026-10')?.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.dealOutcomes).toEqual({ 2: { won: 1, lost: 1, withAmount: 2, amountSum: 200_000 } });
  });

  it('keeps to the owner and the period the deals closed in', async () => {
    const outcomes = async (scope: Parameters<typeof portalReport>[2]) => (await portalReport(store, portalId, scope, now)).touchpoints[0]!.outcomes.closedDeals;
    expect(await outcomes({ ownerId: 'owner-2' })).toBe(1);
    expect(await outcomes({ since: at('10-21') })).toBe(2);
  });

  it('reports the lost-deal touchpoint apart: out of the journey, the ranking and the customers, with its comments', async () => {
    const report = await portalReport(store, portalId, {}, now);
    expect(report.touchpoints.map(({ touchpointId }) => touchpointId)).toEqual(['offer']);
    expect(report.weakestFirst).toEqual([]);
    expect(report.ranking).toEqual({ status: 'not_enough_answers', customers: 1, needed: 30 });
    expect(report.customers).toBe(1);
    expect(report.lostDeals.touchpoints).toEqual([
      expect.objectContaining({ touchpointId: 'lost-deal', name: 'Lost deal', stats: expect.objectContaining({ answers: 1 }), latestComments: [{ score: 3, comment: 'Cheaper elsewhere', answeredAt: at('10-23').toISOString() }] }),
    ]);
  });

  it('computes a saved month again once a touchpoint starts or stops asking lost customers', async () => {
    await portalReport(store, portalId, {}, now);
    portal.touchpoints.set(portalId, [touchpointOf('offer', { name: 'Offer' }), { ...lostDeal, afterLostDeal: false }]);
    const report = await portalReport(store, portalId, {}, new Date(now.getTime() + 60_000));
    expect(report.readFromAnswers).toEqual(periodsReached);
    expect(report.customers).toBe(2);
  });
});

describe('portalReport: stage timing', () => {
  const meeting = touchpointOf('sales-meeting', {
    name: 'Sales meeting',
    trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'salesmeeting' },
    followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 2, unit: 'days' } },
  });
  const offer = touchpointOf('offer', { name: 'Offer', trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' } });

  beforeEach(() => {
    portal.touchpoints.set(portalId, [meeting, offer]);
    // Twelve deals whose offer came 4 days after the sales meeting, in October and November; no answer anywhere.
    stays = Array.from({ length: 12 }, (_, index): StageStay => {
      const enteredAt = at(`${index < 6 ? '10' : '11'}-${String(2 + index).padStart(2, '0')}`);
      return {
        dealId: String(401 + index),
        pipelineId: 'car-sales',
        stageId: 'salesmeeting',
        enteredAt,
        eventId: `history-${enteredAt.getTime()}-salesmeeting`,
        ownerId: index % 2 ? 'owner-1' : 'owner-2',
        leadsTo: 'offersent',
        closed: false,
        repeat: false,
        next: { stageId: 'offersent', enteredAt: new Date(enteredAt.getTime() + 4 * 86_400_000), lost: false },
      };
    });
  });

  const offerTiming = (report: Awaited<ReturnType<typeof portalReport>>) => report.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')!.timing;

  it('names the offer the slowest step against its promise from the deals’ stays alone, without an answer', async () => {
    const report = await portalReport(store, portalId, {}, now);
    expect(report.touchpoints.every(({ stats }) => stats.answers === 0)).toBe(true);
    expect(report.slowestAgainstPromise).toBe('offer');
    expect(offerTiming(report)).toMatchObject({ waits: 12, promiseDays: 2, late: 12, lateShare: 1, reachedStageBefore: 12 });
    expect(offerTiming(report).medianDays).toBeCloseTo(4, 0);
    // Days are read from the histogram's buckets, within 4.4 %: 4 days read 3.9.
    expect(report.findings).toEqual([
      { touchpointId: 'offer', sentence: 'Offer is the slowest step against its promise: customers wait 3.9 days against a promise of 2; 100% (12 of 12) waited longer, typically by 1.9 days.' },
    ]);
  });

  it('reads the waits the install read back from HubSpot’s history, months before a portal installed today', async () => {
    store.getInstall = async () => ({ installedAt: now }) as PortalInstall;
    const report = await portalReport(store, portalId, {}, now);
    expect([offerTiming(report).waits, report.slowestAgainstPromise]).toEqual([12, 'offer']);
  });

  it('serves closed months’ timing from their summaries, and computes them again once the promise changed', async () => {
    const first = await portalReport(store, portalId, {}, now);
    expect(saved.get('2026-10')?.touchpoints.find(({ touchpointId }) => touchpointId === 'offer')?.timing).toMatchObject({ stageId: 'offersent', promiseMs: 2 * 86_400_000 });
    const again = await portalReport(store, portalId, {}, new Date(now.getTime() + 60_000));
    expect(again.readFromAnswers).toEqual(['2026-12']);
    expect(offerTiming(again)).toEqual(offerTiming(first));

    portal.touchpoints.set(portalId, [touchpointOf('sales-meeting', { ...meeting, followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 5, unit: 'days' } } }), offer]);
    const promisedLonger = await portalReport(store, portalId, {}, new Date(now.getTime() + 120_000));
    expect(promisedLonger.readFromAnswers).toEqual(periodsReached);
    expect(offerTiming(promisedLonger)).toMatchObject({ promiseDays: 5, late: 0 });
    expect(promisedLonger.slowestAgainstPromise).toBeNull();
  });

  it('keeps to an owner’s deals and to a period', async () => {
    expect(offerTiming(await portalReport(store, portalId, { ownerId: 'owner-1' }, now)).waits).toBe(6);
    expect(offerTiming(await portalReport(store, portalId, { since: at('11-01') }, now)).waits).toBe(6);
  });
});
