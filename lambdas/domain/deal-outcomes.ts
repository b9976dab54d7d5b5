import { z } from 'zod';
import {
  type DealAtRisk,
  type LightThresholds,
  type LostDealComment,
  type LostDealTouchpoint,
  minClosedDealsPerGroup,
  type Score,
  trafficLight,
  trafficLights,
  type TouchpointOutcomes,
  type TouchpointStats,
  type TrafficLight,
  type WinRate,
} from '@touchpoints/contracts';
import type { SurveyResponse } from './response.js';

/**
 * What each touchpoint is worth in deals: when a deal closes (won or lost, as its pipeline
 * stage says), the scores its customers gave each touchpoint until then are kept with the
 * outcome; a month's closed deals are summed per touchpoint and score; the report turns the
 * sums into win rates by light with Wilson intervals and the difference red vs the rest with
 * Newcombe's hybrid score interval. Open deals with a red answer are the deals at risk.
 * Pure: nothing is read here.
 */

export type DealOutcomeKind = 'won' | 'lost';

/**
 * A stage's meaning from HubSpot's stage metadata (strings, e.g. `{ isClosed: "true",
 * probability: "1.0" }`): for deals "probability is required with a value between 0.0 and 1.0,
 * 0.0 being Closed Lost and 1.0 being Closed Won" (https://developers.hubspot.com/docs/api/crm/pipelines).
 * A stage HubSpot does not mark closed is open, whatever its probability.
 */
export function closedOutcomeOf(metadata: Readonly<Record<string, string | undefined>> | undefined): DealOutcomeKind | undefined {
  if (metadata?.isClosed !== 'true') return undefined;
  const probability = Number(metadata.probability);
  if (probability === 1) return 'won';
  if (probability === 0) return 'lost';
  return undefined;
}

/** HubSpot's `amount` property ("415000", "1234.5", or empty): a number, or none. */
export function dealAmountOf(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  const amount = Number(raw);
  return Number.isFinite(amount) ? amount : undefined;
}

/** A deal as it closed: when, how, its amount and owner then, and each touchpoint's score. */
export interface DealOutcome {
  dealId: string;
  outcome: DealOutcomeKind;
  closedAt: Date;
  amount?: number;
  ownerId?: string;
  /**
   * Per touchpoint answered before the close, the lowest score any of the deal's contacts gave
   * it: a deal counts as "rated red" when any of its buyers was unhappy. Scores, not lights, since
   * a portal may change its thresholds.
   */
  scores: Record<string, Score>;
}

/** One touchpoint's copy of a closed deal, kept in the touchpoint's partition of the close month. */
export type DealOutcomeCopy = Omit<DealOutcome, 'scores'> & { score: Score };

/**
 * The scores a closing deal carries: its answers so far, the lowest per touchpoint. Touchpoints
 * `asked` rules out (one on a closed stage, whose answer comes after the outcome and so cannot
 * explain it) are left out.
 */
export function scoresAtClose(responses: readonly SurveyResponse[], asked: (touchpointId: string) => boolean): Record<string, Score> {
  const scores: Record<string, Score> = {};
  for (const { touchpointId, score } of responses) {
    if (!asked(touchpointId)) continue;
    scores[touchpointId] = Math.min(scores[touchpointId] ?? score, score) as Score;
  }
  return Object.fromEntries(Object.entries(scores).sort(([a], [b]) => a.localeCompare(b)));
}

export function copiesOf(outcome: DealOutcome): { touchpointId: string; copy: DealOutcomeCopy }[] {
  const { scores, ...deal } = outcome;
  return Object.entries(scores).map(([touchpointId, score]) => ({ touchpointId, copy: { ...deal, score } }));
}

/** One score's closed deals in a period: counts, and the amounts of those that have one. At most 10 scores: a few hundred bytes per summary item. */
const ClosedDealCounts = z.object({
  won: z.int().nonnegative(),
  lost: z.int().nonnegative(),
  /** Deals with an amount, and the sum of their amounts. */
  withAmount: z.int().nonnegative(),
  amountSum: z.number(),
});
type ClosedDealCounts = z.infer<typeof ClosedDealCounts>;

/** Closed deals by the score the touchpoint got ("1" … "10"). */
export const DealOutcomeSummary = z.record(z.string(), ClosedDealCounts);
export type DealOutcomeSummary = z.infer<typeof DealOutcomeSummary>;

const noCounts = (): ClosedDealCounts => ({ won: 0, lost: 0, withAmount: 0, amountSum: 0 });
const addCounts = (a: ClosedDealCounts, b: ClosedDealCounts): ClosedDealCounts => ({
  won: a.won + b.won,
  lost: a.lost + b.lost,
  withAmount: a.withAmount + b.withAmount,
  amountSum: a.amountSum + b.amountSum,
});

/** A period's copies summed by score; in deal order, so a recomputation adds the amounts in one order and is identical to the bit. */
export function summarizeDealOutcomes(copies: readonly DealOutcomeCopy[]): DealOutcomeSummary {
  const summary: DealOutcomeSummary = {};
  for (const copy of [...copies].sort((a, b) => a.dealId.localeCompare(b.dealId))) {
    const counts = (summary[String(copy.score)] ??= noCounts());
    counts[copy.outcome] += 1;
    if (copy.amount !== undefined) {
      counts.withAmount += 1;
      counts.amountSum += copy.amount;
    }
  }
  // Score keys are integer-like: objects keep them in ascending order, so a recomputation lists them alike.
  return summary;
}

export function addDealOutcomes(a: DealOutcomeSummary, b: DealOutcomeSummary): DealOutcomeSummary {
  const total: DealOutcomeSummary = {};
  for (const score of new Set([...Object.keys(a), ...Object.keys(b)])) {
    total[score] = addCounts(a[score] ?? noCounts(), b[score] ?? noCounts());
  }
  return total;
}

/** The normal distribution's 97.5 % quantile: two-sided 95 % intervals. */
const z95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion (Wilson 1927; method 3 in Newcombe 1998, "Two-sided
 * confidence intervals for the single proportion"): unlike the textbook p ± z·√(p(1−p)/n) it stays
 * inside 0…1 and keeps its coverage near 95 % for small n and rates near 0 or 1. Written here since
 * it is four lines of arithmetic and no maintained npm package offers it with Newcombe's difference.
 */
export function wilsonInterval(successes: number, trials: number): WinRate {
  if (!(trials > 0) || successes < 0 || successes > trials) throw new RangeError(`need 0 ≤ successes ≤ trials and trials > 0, got ${successes} of ${trials}`);
  const rate = successes / trials;
  const z2 = z95 * z95;
  const centre = (rate + z2 / (2 * trials)) / (1 + z2 / trials);
  const halfWidth = (z95 / (1 + z2 / trials)) * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials));
  return { rate, low: Math.max(0, centre - halfWidth), high: Math.min(1, centre + halfWidth) };
}

/**
 * The difference of two independent proportions, first − second, with Newcombe's hybrid score
 * interval (method 10 in Newcombe 1998, "Interval estimation for the difference between
 * independent proportions: comparison of eleven methods"), built from the two Wilson intervals.
 */
export function newcombeDifference(first: WinRate, second: WinRate): { difference: number; low: number; high: number } {
  const difference = first.rate - second.rate;
  return {
    difference,
    low: difference - Math.sqrt((first.rate - first.low) ** 2 + (second.high - second.rate) ** 2),
    high: difference + Math.sqrt((first.high - first.rate) ** 2 + (second.rate - second.low) ** 2),
  };
}

/**
 * A touchpoint's closed deals by the light its customers gave it (under today's thresholds):
 * how many, how many won, the win rate with its interval, and the average amount; then the win
 * rate of deals rated red minus the rest's. A win rate is shown from `minClosedDealsPerGroup`
 * closed deals in its group (below it a Wilson interval spans most of 0…1 and says little); until
 * both red and the rest have that many, `needMore` says how many each still needs.
 */
export function touchpointOutcomes(summary: DealOutcomeSummary, thresholds: LightThresholds): TouchpointOutcomes {
  const byLight = new Map<TrafficLight, ClosedDealCounts>(trafficLights.map((light) => [light, noCounts()]));
  for (const [score, counts] of Object.entries(summary)) {
    const light = trafficLight(Number(score), thresholds);
    byLight.set(light, addCounts(byLight.get(light)!, counts));
  }
  const closed = ({ won, lost }: ClosedDealCounts) => won + lost;
  const winRate = (counts: ClosedDealCounts) => (closed(counts) >= minClosedDealsPerGroup ? wilsonInterval(counts.won, closed(counts)) : null);
  const red = byLight.get('red')!;
  const rest = addCounts(byLight.get('yellow')!, byLight.get('green')!);
  const [redRate, restRate] = [winRate(red), winRate(rest)];
  return {
    closedDeals: closed(red) + closed(rest),
    byLight: trafficLights.map((light) => {
      const counts = byLight.get(light)!;
      return { light, closedDeals: closed(counts), won: counts.won, winRate: winRate(counts), averageAmount: counts.withAmount ? counts.amountSum / counts.withAmount : null };
    }),
    redVersusRest: redRate && restRate ? newcombeDifference(redRate, restRate) : null,
    needMore: redRate && restRate ? null : { red: Math.max(0, minClosedDealsPerGroup - closed(red)), rest: Math.max(0, minClosedDealsPerGroup - closed(rest)) },
  };
}

/** The deal's answers that are red under today's thresholds, on touchpoints `counts` keeps (not one asked after a lost deal). */
export function redAnswersOf(responses: readonly SurveyResponse[], thresholds: LightThresholds, counts: (touchpointId: string) => boolean): SurveyResponse[] {
  return responses.filter(({ touchpointId, score }) => counts(touchpointId) && trafficLight(score, thresholds) === 'red');
}

/** An open deal with a red answer, as the at-risk index keeps it. */
export function dealAtRisk(deal: { dealId: string; name?: string | undefined; amount?: number | undefined; ownerId?: string | undefined }, redAnswers: readonly SurveyResponse[]): DealAtRisk {
  return {
    dealId: deal.dealId,
    dealName: deal.name ?? null,
    amount: deal.amount ?? null,
    ownerId: deal.ownerId ?? null,
    redTouchpointIds: [...new Set(redAnswers.map(({ touchpointId }) => touchpointId))].sort(),
    redSince: new Date(Math.min(...redAnswers.map(({ answeredAt }) => answeredAt.getTime()))).toISOString(),
  };
}

/** How many of the report's deals at risk it shows, most valuable first. */
export const dealsAtRiskShown = 20;

/**
 * The latest comments a lost-deal touchpoint's summary keeps per month and the report shows:
 * 5 of at most 2,000 characters each, about 10 KB of a summary item at most.
 */
const lostDealCommentsKept = 5;

/** A month's (or a span's) latest comments, newest first, at most `lostDealCommentsKept`; ties broken by the text so the order is fixed. */
export function latestComments(comments: readonly LostDealComment[]): LostDealComment[] {
  return [...comments]
    .sort((a, b) => b.answeredAt.localeCompare(a.answeredAt) || a.comment.localeCompare(b.comment) || a.score - b.score)
    .slice(0, lostDealCommentsKept);
}

export function commentsOf(responses: readonly SurveyResponse[]): LostDealComment[] {
  return latestComments(responses.flatMap(({ score, comment, answeredAt }) => (comment ? [{ score, comment, answeredAt: answeredAt.toISOString() }] : [])));
}

/** A touchpoint on a lost stage, reported apart: its numbers and its customers' latest words (`addPeriods` kept the latest). */
export function lostDealTouchpoint(touchpoint: { id: string; name: string }, stats: TouchpointStats, comments: readonly LostDealComment[]): LostDealTouchpoint {
  return { touchpointId: touchpoint.id, name: touchpoint.name, stats, latestComments: [...comments] };
}
