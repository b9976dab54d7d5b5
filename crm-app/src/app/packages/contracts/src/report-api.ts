import { z } from 'zod';
import { TouchpointInterviews } from './interviews-api.js';
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
  /**
   * (Answered + interviews with notes) / customers who passed the touchpoint (invited or not), at
   * most 1: an interview counts once its task holds the owner's notes (domain/interviews.ts).
   */
  coverage: Rate,
  /** Too few answers, or too few of the customers who passed, to trust the mean. */
  thin: z.boolean(),
  /** Missed follow-ups / follow-up promises made at this touchpoint. */
  missedFollowUpRate: Rate,
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

export const TouchpointReport = z.object({
  touchpointId: z.string(),
  name: z.string(),
  phase: Phase,
  stats: TouchpointStats,
  /** Null until enough customers answered for the regression. */
  impact: ImpactEstimate.nullable(),
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
