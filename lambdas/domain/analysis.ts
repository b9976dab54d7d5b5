import { z } from 'zod';
import type { TouchpointSummary } from './period-summary.js';
import { defaultLightThresholds, type ImpactEstimate, type LightThresholds, trafficLight, type TouchpointStats, type TrafficLight } from '@touchpoints/contracts';

/**
 * Touchpoint analysis for a whole portal: per touchpoint how customers rate
 * it, how well we know it, and how much it moves the overall experience.
 * Pure: the data is handed in, nothing is read here.
 */

/** Too few answers, or too few of the customers who passed a touchpoint answered: the numbers are not to be trusted yet. */
export const thinKnowledge = { minAnswers: 30, minCoverage: 0.2 } as const;

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** A touchpoint's numbers over a span of periods, from its summaries (`period-summary.ts`) added up. */
export function touchpointStats(touchpointId: string, summary: TouchpointSummary, thresholds: LightThresholds = defaultLightThresholds): TouchpointStats {
  const distribution: Record<TrafficLight, number> = { red: 0, yellow: 0, green: 0 };
  let answers = 0;
  for (const [score, count] of Object.entries(summary.scoreCounts)) {
    distribution[trafficLight(Number(score), thresholds)] += count;
    answers += count;
  }
  const mean = answers ? summary.scoreSum / answers : null;
  // What we know of the customers who passed: their answers and the interviews with notes (an
  // interviewed customer also answered, so the share is capped at all of them).
  const interviews = summary.interviews ?? 0;
  const knowledge = ratio(answers + interviews, summary.invitations.passed);
  const coverage = knowledge === null ? null : Math.min(knowledge, 1);
  const followUpsMissed = summary.followUps.missed + summary.followUps.keptLate;
  return {
    touchpointId,
    answers,
    mean,
    light: mean === null ? null : trafficLight(Math.round(mean), thresholds),
    distribution,
    responseRate: ratio(answers, summary.invitations.invited),
    coverage,
    thin: answers < thinKnowledge.minAnswers || (coverage ?? 0) < thinKnowledge.minCoverage,
    missedFollowUpRate: ratio(followUpsMissed, summary.followUps.started),
    counts: {
      passed: summary.invitations.passed,
      invited: summary.invitations.invited,
      followUps: summary.followUps.started,
      followUpsMissed,
    },
    interviews,
    trend: Object.entries(summary.answersByMonth)
      .filter(([, month]) => month.answers > 0)
      .map(([month, { answers: ofMonth, scoreSum }]) => ({ month, mean: scoreSum / ofMonth, answers: ofMonth }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** One customer's journey: who (deal and contact), the touchpoints they rated, and their overall score if they were asked for one. */
export interface CustomerJourney {
  customer: string;
  scores: Readonly<Record<string, number>>;
  overall?: number;
}

/** The column of the overall score in `JourneyStatistics`; a touchpoint id cannot contain `*`. */
export const overallColumn = '*overall';

/** Sums over the customers who rated both columns: enough for their covariance, and summable across periods. */
export const PairSums = z.object({ customers: z.int().nonnegative(), sumFirst: z.number(), sumSecond: z.number(), sumProducts: z.number() });
export type PairSums = z.infer<typeof PairSums>;

/** For each pair of columns (touchpoints and the overall score; a column with itself too), the sums over the customers who rated both. */
export const JourneyStatistics = z.record(z.string(), z.record(z.string(), PairSums));
export type JourneyStatistics = z.infer<typeof JourneyStatistics>;

/**
 * The customers fall into this many blocks by a hash of who they are, the same block in every
 * period; the interval comes from leaving out one block at a time (a grouped jackknife).
 */
export const journeyBlockCount = 10;
/** Student's t, 97.5 % quantile, for journeyBlockCount − 1 = 9 degrees of freedom. */
const tQuantile = 2.262;

/**
 * The impact regression's sufficient statistics, per block of customers. Sums of disjoint sets
 * of customers add up, so a period's blocks are summed into any longer span, block by block.
 */
export const JourneyBlocks = z.array(JourneyStatistics).length(journeyBlockCount);
export type JourneyBlocks = z.infer<typeof JourneyBlocks>;

export const noJourneys = (): JourneyBlocks => Array.from({ length: journeyBlockCount }, () => ({}));

/** The statistics of these journeys; without an overall question, the overall score is the customer's mean over the touchpoints they rated. */
export function journeyBlocks(journeys: readonly CustomerJourney[]): JourneyBlocks {
  const blocks = noJourneys();
  for (const journey of journeys) {
    const statistics = blocks[blockOf(journey.customer)]!;
    const overall = journey.overall ?? meanOf(Object.values(journey.scores));
    const columns = Object.entries(journey.scores);
    if (overall !== undefined) columns.push([overallColumn, overall]);
    for (const [first, x] of columns) {
      const row = (statistics[first] ??= {});
      for (const [second, y] of columns) addPair(row, second, { customers: 1, sumFirst: x, sumSecond: y, sumProducts: x * y });
    }
  }
  return blocks;
}

/** The blocks of two disjoint sets of customers, together. */
export function addJourneyBlocks(a: JourneyBlocks, b: JourneyBlocks): JourneyBlocks {
  return a.map((block, index) => addStatistics([block, b[index]!]));
}

function addStatistics(parts: readonly JourneyStatistics[]): JourneyStatistics {
  const total: JourneyStatistics = {};
  for (const part of parts) {
    for (const [first, row] of Object.entries(part)) for (const [second, sums] of Object.entries(row)) addPair((total[first] ??= {}), second, sums);
  }
  return total;
}

function addPair(row: Record<string, PairSums>, column: string, sums: PairSums) {
  const into = (row[column] ??= { customers: 0, sumFirst: 0, sumSecond: 0, sumProducts: 0 });
  into.customers += sums.customers;
  into.sumFirst += sums.sumFirst;
  into.sumSecond += sums.sumSecond;
  into.sumProducts += sums.sumProducts;
}

/** The same customer lands in the same block in every period: the 31-hash of who they are. */
function blockOf(customer: string): number {
  let hash = 0;
  for (const character of customer) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) >>> 0;
  return hash % journeyBlockCount;
}

/**
 * Impact: a linear regression of the overall score on the touchpoint scores, from the summed
 * statistics alone (no customer is read again). Customers rarely rate every touchpoint, so the
 * covariances are pairwise (each from the customers who rated both), which uses every answer
 * instead of only complete journeys. Pairwise estimates have no simple textbook variance, so
 * the 95 % interval comes from a grouped jackknife: the regression again with each block of
 * customers left out, and Student's t for the blocks' degrees of freedom.
 */
export function touchpointImpact(blocks: JourneyBlocks, touchpointIds: readonly string[]): ImpactEstimate[] {
  const all = addStatistics(blocks);
  const point = regressionWeights(all, touchpointIds);
  const leftOut = blocks.map((_, left) => regressionWeights(addStatistics(blocks.filter((_, index) => index !== left)), touchpointIds));
  return touchpointIds.map((touchpointId, index) => {
    const replicates = leftOut.map((weights) => weights[index]!);
    const mean = replicates.reduce((sum, weight) => sum + weight, 0) / replicates.length;
    const spread = replicates.reduce((sum, weight) => sum + (weight - mean) ** 2, 0);
    const standardError = Math.sqrt(((replicates.length - 1) / replicates.length) * spread);
    const effect = point[index]!;
    return { touchpointId, effect, low: effect - tQuantile * standardError, high: effect + tQuantile * standardError, answers: all[touchpointId]?.[overallColumn]?.customers ?? 0 };
  });
}

/** The regression's weights from the pairwise-complete covariances. */
function regressionWeights(statistics: JourneyStatistics, touchpointIds: readonly string[]): number[] {
  const covariance = (a: string, b: string) => {
    const sums = statistics[a]?.[b];
    if (!sums || sums.customers < 2) return Number.NaN;
    return (sums.sumProducts - (sums.sumFirst * sums.sumSecond) / sums.customers) / (sums.customers - 1);
  };
  // Two touchpoints fewer than two customers rated together say nothing about each other: their
  // covariance counts as none, instead of making every weight NaN. (A touchpoint's own variance
  // stays as it is: without it the touchpoint has no weight to give.)
  const known = (value: number) => (Number.isNaN(value) ? 0 : value);
  const matrix = touchpointIds.map((a) => touchpointIds.map((b) => (a === b ? covariance(a, a) : known(covariance(a, b)))));
  return solve(matrix, touchpointIds.map((id) => known(covariance(id, overallColumn))));
}

/** Gaussian elimination with partial pivoting; NaN weights when the system is singular. */
function solve(matrix: number[][], target: number[]): number[] {
  const size = target.length;
  const rows = matrix.map((row, index) => [...row, target[index]!]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    if (!(Math.abs(rows[pivot]![column]!) > 1e-12)) return target.map(() => Number.NaN);
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    for (let row = 0; row < size; row += 1) {
      if (row === column) continue;
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let cell = column; cell <= size; cell += 1) rows[row]![cell]! -= factor * rows[column]![cell]!;
    }
  }
  return rows.map((row, index) => row[size]! / row[index]!);
}

function meanOf(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
}

/** A small seeded PRNG, so the bootstrap (and the tests) give the same answer every time. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
