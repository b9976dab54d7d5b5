import { z } from 'zod';
import { TouchpointInterviews } from './interviews-api.js';
import { SurveyLanguage } from './language.js';
import { TrafficLight, trafficLights } from './light.js';
import { Phase } from './touchpoint.js';

/**
 * The report tab's conversation with the report λ (signed `hubspot.fetch`, like the settings):
 *
 *   GET /report[?pipelineId=&ownerId=&since=YYYY-MM-DD&until=YYYY-MM-DD] → PortalReport
 *   GET /report?format=csv                                                 → the same as CSV
 *
 * The report λ builds `PortalReport` and validates it before answering; the page validates what
 * it receives. Dates travel as ISO strings.
 */

const Rate = z.number().min(0).max(1).nullable();

/** A count per light: answers, or comments. */
const LightCounts = z.object({ red: z.int().nonnegative(), yellow: z.int().nonnegative(), green: z.int().nonnegative() });

export const TouchpointStats = z.object({
  touchpointId: z.string(),
  answers: z.int().nonnegative(),
  mean: z.number().nullable(),
  light: TrafficLight.nullable(),
  distribution: LightCounts,
  /** Answered / invited (surveys actually sent). */
  responseRate: Rate,
  /**
   * (Answered + interviews with notes) / customers who passed the touchpoint (invited or not), at
   * most 1: an interview counts once its task holds the owner's notes (domain/interviews.ts).
   */
  coverage: Rate,
  /** Too few answers, or too few of the customers who passed, to trust the mean. */
  thin: z.boolean(),
  /** Missed follow-ups / follow-up promises made at this touchpoint. */
  missedFollowUpRate: Rate,
  /** The counts behind the rates, so every percentage can show "of how many". */
  counts: z.object({
    /** Customers who passed the touchpoint (asked or not): coverage's whole. */
    passed: z.int().nonnegative(),
    /** Surveys sent (or answered): response rate's whole. */
    invited: z.int().nonnegative(),
    /** Follow-up promises made here, and those missed or kept late. */
    followUps: z.int().nonnegative(),
    followUpsMissed: z.int().nonnegative(),
  }),
  /** Interviews whose task holds the owner's notes (the customers are among those who passed). */
  interviews: z.int().nonnegative().default(0),
  /** Mean per month, oldest first; `month` is "YYYY-MM". */
  trend: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), mean: z.number(), answers: z.int().positive() })),
});
export type TouchpointStats = z.infer<typeof TouchpointStats>;

/** How many points the overall score moves per point on this touchpoint, with its 95 % interval. */
export const ImpactEstimate = z.object({
  touchpointId: z.string(),
  effect: z.number(),
  low: z.number(),
  high: z.number(),
  answers: z.int().nonnegative(),
});
export type ImpactEstimate = z.infer<typeof ImpactEstimate>;

/**
 * What a touchpoint is worth in deals needs this many closed deals in a group (red, or not
 * red) before its win rate is shown: below it a 95 % interval spans most of 0…1 and says little.
 */
export const minClosedDealsPerGroup = 10;

/** A win rate with its Wilson 95 % interval. */
export const WinRate = z.object({ rate: z.number().min(0).max(1), low: z.number().min(0).max(1), high: z.number().min(0).max(1) });
export type WinRate = z.infer<typeof WinRate>;

/**
 * A touchpoint and the deals closed (won or lost, by the pipeline stage's metadata) after their
 * customers answered it, counted in the month each deal closed. A deal counts under the light of
 * its lowest score on the touchpoint (any unhappy buyer), as it stood when the deal closed.
 */
export const TouchpointOutcomes = z.object({
  closedDeals: z.int().nonnegative(),
  /** Red, yellow, green: closed deals, won, the win rate (null below `minClosedDealsPerGroup`), the average amount (null when no deal has one). */
  byLight: z.array(
    z.object({ light: TrafficLight, closedDeals: z.int().nonnegative(), won: z.int().nonnegative(), winRate: WinRate.nullable(), averageAmount: z.number().nullable() }),
  ),
  /** Win rate of deals rated red minus that of the rest, with Newcombe's hybrid score 95 % interval; null until both groups have enough closed deals. */
  redVersusRest: z.object({ difference: z.number(), low: z.number(), high: z.number() }).nullable(),
  /** How many more closed deals with an answer each group needs before the difference is shown; null once it is. */
  needMore: z.object({ red: z.int().nonnegative(), rest: z.int().nonnegative() }).nullable(),
});
export type TouchpointOutcomes = z.infer<typeof TouchpointOutcomes>;

const noClosedDeals: TouchpointOutcomes = {
  closedDeals: 0,
  byLight: trafficLights.map((light) => ({ light, closedDeals: 0, won: 0, winRate: null, averageAmount: null })),
  redVersusRest: null,
  needMore: { red: minClosedDealsPerGroup, rest: minClosedDealsPerGroup },
};

/** An open deal whose customer rated a touchpoint red: amount and owner as of its last red answer or stage change. */
export const DealAtRisk = z.object({
  dealId: z.string(),
  dealName: z.string().nullable(),
  amount: z.number().nullable(),
  ownerId: z.string().nullable(),
  redTouchpointIds: z.array(z.string()),
  /** The first of its red answers. */
  redSince: z.iso.datetime(),
});
export type DealAtRisk = z.infer<typeof DealAtRisk>;

/** A lost deal's customer's comment, with their score. */
export const LostDealComment = z.object({ score: z.int().min(1).max(10), comment: z.string(), answeredAt: z.iso.datetime() });
export type LostDealComment = z.infer<typeof LostDealComment>;

/** A touchpoint asked after a deal was lost (`afterLostDeal`), reported apart from the won customers' journey. */
export const LostDealTouchpoint = z.object({
  touchpointId: z.string(),
  name: z.string(),
  stats: TouchpointStats,
  /** The latest comments, newest first (at most 5). */
  latestComments: z.array(LostDealComment),
});
export type LostDealTouchpoint = z.infer<typeof LostDealTouchpoint>;

/** A light gets themes once it has this many comments in a language, and there are as many comments of other lights to compare them with. */
export const themeMinimumComments = 10;

/**
 * A word or short phrase that sets one light's comments of a touchpoint apart from the other
 * lights' comments in the same language (log-odds ratio with an informative Dirichlet prior,
 * z > 1.96): at most five per touchpoint and light, most distinctive first. None until the light
 * has `themeMinimumComments` comments in the language and the touchpoint's other lights as many,
 * or, for a touchpoint nearly everyone rates alike, the other lights of all the touchpoints.
 */
export const CommentTheme = z.object({
  light: TrafficLight,
  language: SurveyLanguage,
  /** As customers most often wrote it, e.g. "for sent". */
  label: z.string().min(1),
  /** Comments of this light and language that use it. */
  comments: z.int().positive(),
  /** Up to three short comments that use it, each at most about 160 characters. */
  quotes: z.array(z.string()).max(3),
});
export type CommentTheme = z.infer<typeof CommentTheme>;

/**
 * How long customers wait for a touchpoint's stage, from the deals' stage history in HubSpot
 * alone (no answer needed); `lambdas/domain/stage-timing.ts` computes it.
 *
 * - A wait: from the deal entering the stage it was in just before the touchpoint's stage (its
 *   previous stage in its own history) to entering the touchpoint's stage. Counted in the month the
 *   deal entered that previous stage.
 * - The promise: a follow-up promise of any touchpoint that the deal reaches this stage (`expect:
 *   'stage'`, a template's `'step'`) within a time; the shortest if several; else none.
 * - Late: a wait longer than the promise; its lateness is the wait less the promise.
 * - The stage before: the stage before the touchpoint's stage in the pipeline's display order
 *   (closed-lost stages left out). Of the deals that entered it, those whose next move was to a
 *   closed-lost stage (stage metadata `isClosed` with probability 0) fell out; those that made no
 *   move yet and sat there open longer than `stallAfterDays` stalled.
 *
 * Days are read from a histogram of waits (buckets 2^(1/8) apart, so within 4.4 %).
 */
export const TouchpointTiming = z.object({
  /** Deals that moved into this stage from another. */
  waits: z.int().nonnegative(),
  /** The waits' median, 75th and 90th percentile; null without waits. */
  medianDays: z.number().nonnegative().nullable(),
  p75Days: z.number().nonnegative().nullable(),
  p90Days: z.number().nonnegative().nullable(),
  /** The promise for this stage; null without one. */
  promiseDays: z.number().positive().nullable(),
  /** Waits longer than the promise, their share of the waits (null without a promise or waits), and their median lateness. */
  late: z.int().nonnegative(),
  lateShare: Rate,
  typicalLatenessDays: z.number().nonnegative().nullable(),
  /** Deals that entered the stage before, and of them those that fell out there or stalled there. */
  reachedStageBefore: z.int().nonnegative(),
  fellOut: z.int().nonnegative(),
  stalled: z.int().nonnegative(),
  /** How long a deal sits in the stage before until it counts as stalled: 3 × the promise, at most 30 days; 30 days without a promise. */
  stallAfterDays: z.number().positive(),
});
export type TouchpointTiming = z.infer<typeof TouchpointTiming>;

export const TouchpointReport = z.object({
  touchpointId: z.string(),
  name: z.string(),
  phase: Phase,
  /** The overall question (how the whole experience was): what the touchpoints' impact is measured on, never ranked itself. */
  measuresOverall: z.boolean(),
  stats: TouchpointStats,
  /** Null until enough customers answered for the regression. */
  impact: ImpactEstimate.nullable(),
  /** What the touchpoint is worth in deals: win rates by light, red against the rest. */
  outcomes: TouchpointOutcomes.default(noClosedDeals),
  /** Comments given with the answers, by light, in every language. */
  comments: LightCounts,
  /** What the comments of each light are about; red first. */
  themes: z.array(CommentTheme),
  /** How long customers wait for this touchpoint's stage, from CRM facts. */
  timing: TouchpointTiming,
});
export type TouchpointReport = z.infer<typeof TouchpointReport>;

export const PortalReport = z.object({
  /** In journey order. */
  touchpoints: z.array(TouchpointReport),
  /**
   * Touchpoint ids, most harmful first: by (10 − mean) × impact, a low mean on a touchpoint that
   * moves the overall score most. Empty until `ranking` is `ranked`; never the overall question.
   */
  weakestFirst: z.array(z.string()),
  /**
   * Whether enough customers answered both the touchpoints and the overall question (or, without
   * one, several touchpoints) for the impacts the ranking rests on: `needed` of them.
   */
  ranking: z.discriminatedUnion('status', [
    z.object({ status: z.literal('ranked'), customers: z.int().nonnegative() }),
    z.object({ status: z.literal('not_enough_answers'), customers: z.int().nonnegative(), needed: z.int().positive() }),
  ]),
  /** What a sales manager reads first: one sentence per finding, most important first, each with the counts behind it. */
  findings: z.array(z.object({ touchpointId: z.string(), sentence: z.string().min(1) })),
  /**
   * The touchpoint whose stage customers wait for longest against its promise: the highest median
   * wait over the promise, of those whose median exceeds it with at least 5 waits; null when none does.
   */
  slowestAgainstPromise: z.string().nullable(),
  /** Customers (a contact on a deal) who answered, counted per month: one who answered in two months counts twice. */
  customers: z.int().nonnegative(),
  generatedAt: z.iso.datetime(),
  /**
   * The months ("YYYY-MM") this report computed from raw answers instead of stored monthly
   * summaries: the open month (always, so new answers show at once), every month under an owner
   * filter (summaries hold all owners), a month that `since` or `until` cuts, and a closed month
   * whose summary was missing or out of date (then saved). Empty only for a report that ends
   * before the open month and read only summaries.
   */
  readFromAnswers: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
  /** Open deals with a red answer now, most valuable first (at most 20), whatever the filter: they are today's list, not a period's. */
  dealsAtRisk: z.array(DealAtRisk).default([]),
  /** The touchpoints asked after a lost deal, apart: not in `touchpoints`, `weakestFirst`, the impact regression or `customers`. */
  lostDeals: z.object({ touchpoints: z.array(LostDealTouchpoint) }).default({ touchpoints: [] }),
  /** Per weak touchpoint (weakest first), customers worth interviewing (interviews-api.ts). */
  interviews: z.array(TouchpointInterviews).default([]),
});
export type PortalReport = z.infer<typeof PortalReport>;

const Day = z.iso.date();

/** What the report is narrowed to; days are "YYYY-MM-DD", `until` exclusive. */
export const ReportFilter = z
  .object({ pipelineId: z.string().min(1).optional(), ownerId: z.string().min(1).optional(), since: Day.optional(), until: Day.optional() })
  .strict();
export type ReportFilter = z.infer<typeof ReportFilter>;
