import { describe, expect, it } from 'vitest';
import { dayMs } from '@touchpoints/contracts';
import { timingFixture } from '../../../crm-app/src/app/settings/test-utils/mocks.js';
import { mulberry32 } from '../../../lambdas/domain/analysis.js';
import { addPeriods, summarizePeriod } from '../../../lambdas/domain/period-summary.js';
import type { StageStay } from '../../../lambdas/domain/stage-stays.js';
import {
  addStageTiming,
  bucketMiddleMs,
  histogramQuantileMs,
  minimumWaitsToJudge,
  slowestAgainstPromise,
  stageTimingIsCurrent,
  stallAfterMs,
  summarizeStageTiming,
  timingTargets,
  touchpointTiming,
  waitBucket,
  waitBuckets,
  withStageTiming,
  type TimingTarget,
  type WaitHistogram,
} from '../../../lambdas/domain/stage-timing.js';
import { touchpointOf } from '../../support/in-memory-store.js';

const hourMs = 3_600_000;
const monthStart = new Date('2026-11-01T00:00:00.000Z');
const computedAt = new Date('2026-12-20T00:00:00.000Z');
/** The offer's stage, waited for from the sales meeting; promised within 2 days. */
const offer: TimingTarget = { touchpointId: 'offer', stageId: 'offersent', promiseMs: 2 * dayMs };

let nextDeal = 401;
/** A deal's stay in the sales meeting (which leads to the offer), entered `day` days into November, and its next move `waitMs` later. */
function meeting(day: number, next?: { stageId?: string; waitMs: number; lost?: boolean }, change: Partial<StageStay> = {}): StageStay {
  const enteredAt = new Date(monthStart.getTime() + day * dayMs);
  return {
    dealId: String(nextDeal++),
    pipelineId: 'car-sales',
    stageId: 'salesmeeting',
    enteredAt,
    eventId: `e${nextDeal}`,
    leadsTo: 'offersent',
    closed: false,
    repeat: false,
    ...(next ? { next: { stageId: next.stageId ?? 'offersent', enteredAt: new Date(enteredAt.getTime() + next.waitMs), lost: next.lost ?? false } } : {}),
    ...change,
  };
}

/** The p-quantile by nearest rank, exactly. */
function exactQuantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

const histogramOf = (waitsMs: readonly number[]) => summarizeStageTiming(waitsMs.map((waitMs, index) => meeting(index % 28, { waitMs })), [offer], computedAt).get('offer')!.waits;

describe('the wait histogram', () => {
  it('puts waits under a minute in the first bucket and each doubling in 8 buckets, the longest in the last', () => {
    expect([0, 59_999, 60_000, 119_999, 120_000].map(waitBucket)).toEqual([0, 0, 1, 8, 9]);
    expect(waitBucket(10 * 365 * dayMs)).toBe(waitBuckets.last);
  });

  it('gives each bucket a middle within 4.4 % of every wait in it', () => {
    for (const wait of [61_000, hourMs, 2 * dayMs, 37 * dayMs, 400 * dayMs]) {
      expect(Math.abs(Math.log2(bucketMiddleMs(waitBucket(wait)) / wait))).toBeLessThanOrEqual(1 / 16);
    }
  });

  it('gives the median, 75th and 90th percentile within its resolution of the exact ones, on a skewed sample', () => {
    const random = mulberry32(7);
    // Log-normal waits around 4 days, from hours to weeks.
    const waits = Array.from({ length: 997 }, () => 4 * dayMs * Math.exp(Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) * 0.8));
    const histogram = histogramOf(waits);
    for (const p of [0.5, 0.75, 0.9]) {
      const estimate = histogramQuantileMs(histogram, p)!;
      expect(Math.abs(Math.log2(estimate / exactQuantile(waits, p)))).toBeLessThanOrEqual(1 / 16 + 1e-9);
    }
  });

  it('has no percentile without waits', () => {
    expect(histogramQuantileMs({}, 0.5)).toBeNull();
  });

  it('adds months bucket by bucket: the percentiles of two months added are those of their waits together', () => {
    const november = [1, 2, 3, 5, 8].map((days) => days * dayMs);
    const december = [4, 4.5, 6, 13].map((days) => days * dayMs);
    const summary = (waits: number[]) => summarizeStageTiming(waits.map((waitMs, index) => meeting(index, { waitMs })), [offer], computedAt).get('offer')!;
    const added = addStageTiming(summary(november), summary(december))!;
    expect(added).toEqual(summary([...november, ...december]));
    expect(histogramQuantileMs(added.waits, 0.5)).toBe(bucketMiddleMs(waitBucket(4.5 * dayMs)));
  });
});

describe('summarizeStageTiming', () => {
  it('counts the waits for the touchpoint’s stage, and the late ones’ lateness against its promise', () => {
    const stays = [1, 3, 4, 5].map((days, index) => meeting(index, { waitMs: days * dayMs }));
    const timing = summarizeStageTiming(stays, [offer], computedAt).get('offer')!;
    const count = (histogram: WaitHistogram) => Object.values(histogram).reduce((sum, n) => sum + n, 0);
    expect([count(timing.waits), count(timing.lateness)]).toEqual([4, 3]);
    // Late by 1, 2 and 3 days: typically by 2.
    expect(histogramQuantileMs(timing.lateness, 0.5)).toBe(bucketMiddleMs(waitBucket(2 * dayMs)));
  });

  it('counts nobody late without a promise', () => {
    const timing = summarizeStageTiming([meeting(1, { waitMs: 9 * dayMs })], [{ ...offer, promiseMs: null }], computedAt).get('offer')!;
    expect(timing.lateness).toEqual({});
  });

  it('counts the deals that reached the stage before, and those that fell out or stalled there', () => {
    const stays = [
      meeting(1, { waitMs: 3 * dayMs }),
      meeting(2, { stageId: 'closedlost', waitMs: 5 * dayMs, lost: true }),
      // Still in the sales meeting when computed: 49 days, longer than 3 × the 2 days promised.
      meeting(1),
      // Moved back to the test drive: neither lost nor stalled.
      meeting(3, { stageId: 'testdrive', waitMs: dayMs }),
      // Entered a stage the offer does not follow: not counted at all.
      meeting(4, { waitMs: dayMs }, { stageId: 'testdrive', leadsTo: 'salesmeeting', next: { stageId: 'salesmeeting', enteredAt: new Date(monthStart.getTime() + 5 * dayMs), lost: false } }),
    ];
    const timing = summarizeStageTiming(stays, [offer], computedAt).get('offer')!;
    expect(timing).toMatchObject({ reachedStageBefore: 4, fellOut: 1, stalled: 1 });
  });

  it('counts as stalled only a deal still open in the stage before for longer than the limit when computed', () => {
    const stalledBy = (change: Partial<StageStay>, at: Date) => summarizeStageTiming([meeting(28, undefined, change)], [offer], at).get('offer')!.stalled;
    const entered = new Date(monthStart.getTime() + 28 * dayMs);
    expect(stalledBy({}, new Date(entered.getTime() + 6 * dayMs))).toBe(0);
    expect(stalledBy({}, new Date(entered.getTime() + 6 * dayMs + 1))).toBe(1);
    expect(stalledBy({ closed: true }, computedAt)).toBe(0);
  });

  it('stalls after 3 × the promise, at most 30 days; 30 days without a promise', () => {
    expect([stallAfterMs(2 * dayMs), stallAfterMs(20 * dayMs), stallAfterMs(null)]).toEqual([6 * dayMs, 30 * dayMs, 30 * dayMs]);
  });

  it('leaves repeated visits out: they are no move', () => {
    const timing = summarizeStageTiming([meeting(1, { waitMs: dayMs }), meeting(1, { waitMs: dayMs }, { repeat: true })], [offer], computedAt).get('offer')!;
    expect([timing.reachedStageBefore, Object.values(timing.waits)]).toEqual([1, [1]]);
  });

  it('keeps to an owner’s deals and to a period by when the stage before was entered', () => {
    const stays = [meeting(1, { waitMs: dayMs }, { ownerId: '61001' }), meeting(10, { waitMs: dayMs }, { ownerId: '61002' }), meeting(20, { waitMs: dayMs }, { ownerId: '61001' })];
    // The report's scope (portal-report.ts, `SummaryScope.stay`) decides by the stay's owner and time.
    const waitsIn = (inScope: (stay: StageStay) => boolean) => summarizeStageTiming(stays, [offer], computedAt, inScope).get('offer')!.reachedStageBefore;
    expect(waitsIn(({ ownerId }) => ownerId === '61001')).toBe(2);
    expect(waitsIn(({ enteredAt }) => enteredAt >= new Date('2026-11-05T00:00:00Z') && enteredAt < new Date('2026-11-21T00:00:00Z'))).toBe(1);
  });

  it('gives an identical month when computed again from the same stays in another order, with the month’s answers', () => {
    const random = mulberry32(11);
    const stays = Array.from({ length: 60 }, (_, index) => meeting(index % 30, random() < 0.1 ? { stageId: 'closedlost', waitMs: dayMs, lost: true } : { waitMs: random() * 9 * dayMs }));
    const month = (order: readonly StageStay[]) => withStageTiming(summarizePeriod('2026-11', [], [], computedAt), summarizeStageTiming(order, [offer], computedAt));
    const first = month(stays);
    const again = month([...stays].reverse());
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const withTouchpoint = (order: readonly StageStay[]) =>
      withStageTiming(summarizePeriod('2026-11', [{ touchpointId: 'offer', invitations: [], responses: [], followUps: [] }], [], computedAt), summarizeStageTiming(order, [offer], computedAt));
    expect(JSON.stringify(withTouchpoint([...stays].reverse()))).toBe(JSON.stringify(withTouchpoint(stays)));
    expect(addPeriods([withTouchpoint(stays)], ['offer']).touchpoints.get('offer')!.timing).toEqual(summarizeStageTiming(stays, [offer], computedAt).get('offer'));
  });
});

describe('timingTargets', () => {
  it('takes a touchpoint’s promise from the touchpoint that promises its stage, the shortest of several, engagement promises aside', () => {
    const touchpoints = [
      touchpointOf('sales-meeting', { trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'salesmeeting' }, followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 2, unit: 'days' } } }),
      touchpointOf('test-drive', { trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'testdrive' }, followUp: { expect: 'stage', stageId: 'offersent', within: { amount: 5, unit: 'days' } } }),
      touchpointOf('offer', { trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'offersent' } }),
      touchpointOf('contract', { trigger: { type: 'deal_stage', pipelineId: 'car-sales', stageId: 'contractsigned' }, followUp: { expect: 'engagement', within: { amount: 7, unit: 'days' } } }),
      touchpointOf('van-offer', { trigger: { type: 'deal_stage', pipelineId: 'vans', stageId: 'van-offer' } }),
    ];
    expect(timingTargets(touchpoints).map(({ touchpointId, promiseMs }) => [touchpointId, promiseMs])).toEqual([
      ['sales-meeting', null],
      ['test-drive', null],
      ['offer', 2 * dayMs],
      ['contract', null],
      ['van-offer', null],
    ]);
  });
});

describe('touchpointTiming', () => {
  it('reads days, the late share with its count, and the stall limit from a month’s timing', () => {
    const stays = [1, 3, 4, 5].map((days, index) => meeting(index, { waitMs: days * dayMs }));
    const timing = touchpointTiming(summarizeStageTiming(stays, [offer], computedAt).get('offer'), offer);
    expect(timing).toMatchObject({ waits: 4, promiseDays: 2, late: 3, lateShare: 0.75, reachedStageBefore: 4, fellOut: 0, stalled: 0, stallAfterDays: 6 });
    expect(timing.medianDays).toBeCloseTo(3, 0);
    expect(timing.p90Days).toBeCloseTo(5, 0);
  });

  it('has no numbers without waits', () => {
    expect(touchpointTiming(undefined, { ...offer, promiseMs: null })).toEqual(timingFixture());
  });
});

describe('slowestAgainstPromise', () => {
  const step = (touchpointId: string, medianDays: number | null, promiseDays: number | null, waits = 10) => ({
    touchpointId,
    timing: { ...touchpointTiming(undefined, offer), waits, medianDays, promiseDays },
  });

  it('names the step whose median wait is furthest over its promise', () => {
    expect(slowestAgainstPromise([step('proposal', 6, 5), step('offer', 4.1, 2), step('meeting', 9, null)])).toBe('offer');
  });

  it('never names the overall question: it is no step of the journey', () => {
    expect(slowestAgainstPromise([step('offer', 4.1, 2), { ...step('recommend', 9, 2), measuresOverall: true }])).toBe('offer');
    expect(slowestAgainstPromise([{ ...step('recommend', 9, 2), measuresOverall: true }])).toBeNull();
  });

  it(`names none that is within its promise, or has fewer than ${minimumWaitsToJudge} waits`, () => {
    expect(slowestAgainstPromise([step('offer', 1.5, 2), step('proposal', 9, 2, minimumWaitsToJudge - 1)])).toBeNull();
  });
});

describe('stageTimingIsCurrent', () => {
  const month = (targets: readonly TimingTarget[]) => withStageTiming(summarizePeriod('2026-11', [{ touchpointId: 'offer', invitations: [], responses: [], followUps: [] }], [], computedAt), summarizeStageTiming([], targets, computedAt));

  it('takes a month computed for today’s stage and promise', () => {
    expect(stageTimingIsCurrent(month([offer]), [offer])).toBe(true);
  });

  it('refuses a month saved before stage timing, or computed for another promise or stage', () => {
    expect(stageTimingIsCurrent(summarizePeriod('2026-11', [{ touchpointId: 'offer', invitations: [], responses: [], followUps: [] }], [], computedAt), [offer])).toBe(false);
    expect(stageTimingIsCurrent(month([offer]), [{ ...offer, promiseMs: 3 * dayMs }])).toBe(false);
    expect(stageTimingIsCurrent(month([offer]), [{ ...offer, stageId: 'contractsigned' }])).toBe(false);
  });
});
