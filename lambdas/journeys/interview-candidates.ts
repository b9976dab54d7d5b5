import { dayMs, type LightThresholds, type PortalReport, type TouchpointInterviews } from '@touchpoints/contracts';
import { chooseInterviewCandidates, type Interview, type InterviewCandidate, interviewRules, recentlyInterviewedContacts, weakTouchpoints } from '../domain/interviews.js';
import { periodOf, type PeriodSummary } from '../domain/period-summary.js';

/** What the report reads for its interview lists: the portal's recent interview tasks (one Query). */
export interface InterviewCandidateStore {
  recentInterviews(portalId: number, since: Date): Promise<Interview[]>;
}

/**
 * The report's interview lists: per weak touchpoint, up to 5 customers from the candidates the
 * summaries of this month and the two before keep (the open month computed from its raw items,
 * like the rest of the report), leaving out contacts with an interview task in the last 90 days.
 * No raw history of a closed month is read, and the one Query reads 90 days of interview tasks.
 * HubSpot's own "last contacted" is not asked: the report λ does not call HubSpot.
 */
export async function interviewCandidates(
  store: InterviewCandidateStore,
  portalId: number,
  report: Pick<PortalReport, 'touchpoints' | 'weakestFirst'>,
  summaries: readonly PeriodSummary[],
  thresholds: LightThresholds,
  now: Date,
): Promise<TouchpointInterviews[]> {
  const weakTouchpointIds = weakTouchpoints(report.touchpoints, report.weakestFirst);
  if (weakTouchpointIds.length === 0) return [];
  const firstRecent = periodOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (interviewRules.recentPeriods - 1), 1)));
  const candidatesByTouchpoint = new Map<string, InterviewCandidate[]>();
  for (const summary of summaries.filter(({ period }) => period >= firstRecent)) {
    for (const { touchpointId, interviewCandidates: candidates = [] } of summary.touchpoints) {
      candidatesByTouchpoint.set(touchpointId, [...(candidatesByTouchpoint.get(touchpointId) ?? []), ...candidates]);
    }
  }
  const recent = await store.recentInterviews(portalId, new Date(now.getTime() - interviewRules.notAgainWithinDays * dayMs));
  const chosen = chooseInterviewCandidates({ weakTouchpointIds, candidatesByTouchpoint, recentlyInterviewed: recentlyInterviewedContacts(recent, now), thresholds });
  return weakTouchpointIds.map((touchpointId) => ({
    touchpointId,
    candidates: (chosen.get(touchpointId) ?? []).map(({ ownerId, ...candidate }) => ({ ...candidate, ownerId: ownerId ?? null })),
  }));
}
