import { defaultLightThresholds, inJourneyOrder, type PortalReport, type TouchpointReport } from '@touchpoints/contracts';
import { touchpointImpact, touchpointStats, type CustomerJourney } from '../domain/analysis.js';
import type { TouchpointsStore } from '../store/store.js';

/** What the report covers; the HTTP query's days already turned into times. */
export interface ReportScope {
  pipelineId?: string;
  ownerId?: string;
  /** Answers and invitations from this time on, and before `until`. */
  since?: Date;
  until?: Date;
}

/**
 * The whole portal's touchpoint analysis, read with one Query per touchpoint
 * (its partition holds its answers, invitation states and follow-ups) and
 * computed by the pure analysis. Customers are joined across touchpoints by
 * contact and deal for the impact regression.
 */
/** The store methods the report reads. */
export type ReportStore = Pick<TouchpointsStore, 'getSettings' | 'listTouchpoints' | 'recordActivity'>;

export async function portalReport(store: ReportStore, portalId: number, filter: ReportScope, now: Date): Promise<PortalReport> {
  const [stored, settings] = await Promise.all([store.listTouchpoints(portalId), store.getSettings(portalId)]);
  const thresholds = settings?.value.lightThresholds ?? defaultLightThresholds;
  const touchpoints = inJourneyOrder(stored.map(({ value }) => value).filter(({ trigger }) => !filter.pipelineId || trigger.pipelineId === filter.pipelineId));
  const inPeriod = (at: Date | undefined) => !!at && (!filter.since || at >= filter.since) && (!filter.until || at < filter.until);

  const activities = await Promise.all(touchpoints.map((touchpoint) => store.recordActivity(portalId, { objectType: 'touchpoint', objectId: touchpoint.id })));
  const journeys = new Map<string, Record<string, number>>();
  const perTouchpoint = touchpoints.map((touchpoint, index) => {
    const activity = activities[index]!;
    const invitations = activity.invitations.filter((invitation) => (!filter.ownerId || invitation.ownerId === filter.ownerId) && inPeriod(invitation.createdAt));
    const customers = new Set(invitations.map(({ dealId, contactId }) => `${dealId}/${contactId}`));
    const answers = activity.responses.filter((response) => customers.has(`${response.dealId}/${response.contactId}`) && inPeriod(response.answeredAt));
    for (const answer of answers) {
      const customer = `${answer.dealId}/${answer.contactId}`;
      journeys.set(customer, { ...journeys.get(customer), [touchpoint.id]: answer.score });
    }
    const followUps = activity.followUps.filter(({ startedAt }) => inPeriod(startedAt));
    return touchpointStats(
      touchpoint.id,
      answers.map(({ touchpointId, score, answeredAt }) => ({ touchpointId, score, answeredAt })),
      {
        passed: invitations.length,
        invited: invitations.filter(({ status }) => status === 'sent' || status === 'answered').length,
        followUps: followUps.length,
        missedFollowUps: followUps.filter(({ status }) => status === 'missed' || status === 'kept_late').length,
      },
      thresholds,
    );
  });

  // The journey of a deal's contact spans the touchpoints of that deal; the customer is the contact on the deal.
  // The overall score: the answer to a touchpoint that asks about the whole experience, else the mean of the customer's answers.
  const overallIds = new Set(touchpoints.filter(({ measuresOverall }) => measuresOverall).map(({ id }) => id));
  // A touchpoint fewer than two customers rated has no covariance with the others: in the regression
  // it would make every weight NaN, so it is left out (and gets no impact).
  const explaining = touchpoints.filter(({ id }, index) => !overallIds.has(id) && perTouchpoint[index]!.answers >= 2).map(({ id }) => id);
  const byContactAndDeal = [...journeys.values()].flatMap((scores): CustomerJourney[] => {
    if (overallIds.size === 0) return [{ scores }];
    const overall = [...overallIds].map((id) => scores[id]).find((score) => score !== undefined);
    return overall === undefined ? [] : [{ scores: Object.fromEntries(Object.entries(scores).filter(([id]) => !overallIds.has(id))), overall }];
  });
  const impacts = byContactAndDeal.length >= 10 ? touchpointImpact(byContactAndDeal, explaining) : [];
  const reports = touchpoints.map((touchpoint, index): TouchpointReport => ({
    touchpointId: touchpoint.id,
    name: touchpoint.name,
    phase: touchpoint.phase,
    stats: perTouchpoint[index]!,
    impact: impacts.find(({ touchpointId, effect }) => touchpointId === touchpoint.id && Number.isFinite(effect)) ?? null,
  }));
  const harm = (report: TouchpointReport) => (report.stats.mean === null ? Number.NEGATIVE_INFINITY : (10 - report.stats.mean) * Math.max(report.impact?.effect ?? 0, 0));
  return {
    touchpoints: reports,
    weakestFirst: [...reports].sort((a, b) => harm(b) - harm(a)).map(({ touchpointId }) => touchpointId),
    customers: journeys.size,
    generatedAt: now.toISOString(),
  };
}

/** The report as CSV, one row per touchpoint, for a spreadsheet. */
export function reportCsv(report: PortalReport): string {
  const header = ['touchpoint', 'phase', 'answers', 'mean', 'light', 'red', 'yellow', 'green', 'response_rate', 'coverage', 'thin', 'missed_follow_up_rate', 'impact', 'impact_low', 'impact_high'];
  const cell = (value: string | number | boolean | null | undefined) => {
    const text = value === null || value === undefined ? '' : typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = report.touchpoints.map(({ name, phase, stats, impact }) =>
    [name, phase, stats.answers, stats.mean, stats.light, stats.distribution.red, stats.distribution.yellow, stats.distribution.green, stats.responseRate, stats.coverage, stats.thin, stats.missedFollowUpRate, impact?.effect, impact?.low, impact?.high]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
