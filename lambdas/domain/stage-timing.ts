import { z } from 'zod';
import { dayMs, durationMs, type PortalReport, type TouchpointDefinition, type TouchpointReport, type TouchpointTiming } from '@touchpoints/contracts';
import type { PeriodSummary } from './period-summary.js';
import type { StageStay } from './stage-stays.js';

/**
 * Stage timing: the journey from CRM facts, without a single answer (docs/architecture.md 2.15;
 * the definitions are `TouchpointTiming`'s in the report contract). Per touchpoint and month, from
 * the stays deals began in the month: a histogram of the waits for the touchpoint's stage, the late
 * ones' lateness, and the deals that reached the stage before and fell out or stalled there. The
 * histograms have fixed buckets, so months add up bucket by bucket and the percentiles of any span
 * of months come out the same however its months are added; every number is a count, so a month
 * computed twice is identical.
 */

/**
 * Wait buckets: bucket 0 holds waits under a minute, bucket b ≥ 1 those from 2^((b−1)/8) to
 * 2^(b/8) minutes (a resolution of ±4.4 %), the last (2^20 minutes, about two years, the
 * backfill's reach) everything longer.
 */
export const waitBuckets = { unitMs: 60_000, perDoubling: 8, last: 160 } as const;

export function waitBucket(ms: number): number {
  if (ms < waitBuckets.unitMs) return 0;
  return Math.min(waitBuckets.last, Math.floor(Math.log2(ms / waitBuckets.unitMs) * waitBuckets.perDoubling) + 1);
}

/** A bucket's value: its geometric middle (half a minute for the first). */
export function bucketMiddleMs(bucket: number): number {
  return bucket === 0 ? waitBuckets.unitMs / 2 : waitBuckets.unitMs * 2 ** ((bucket - 0.5) / waitBuckets.perDoubling);
}

/** Waits by bucket ("0" … "160"), buckets without waits left out: at most 161 entries. */
export const WaitHistogram = z.record(z.string().regex(/^\d{1,3}$/), z.int().positive());
export type WaitHistogram = z.infer<typeof WaitHistogram>;

const countOf = (histogram: WaitHistogram) => Object.values(histogram).reduce((sum, count) => sum + count, 0);

/** The p-quantile of the counted waits by nearest rank, as its bucket's middle; null for none. */
export function histogramQuantileMs(histogram: WaitHistogram, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort(([a], [b]) => a - b);
  const rank = Math.max(1, Math.ceil(p * countOf(histogram)));
  let counted = 0;
  for (const [bucket, count] of buckets) {
    counted += count;
    if (counted >= rank) return bucketMiddleMs(bucket);
  }
  return null;
}

function addHistograms(a: WaitHistogram, b: WaitHistogram): WaitHistogram {
  const sum: WaitHistogram = { ...a };
  for (const [bucket, count] of Object.entries(b)) sum[bucket] = (sum[bucket] ?? 0) + count;
  return sum;
}

/**
 * One touchpoint's timing in one month, as its period summary keeps it. Two histograms of at
 * most 161 entries and a few numbers: under 5 KB of the summary item's 400 KB.
 */
export const StageTimingSummary = z.object({
  /** The touchpoint's stage and the promise for it when computed: a summary of another stage or promise is out of date. */
  stageId: z.string(),
  promiseMs: z.number().positive().nullable(),
  waits: WaitHistogram,
  /** How late the late waits were (the wait less the promise). */
  lateness: WaitHistogram,
  reachedStageBefore: z.int().nonnegative(),
  fellOut: z.int().nonnegative(),
  stalled: z.int().nonnegative(),
});
export type StageTimingSummary = z.infer<typeof StageTimingSummary>;

/** What a touchpoint's timing is measured against: its stage, and the promise for that stage. */
export interface TimingTarget {
  touchpointId: string;
  stageId: string;
  promiseMs: number | null;
}

/** Each touchpoint's stage and promise: any touchpoint's follow-up promise that a deal reaches that stage, the shortest if several. */
export function timingTargets(touchpoints: readonly TouchpointDefinition[]): TimingTarget[] {
  return touchpoints.map(({ id, trigger }) => {
    const promises = touchpoints.flatMap(({ trigger: promising, followUp }) =>
      followUp?.expect === 'stage' && followUp.stageId === trigger.stageId && promising.pipelineId === trigger.pipelineId ? [durationMs(followUp.within)] : [],
    );
    return { touchpointId: id, stageId: trigger.stageId, promiseMs: promises.length > 0 ? Math.min(...promises) : null };
  });
}

/**
 * How long a deal may sit in the stage before a touchpoint's stage until it counts as stalled: 3 ×
 * the promise, at most 30 days; 30 days without a promise. Within the 45 days after which a month's
 * summary is final (portal-report.ts), so a final summary has judged every deal of its month.
 */
const stallLimits = { promiseTimes: 3, mostDays: 30 } as const;

export function stallAfterMs(promiseMs: number | null): number {
  const most = stallLimits.mostDays * dayMs;
  return promiseMs === null ? most : Math.min(stallLimits.promiseTimes * promiseMs, most);
}

/** Each touchpoint's timing from one month's stays, as of `computedAt` (which decides what has stalled). */
export function summarizeStageTiming(stays: readonly StageStay[], targets: readonly TimingTarget[], computedAt: Date, inScope: (stay: StageStay) => boolean = () => true): Map<string, StageTimingSummary> {
  const moves = stays.filter((stay) => !stay.repeat && inScope(stay));
  return new Map(targets.map((target) => [target.touchpointId, summarizeTarget(moves, target, computedAt)]));
}

function summarizeTarget(stays: readonly StageStay[], { stageId, promiseMs }: TimingTarget, computedAt: Date): StageTimingSummary {
  const summary: StageTimingSummary = { stageId, promiseMs, waits: {}, lateness: {}, reachedStageBefore: 0, fellOut: 0, stalled: 0 };
  const count = (histogram: WaitHistogram, ms: number) => {
    const bucket = String(waitBucket(ms));
    histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  };
  for (const stay of stays) {
    if (stay.next?.stageId === stageId) {
      const wait = stay.next.enteredAt.getTime() - stay.enteredAt.getTime();
      count(summary.waits, wait);
      if (promiseMs !== null && wait > promiseMs) count(summary.lateness, wait - promiseMs);
    }
    if (stay.leadsTo === stageId) {
      summary.reachedStageBefore += 1;
      if (stay.next?.lost) summary.fellOut += 1;
      else if (!stay.next && !stay.closed && computedAt.getTime() - stay.enteredAt.getTime() > stallAfterMs(promiseMs)) summary.stalled += 1;
    }
  }
  return summary;
}

/** Two spans' timing added up (either may have none). */
export function addStageTiming(a: StageTimingSummary | undefined, b: StageTimingSummary | undefined): StageTimingSummary | undefined {
  if (!a || !b) return a ?? b;
  return {
    stageId: b.stageId,
    promiseMs: b.promiseMs,
    waits: addHistograms(a.waits, b.waits),
    lateness: addHistograms(a.lateness, b.lateness),
    reachedStageBefore: a.reachedStageBefore + b.reachedStageBefore,
    fellOut: a.fellOut + b.fellOut,
    stalled: a.stalled + b.stalled,
  };
}

/** A month's summary with each touchpoint's timing beside its answers. */
export function withStageTiming(summary: PeriodSummary, timing: ReadonlyMap<string, StageTimingSummary>): PeriodSummary {
  return {
    ...summary,
    touchpoints: summary.touchpoints.map((touchpoint) => {
      const ofTouchpoint = timing.get(touchpoint.touchpointId);
      return ofTouchpoint ? { ...touchpoint, timing: ofTouchpoint } : touchpoint;
    }),
  };
}

/** A stored month has every touchpoint's timing for today's stage and promise (months saved before stage timing have none). */
export function stageTimingIsCurrent(summary: PeriodSummary, targets: readonly TimingTarget[]): boolean {
  return targets.every(({ touchpointId, stageId, promiseMs }) => {
    const timing = summary.touchpoints.find((touchpoint) => touchpoint.touchpointId === touchpointId)?.timing;
    return timing !== undefined && timing.stageId === stageId && timing.promiseMs === promiseMs;
  });
}

const inDays = (ms: number) => Math.round((ms / dayMs) * 100) / 100;
const daysOrNull = (ms: number | null) => (ms === null ? null : inDays(ms));

/** A touchpoint's timing as the report shows it, in days. */
export function touchpointTiming(timing: StageTimingSummary | undefined, { promiseMs }: TimingTarget): TouchpointTiming {
  const waits = timing ? countOf(timing.waits) : 0;
  const late = timing ? countOf(timing.lateness) : 0;
  const quantile = (p: number) => daysOrNull(timing ? histogramQuantileMs(timing.waits, p) : null);
  return {
    waits,
    medianDays: quantile(0.5),
    p75Days: quantile(0.75),
    p90Days: quantile(0.9),
    promiseDays: daysOrNull(promiseMs),
    late,
    lateShare: promiseMs === null || waits === 0 ? null : late / waits,
    typicalLatenessDays: daysOrNull(timing ? histogramQuantileMs(timing.lateness, 0.5) : null),
    reachedStageBefore: timing?.reachedStageBefore ?? 0,
    fellOut: timing?.fellOut ?? 0,
    stalled: timing?.stalled ?? 0,
    stallAfterDays: inDays(stallAfterMs(promiseMs)),
  };
}

/** Waits a touchpoint needs before it can be named the slowest against its promise: fewer say little. */
export const minimumWaitsToJudge = 5;

/** A touchpoint's median wait exceeds its promise, over enough waits to say so. */
export function lateAgainstPromise(timing: TouchpointTiming): timing is TouchpointTiming & { promiseDays: number; medianDays: number } {
  return timing.promiseDays !== null && timing.medianDays !== null && timing.waits >= minimumWaitsToJudge && timing.medianDays > timing.promiseDays;
}

/**
 * The touchpoint whose median wait is furthest over its promise, of those over it with enough
 * waits; null when none is. The overall question is no step of the journey: never named.
 */
export function slowestAgainstPromise(touchpoints: readonly (Pick<TouchpointReport, 'touchpointId' | 'timing'> & { measuresOverall?: boolean })[]): string | null {
  let slowest: { touchpointId: string; overPromise: number } | null = null;
  for (const { touchpointId, timing, measuresOverall } of touchpoints) {
    if (measuresOverall || !lateAgainstPromise(timing)) continue;
    const overPromise = timing.medianDays / timing.promiseDays;
    if (overPromise > (slowest?.overPromise ?? 1)) slowest = { touchpointId, overPromise };
  }
  return slowest?.touchpointId ?? null;
}

/** The CSV's timing part: a `timing` line, a header, then one row per touchpoint (the overall question is no step: left out). */
export function stageTimingTable(report: PortalReport): (string | number | null)[][] {
  return [
    ['timing'],
    ['touchpoint', 'waits', 'median_days', 'p75_days', 'p90_days', 'promise_days', 'late', 'late_share', 'typical_lateness_days', 'reached_stage_before', 'fell_out', 'stalled', 'stall_after_days'],
    ...report.touchpoints.filter(({ measuresOverall }) => !measuresOverall).map(({ name, timing }) => [
      name,
      timing.waits,
      timing.medianDays,
      timing.p75Days,
      timing.p90Days,
      timing.promiseDays,
      timing.late,
      timing.lateShare,
      timing.typicalLatenessDays,
      timing.reachedStageBefore,
      timing.fellOut,
      timing.stalled,
      timing.stallAfterDays,
    ]),
  ];
}
