import { z } from 'zod';
import { LostDealComment } from '@touchpoints/contracts';
import { addJourneyBlocks, JourneyBlocks, journeyBlocks, noJourneys, type CustomerJourney } from './analysis.js';
import { addDealOutcomes, commentsOf, type DealOutcomeCopy, DealOutcomeSummary, latestComments, summarizeDealOutcomes } from './deal-outcomes.js';
import { addCommentTerms, CommentTerms, commentTermsOf } from './comment-themes.js';
import type { FollowUp } from './follow-up.js';
import { type Interview, InterviewCandidate, interviewCandidatesOf, interviewRules, notedInterviewsOf } from './interviews.js';
import type { Invitation } from './journey.js';
import type { SurveyResponse } from './response.js';
import type { StageStay } from './stage-stays.js';
import { addStageTiming, StageTimingSummary } from './stage-timing.js';

/**
 * Period summaries: what the report needs of one calendar month (UTC), so it reads a few
 * summaries instead of every answer ever given. A period holds the invitations created in it
 * with their answers (whenever given) and the follow-ups started in it. A summary is always
 * recomputed from the period's raw items and overwritten, never incremented, so computing it
 * twice gives the same summary.
 */

/** A calendar month, UTC: "YYYY-MM". */
export const Period = z.string().regex(/^\d{4}-\d{2}$/);
export type Period = z.infer<typeof Period>;

export const periodOf = (at: Date): Period => at.toISOString().slice(0, 7);
export const periodStart = (period: Period) => new Date(`${period}-01T00:00:00.000Z`);
export function periodEnd(period: Period): Date {
  const start = periodStart(period);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** Every period from the one holding `from` to the one holding `to`, oldest first. */
export function periodsBetween(from: Date, to: Date): Period[] {
  const periods: Period[] = [];
  for (let period = periodOf(from); period <= periodOf(to); period = periodOf(periodEnd(period))) periods.push(period);
  return periods;
}

/** One touchpoint's numbers in one period. */
export const TouchpointSummary = z.object({
  touchpointId: z.string(),
  /** Answers by score ("1" … "10"); the lights come from these at read time, since a portal may change its thresholds. */
  scoreCounts: z.record(z.string(), z.int().nonnegative()),
  scoreSum: z.number(),
  /** The answers by the month they were given in (an invitation may be answered after its own month), for the trend. */
  answersByMonth: z.record(Period, z.object({ answers: z.int().nonnegative(), scoreSum: z.number() })),
  /** `passed`: every invitation made; `invited`: those whose survey was sent (or answered). */
  invitations: z.object({ passed: z.int().nonnegative(), invited: z.int().nonnegative(), answered: z.int().nonnegative() }),
  followUps: z.object({ started: z.int().nonnegative(), missed: z.int().nonnegative(), kept: z.int().nonnegative(), keptLate: z.int().nonnegative() }),
  /** The deals closed in the month whose customers answered this touchpoint before, by score (deal-outcomes.ts). */
  dealOutcomes: DealOutcomeSummary.default({}),
  /** A lost-deal touchpoint's latest comments in the month (at most 5, about 10 KB); none for the others. */
  latestComments: z.array(LostDealComment).default([]),
  /** Interviews of the period's customers whose task holds the owner's notes (domain/interviews.ts); absent in summaries saved before interviews. */
  interviews: z.int().nonnegative().optional(),
  /** The answers worth an interview, at most 20 (`interviewCandidatesOf`); absent in summaries saved before interviews, which are computed again. */
  interviewCandidates: z.array(InterviewCandidate).max(interviewRules.candidatesKeptPerPeriod).optional(),
  /** The answers' comments as counted terms and a few quotes, by language and score, bounded (`commentBudget`, comment-themes.ts). */
  commentTerms: CommentTerms,
  /** How long deals waited for the touchpoint's stage, from the stays they began in the month (stage-timing.ts); none in a summary saved before. */
  timing: StageTimingSummary.optional(),
});
export type TouchpointSummary = z.infer<typeof TouchpointSummary>;

/** A whole period: each touchpoint's summary, and the impact regression's statistics of its customers. */
export const PeriodSummary = z.object({
  period: Period,
  computedAt: z.date(),
  /** The touchpoints whose answer was the overall score: a summary computed with others is out of date. */
  overallTouchpointIds: z.array(z.string()),
  /** The touchpoints asked after a lost deal, kept out of the customers and their journeys: a summary computed with others is out of date. */
  lostDealTouchpointIds: z.array(z.string()).default([]),
  touchpoints: z.array(TouchpointSummary),
  /** Customers (a contact on a deal) who answered any touchpoint in the period. */
  customers: z.int().nonnegative(),
  /** Customers are joined by deal and contact within the period: a journey whose invitations fall in two months counts as two. */
  journeys: JourneyBlocks,
});
export type PeriodSummary = z.infer<typeof PeriodSummary>;

/** What one touchpoint's partition holds for one period. */
export interface TouchpointPeriodActivity {
  touchpointId: string;
  invitations: readonly Invitation[];
  responses: readonly SurveyResponse[];
  followUps: readonly FollowUp[];
  /** The deals closed in the month with an answer to this touchpoint (the same partition, by the close month). */
  dealOutcomes?: readonly DealOutcomeCopy[];
  /** The interview tasks made for the period's answers. */
  interviews?: readonly Interview[];
}

/** Which invitations and follow-ups count: all of them for a stored summary; fewer for an owner or a cut period. */
export interface SummaryScope {
  invitation: (invitation: Invitation) => boolean;
  followUp: (followUp: FollowUp) => boolean;
  dealOutcome: (outcome: DealOutcomeCopy) => boolean;
  /** A deal's stay in a stage (stage-timing.ts), by its owner then and when it entered. */
  stay: (stay: StageStay) => boolean;
}

export const wholePeriod: SummaryScope = { invitation: () => true, followUp: () => true, dealOutcome: () => true, stay: () => true };

export function summarizePeriod(
  period: Period,
  activities: readonly TouchpointPeriodActivity[],
  overallTouchpointIds: readonly string[],
  computedAt: Date,
  scope: SummaryScope = wholePeriod,
  lostDealTouchpointIds: readonly string[] = [],
): PeriodSummary {
  const journeys = new Map<string, Record<string, number>>();
  // In touchpoint order, so each customer's scores (and so the sums) come in one order, whatever order the store gave.
  const inOrder = [...activities].sort((a, b) => a.touchpointId.localeCompare(b.touchpointId));
  const touchpoints = inOrder.map(({ touchpointId, invitations, responses, followUps, dealOutcomes = [], interviews = [] }): TouchpointSummary => {
    // Asked after a lost deal: counted on its own, never part of a (won) customer's journey.
    const afterLostDeal = lostDealTouchpointIds.includes(touchpointId);
    const inScope = invitations.filter(scope.invitation);
    const customers = new Set(inScope.map(({ dealId, contactId }) => `${dealId}/${contactId}`));
    const answers = responses.filter(({ dealId, contactId }) => customers.has(`${dealId}/${contactId}`));
    const languages = new Map(inScope.map(({ dealId, contactId, language }) => [`${dealId}/${contactId}`, language]));
    const scoreCounts: Record<string, number> = {};
    const answersByMonth: TouchpointSummary['answersByMonth'] = {};
    let scoreSum = 0;
    for (const { dealId, contactId, score, answeredAt } of answers) {
      scoreCounts[score] = (scoreCounts[score] ?? 0) + 1;
      scoreSum += score;
      const month = (answersByMonth[periodOf(answeredAt)] ??= { answers: 0, scoreSum: 0 });
      month.answers += 1;
      month.scoreSum += score;
      const customer = `${dealId}/${contactId}`;
      if (!afterLostDeal) journeys.set(customer, { ...journeys.get(customer), [touchpointId]: score });
    }
    const started = followUps.filter(scope.followUp);
    const countOf = (status: FollowUp['status']) => started.filter((followUp) => followUp.status === status).length;
    return {
      touchpointId,
      scoreCounts,
      scoreSum,
      answersByMonth,
      invitations: {
        passed: inScope.length,
        invited: inScope.filter(({ status }) => status === 'sent' || status === 'answered').length,
        answered: answers.length,
      },
      followUps: { started: started.length, missed: countOf('missed'), kept: countOf('kept'), keptLate: countOf('kept_late') },
      dealOutcomes: summarizeDealOutcomes(dealOutcomes.filter(scope.dealOutcome)),
      latestComments: afterLostDeal ? commentsOf(answers) : [],
      interviews: notedInterviewsOf(interviews, customers),
      interviewCandidates: interviewCandidatesOf(answers, new Map(inScope.map(({ dealId, contactId, ownerId }) => [`${dealId}/${contactId}`, ownerId]))),
      commentTerms: commentTermsOf(answers.flatMap(({ dealId, contactId, score, comment }) => (comment ? [{ comment, score, language: languages.get(`${dealId}/${contactId}`)! }] : []))),
    };
  });
  // Sorted by customer, so the sums are added in one order and a recomputation is identical to the bit.
  const byCustomer = [...journeys].sort(([a], [b]) => a.localeCompare(b));
  return {
    period,
    computedAt,
    overallTouchpointIds: [...overallTouchpointIds].sort(),
    lostDealTouchpointIds: [...lostDealTouchpointIds].sort(),
    touchpoints,
    customers: journeys.size,
    journeys: journeyBlocks(byCustomer.flatMap(([customer, scores]) => customerJourney(customer, scores, overallTouchpointIds))),
  };
}

/**
 * The customer's overall score: their answer to a touchpoint that asks about the whole
 * experience; without such a touchpoint, the mean of their answers. A customer who was asked
 * for it and has not answered has no journey (yet).
 */
function customerJourney(customer: string, scores: Readonly<Record<string, number>>, overallTouchpointIds: readonly string[]): CustomerJourney[] {
  if (overallTouchpointIds.length === 0) return [{ customer, scores }];
  const overall = overallTouchpointIds.map((id) => scores[id]).find((score) => score !== undefined);
  return overall === undefined ? [] : [{ customer, scores: Object.fromEntries(Object.entries(scores).filter(([id]) => !overallTouchpointIds.includes(id))), overall }];
}

const noSummary = (touchpointId: string): TouchpointSummary => ({
  touchpointId,
  scoreCounts: {},
  scoreSum: 0,
  answersByMonth: {},
  invitations: { passed: 0, invited: 0, answered: 0 },
  followUps: { started: 0, missed: 0, kept: 0, keptLate: 0 },
  dealOutcomes: {},
  latestComments: [],
  commentTerms: {},
});

const addCounts = <Counts extends Record<string, number>>(a: Counts, b: Counts): Counts =>
  Object.fromEntries(Object.keys({ ...a, ...b }).map((key) => [key, (a[key] ?? 0) + (b[key] ?? 0)])) as Counts;

/** A span of periods added up: per touchpoint (an empty summary for one no period has), and the regression's statistics. */
export function addPeriods(summaries: readonly PeriodSummary[], touchpointIds: readonly string[]): { touchpoints: Map<string, TouchpointSummary>; journeys: JourneyBlocks } {
  const touchpoints = new Map(touchpointIds.map((id) => [id, noSummary(id)]));
  let journeys = noJourneys();
  for (const summary of summaries) {
    journeys = addJourneyBlocks(journeys, summary.journeys);
    for (const touchpoint of summary.touchpoints) {
      const total = touchpoints.get(touchpoint.touchpointId);
      if (!total) continue;
      const months = { ...total.answersByMonth };
      for (const [month, ofMonth] of Object.entries(touchpoint.answersByMonth)) months[month] = addCounts(months[month] ?? { answers: 0, scoreSum: 0 }, ofMonth);
      touchpoints.set(touchpoint.touchpointId, {
        touchpointId: touchpoint.touchpointId,
        scoreCounts: addCounts(total.scoreCounts, touchpoint.scoreCounts),
        scoreSum: total.scoreSum + touchpoint.scoreSum,
        answersByMonth: months,
        invitations: addCounts(total.invitations, touchpoint.invitations),
        followUps: addCounts(total.followUps, touchpoint.followUps),
        dealOutcomes: addDealOutcomes(total.dealOutcomes, touchpoint.dealOutcomes),
        latestComments: latestComments([...total.latestComments, ...touchpoint.latestComments]),
        interviews: (total.interviews ?? 0) + (touchpoint.interviews ?? 0),
        commentTerms: addCommentTerms(total.commentTerms, touchpoint.commentTerms),
        timing: addStageTiming(total.timing, touchpoint.timing),
      });
    }
  }
  return { touchpoints, journeys };
}
