import { z } from 'zod';
import { SurveyLanguage } from './language.js';
import { TrafficLight } from './light.js';
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

export const TouchpointStats = z.object({
  touchpointId: z.string(),
  answers: z.int().nonnegative(),
  mean: z.number().nullable(),
  light: TrafficLight.nullable(),
  distribution: z.object({ red: z.int().nonnegative(), yellow: z.int().nonnegative(), green: z.int().nonnegative() }),
  /** Answered / invited (surveys actually sent). */
  responseRate: Rate,
  /** Answered / customers who passed the touchpoint (invited or not). */
  coverage: Rate,
  /** Too few answers, or too few of the customers who passed, to trust the mean. */
  thin: z.boolean(),
  /** Missed follow-ups / follow-up promises made at this touchpoint. */
  missedFollowUpRate: Rate,
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

export const TouchpointReport = z.object({
  touchpointId: z.string(),
  name: z.string(),
  phase: Phase,
  stats: TouchpointStats,
  /** Null until enough customers answered for the regression. */
  impact: ImpactEstimate.nullable(),
  /** Comments given with the answers, by light, in every language. */
  comments: z.object({ red: z.int().nonnegative(), yellow: z.int().nonnegative(), green: z.int().nonnegative() }),
  /** What the comments of each light are about; red first. */
  themes: z.array(CommentTheme),
});
export type TouchpointReport = z.infer<typeof TouchpointReport>;

export const PortalReport = z.object({
  /** In journey order. */
  touchpoints: z.array(TouchpointReport),
  /** Touchpoint ids, most harmful first: a low mean on a touchpoint that moves the overall score most. */
  weakestFirst: z.array(z.string()),
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
});
export type PortalReport = z.infer<typeof PortalReport>;

const Day = z.iso.date();

/** What the report is narrowed to; days are "YYYY-MM-DD", `until` exclusive. */
export const ReportFilter = z
  .object({ pipelineId: z.string().min(1).optional(), ownerId: z.string().min(1).optional(), since: Day.optional(), until: Day.optional() })
  .strict();
export type ReportFilter = z.infer<typeof ReportFilter>;
