import { dayMs, type DealAtRisk, defaultLightThresholds, inJourneyOrder, trafficLights, type PortalReport, type PortalSettings, type TouchpointDefinition, type TouchpointReport } from '@touchpoints/contracts';
import { overallColumn, touchpointImpact, touchpointStats } from '../domain/analysis.js';
import { dealsAtRiskShown, lostDealTouchpoint, touchpointOutcomes } from '../domain/deal-outcomes.js';
import { chunks } from '../domain/chunks.js';
import { commentsByLight, themesCell, touchpointThemes } from '../domain/comment-themes.js';
import type { PortalInstall } from '../domain/install.js';
import { rankWeakestFirst, reportFindings } from '../domain/report-findings.js';
import { interviewCandidates } from './interview-candidates.js';
import { type Interview, interviewedSince } from '../domain/interviews.js';
import { addPeriods, type Period, periodEnd, periodOf, periodsBetween, periodStart, type PeriodSummary, summarizePeriod, type SummaryScope, type TouchpointPeriodActivity } from '../domain/period-summary.js';
import { stageHistoryReachDays, type StageStay } from '../domain/stage-stays.js';
import { slowestAgainstPromise, stageTimingIsCurrent, stageTimingTable, summarizeStageTiming, timingTargets, touchpointTiming, withStageTiming } from '../domain/stage-timing.js';
import type { Versioned } from '../store/store.js';

/** What the report covers; the HTTP query's days already turned into times. */
export interface ReportScope {
  pipelineId?: string;
  ownerId?: string;
  /** Answers and invitations from this time on, and before `until`. */
  since?: Date;
  until?: Date;
}

/** What the report reads and writes: the portal's touchpoints, its period summaries, and a period's raw items when a summary will not do. */
export interface ReportStore {
  /** The portal's interview tasks since a time: the report's "not again within 90 days". */
  recentInterviews(portalId: number, since: Date): Promise<Interview[]>;
  getSettings(portalId: number): Promise<Versioned<PortalSettings> | undefined>;
  listTouchpoints(portalId: number): Promise<Versioned<TouchpointDefinition>[]>;
  getInstall(portalId: number): Promise<PortalInstall | undefined>;
  periodSummaries(portalId: number, from: Period, to: Period): Promise<PeriodSummary[]>;
  savePeriodSummary(portalId: number, summary: PeriodSummary): Promise<void>;
  touchpointPeriodActivity(portalId: number, touchpointId: string, period: Period): Promise<TouchpointPeriodActivity>;
  /** The portal's open deals with a red answer, most valuable first: one index Query. */
  dealsAtRisk(portalId: number, limit: number): Promise<DealAtRisk[]>;
  stageStaysOfPeriod(portalId: number, period: Period): Promise<StageStay[]>;
}

/**
 * The open month is read from its raw items on every request (its partitions hold that month
 * only), so a new answer shows at once. A closed month's invitations still change after it ends
 * (surveys go out later, answers come in, follow-ups fall due): its summary is final only when
 * computed `settledAfterDays` after the month; until then a summary younger than
 * `unsettledMinutes` is used, and an older one computed again.
 */
export const summaryFreshness = { settledAfterDays: 45, unsettledMinutes: 15 } as const;

/** Months computed side by side; each reads a Query per touchpoint and one of the stays. */
const monthsAtOnce = 6;

/** How far back a report without `since` reaches for a portal whose install time was never recorded. */
const unknownInstallReachDays = 3 * 365;

/**
 * The whole portal's touchpoint analysis from period summaries (a calendar month each): one
 * Query for the stored summaries of the months in scope; a closed month whose summary is missing
 * or out of date is computed from its raw items and saved. The open month, a month the scope cuts
 * (`since` or `until` inside it) and every month under an owner filter are computed from raw items
 * and not saved: summaries hold whole, closed months of every owner. `readFromAnswers` names the
 * months computed from raw items.
 */
export async function portalReport(store: ReportStore, portalId: number, filter: ReportScope, now: Date): Promise<PortalReport> {
  const [stored, settings, install, dealsAtRisk, recentInterviews] = await Promise.all([
    store.listTouchpoints(portalId),
    store.getSettings(portalId),
    store.getInstall(portalId),
    store.dealsAtRisk(portalId, dealsAtRiskShown),
    store.recentInterviews(portalId, interviewedSince(now)),
  ]);
  const thresholds = settings?.value.lightThresholds ?? defaultLightThresholds;
  const everyTouchpoint = stored.map(({ value }) => value);
  const inPipeline = everyTouchpoint.filter(({ trigger }) => !filter.pipelineId || trigger.pipelineId === filter.pipelineId);
  // Asked after a lost deal: reported apart, never in the journey, its ranking or its regression.
  const touchpoints = inJourneyOrder(inPipeline.filter(({ afterLostDeal }) => !afterLostDeal));
  const lostDealTouchpoints = inJourneyOrder(inPipeline.filter(({ afterLostDeal }) => afterLostDeal));
  const overallIds = everyTouchpoint.filter(({ measuresOverall }) => measuresOverall).map(({ id }) => id).sort();
  const lostDealIds = everyTouchpoint.filter(({ afterLostDeal }) => afterLostDeal).map(({ id }) => id).sort();
  const targets = timingTargets(everyTouchpoint);

  // From the stage history the install read back (its answers begin at the install; the months before hold only waits).
  const reachStart = install?.installedAt ? install.installedAt.getTime() - stageHistoryReachDays * dayMs : now.getTime() - unknownInstallReachDays * dayMs;
  const first = new Date(Math.max(filter.since?.getTime() ?? 0, reachStart));
  const last = new Date(Math.min((filter.until?.getTime() ?? Number.POSITIVE_INFINITY) - 1, now.getTime()));
  const periods = first <= last ? periodsBetween(first, last) : [];
  const storedSummaries = periods.length ? new Map((await store.periodSummaries(portalId, periods[0]!, periods.at(-1)!)).map((summary) => [summary.period, summary])) : new Map<Period, PeriodSummary>();

  const readFromAnswers: Period[] = [];
  const fromAnswers = async (period: Period, scope?: SummaryScope) => {
    readFromAnswers.push(period);
    const [activities, stays] = await Promise.all([Promise.all(everyTouchpoint.map(({ id }) => store.touchpointPeriodActivity(portalId, id, period))), store.stageStaysOfPeriod(portalId, period)]);
    return withStageTiming(summarizePeriod(period, activities, overallIds, now, scope, lostDealIds), summarizeStageTiming(stays, targets, now, scope?.stay));
  };
  const summaryOf = async (period: Period): Promise<PeriodSummary> => {
    const cut = (!!filter.since && filter.since > periodStart(period)) || (!!filter.until && filter.until < periodEnd(period));
    if (cut || filter.ownerId) return fromAnswers(period, scopeOf(filter));
    if (period === periodOf(now)) return fromAnswers(period);
    const summary = storedSummaries.get(period);
    if (summary && isCurrent(summary, overallIds, lostDealIds, now) && stageTimingIsCurrent(summary, targets)) return summary;
    const recomputed = await fromAnswers(period);
    await store.savePeriodSummary(portalId, recomputed);
    return recomputed;
  };
  // A few months at a time: a first report (or an owner filter) reads three years of months, a Query per touchpoint each.
  const summaries: PeriodSummary[] = [];
  for (const months of chunks(periods, monthsAtOnce)) summaries.push(...(await Promise.all(months.map(summaryOf))));

  const total = addPeriods(summaries, [...touchpoints, ...lostDealTouchpoints].map(({ id }) => id));
  const perTouchpoint = touchpoints.map(({ id }) => touchpointStats(id, total.touchpoints.get(id)!, thresholds));
  // A touchpoint fewer than two customers rated has no covariance with the others: in the regression
  // it would make every weight NaN, so it is left out (and gets no impact).
  const explaining = touchpoints.filter(({ id }, index) => !overallIds.includes(id) && perTouchpoint[index]!.answers >= 2).map(({ id }) => id);
  const journeys = total.journeys.reduce((sum, block) => sum + (block[overallColumn]?.[overallColumn]?.customers ?? 0), 0);
  const impacts = journeys >= 10 ? touchpointImpact(total.journeys, explaining) : [];
  const themes = touchpointThemes(new Map(touchpoints.map(({ id }) => [id, total.touchpoints.get(id)!.commentTerms])), thresholds);
  const reports = touchpoints.map((touchpoint, index): TouchpointReport => ({
    touchpointId: touchpoint.id,
    name: touchpoint.name,
    phase: touchpoint.phase,
    measuresOverall: overallIds.includes(touchpoint.id),
    stats: perTouchpoint[index]!,
    impact: impacts.find(({ touchpointId, effect }) => touchpointId === touchpoint.id && Number.isFinite(effect)) ?? null,
    outcomes: touchpointOutcomes(total.touchpoints.get(touchpoint.id)!.dealOutcomes, thresholds),
    comments: commentsByLight(total.touchpoints.get(touchpoint.id)!.commentTerms, thresholds),
    themes: themes.get(touchpoint.id)!,
    timing: touchpointTiming(total.touchpoints.get(touchpoint.id)!.timing, targets.find(({ touchpointId }) => touchpointId === touchpoint.id)!),
  }));
  const ranking = rankWeakestFirst(reports, journeys);
  const report = {
    touchpoints: reports,
    ...ranking,
    findings: reportFindings(reports, ranking),
    slowestAgainstPromise: slowestAgainstPromise(reports),
    customers: summaries.reduce((sum, { customers }) => sum + customers, 0),
    generatedAt: now.toISOString(),
    readFromAnswers: readFromAnswers.sort(),
    dealsAtRisk,
    lostDeals: {
      touchpoints: lostDealTouchpoints.map((touchpoint) => {
        const summary = total.touchpoints.get(touchpoint.id)!;
        return lostDealTouchpoint(touchpoint, touchpointStats(touchpoint.id, summary, thresholds), summary.latestComments);
      }),
    },
  };
  return { ...report, interviews: interviewCandidates(report, summaries, recentInterviews, thresholds, now) };
}

/** Final (computed well after its month), or fresh; and computed with today's overall and lost-deal touchpoints. */
function isCurrent(summary: PeriodSummary, overallIds: readonly string[], lostDealIds: readonly string[], now: Date): boolean {
  if (summary.overallTouchpointIds.join() !== overallIds.join()) return false;
  if (summary.lostDealTouchpointIds.join() !== lostDealIds.join()) return false;
  // Saved before interviews existed: without the month's interview candidates.
  if (summary.touchpoints.some(({ interviewCandidates: candidates }) => candidates === undefined)) return false;
  const settled = summary.computedAt.getTime() >= periodEnd(summary.period).getTime() + summaryFreshness.settledAfterDays * dayMs;
  return settled || now.getTime() - summary.computedAt.getTime() < summaryFreshness.unsettledMinutes * 60_000;
}

/** The invitations and follow-ups a cut period or an owner filter counts. */
function scopeOf({ ownerId, since, until }: ReportScope): SummaryScope {
  const inPeriod = (at: Date) => (!since || at >= since) && (!until || at < until);
  return {
    invitation: (invitation) => (!ownerId || invitation.ownerId === ownerId) && inPeriod(invitation.createdAt),
    followUp: (followUp) => (!ownerId || followUp.ownerId === ownerId) && inPeriod(followUp.startedAt),
    dealOutcome: (outcome) => (!ownerId || outcome.ownerId === ownerId) && inPeriod(outcome.closedAt),
    stay: (stay) => (!ownerId || stay.ownerId === ownerId) && inPeriod(stay.enteredAt),
  };
}
/** Per light: closed deals, won, win rate, average amount; then red's win rate minus the rest's, with its interval. */
const outcomeColumns = [
  ...trafficLights.flatMap((light) => [`closed_deals_${light}`, `won_${light}`, `win_rate_${light}`, `average_amount_${light}`]),
  'win_rate_red_vs_rest',
  'win_rate_red_vs_rest_low',
  'win_rate_red_vs_rest_high',
];

function outcomeCells({ byLight, redVersusRest }: TouchpointReport['outcomes']) {
  return [...byLight.flatMap(({ closedDeals, won, winRate, averageAmount }) => [closedDeals, won, winRate?.rate, averageAmount]), redVersusRest?.difference, redVersusRest?.low, redVersusRest?.high];
}

/** The report as CSV, one row per touchpoint, for a spreadsheet; then, after an empty line, its timing part. */
export function reportCsv(report: PortalReport): string {
  const header = ['touchpoint', 'phase', 'overall_question', 'rank', 'answers', 'mean', 'light', 'red', 'yellow', 'green', 'invited', 'response_rate', 'passed', 'coverage', 'thin', 'follow_ups', 'follow_ups_missed', 'missed_follow_up_rate', 'impact', 'impact_low', 'impact_high', ...outcomeColumns, 'finding', 'themes'];
  const cell = (value: string | number | boolean | null | undefined) => {
    const text = value === null || value === undefined ? '' : typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rankOf = (touchpointId: string) => (report.weakestFirst.includes(touchpointId) ? report.weakestFirst.indexOf(touchpointId) + 1 : null);
  const findingOf = (touchpointId: string) => report.findings.filter((finding) => finding.touchpointId === touchpointId).map(({ sentence }) => sentence).join(' ');
  const rows = report.touchpoints.map(({ touchpointId, name, phase, measuresOverall, stats, impact, outcomes, themes }) =>
    [
      name,
      phase,
      measuresOverall,
      rankOf(touchpointId),
      stats.answers,
      stats.mean,
      stats.light,
      stats.distribution.red,
      stats.distribution.yellow,
      stats.distribution.green,
      stats.counts.invited,
      stats.responseRate,
      stats.counts.passed,
      stats.coverage,
      stats.thin,
      stats.counts.followUps,
      stats.counts.followUpsMissed,
      stats.missedFollowUpRate,
      impact?.effect,
      impact?.low,
      impact?.high,
      ...outcomeCells(outcomes),
      findingOf(touchpointId),
      themesCell(themes),
    ]
      .map(cell)
      .join(','),
  );
  const timing = stageTimingTable(report).map((row) => row.map(cell).join(','));
  return [header.join(','), ...rows, '', ...timing].join('\n') + '\n';
}
