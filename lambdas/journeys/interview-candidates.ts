import { type LightThresholds, type PortalReport, type TouchpointInterviews } from '@touchpoints/contracts';
import { chooseInterviewCandidates, type Interview, type InterviewCandidate, interviewRules, recentlyInterviewedContacts, weakTouchpoints } from '../domain/interviews.js';
import { periodOf, type PeriodSummary } from '../domain/period-summary.js';

/**
 * The report's interview lists: per weak touchpoint, up to 5 customers from the candidates the
 * summaries of this month and the two before keep (the open month computed from its raw items,
 * like the rest of the report), leaving out contacts with an interview task in the last 90 days
 * (`recent`, which the report reads beside its first reads). No raw history of a closed month is
 * read. HubSpot's own "last contacted" is not asked: the report λ does not call HubSpot.
 */
export function interviewCandidates(
  report: Pick<PortalReport, 'touchpoints' | 'weakestFirst'>,
  summaries: readonly PeriodSummary[],
  recent: readonly Interview[],
  thresholds: LightThresholds,
  now: Date,
): TouchpointInterviews[] {
  const weakTouchpointIds = weakTouchpoints(report.touchpoints, report.weakestFirst);
  if (weakTouchpointIds.length === 0) return [];
  const firstRecent = periodOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (interviewRules.recentPeriods - 1), 1)));
  const candidatesByTouchpoint = new Map<string, InterviewCandidate[]>();
  for (const summary of summaries.filter(({ period }) => period >= firstRecent)) {
    for (const { touchpointId, interviewCandidates: candidates = [] } of summary.touchpoints) {
      candidatesByTouchpoint.set(touchpointId, [...(candidatesByTouchpoint.get(touchpointId) ?? []), ...candidates]);
    }
  }
  const chosen = chooseInterviewCandidates({ weakTouchpointIds, candidatesByTouchpoint, recentlyInterviewed: recentlyInterviewedContacts(recent, now), thresholds });
  return weakTouchpointIds.map((touchpointId) => ({
    touchpointId,
    candidates: (chosen.get(touchpointId) ?? []).map(({ ownerId, ...candidate }) => ({ ...candidate, ownerId: ownerId ?? null })),
  }));
}
