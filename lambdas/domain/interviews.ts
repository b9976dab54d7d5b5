import { z } from 'zod';
import { dayMs, highestScore, type LightThresholds, Score, trafficLight, type TrafficLight } from '@touchpoints/contracts';
import type { Period } from './period-summary.js';
import type { SurveyResponse } from './response.js';

/**
 * Interviews, the seed's second method: where the answers say a touchpoint is weak, a few
 * customers who said why (a red or yellow answer with a comment) are worth a conversation. The
 * report lists them per weak touchpoint; one click makes the deal owner a HubSpot task
 * "Interview {name} about {touchpoint}"; the owner's notes in that task count toward the
 * touchpoint's knowledge (its coverage). The rules here; the table and HubSpot in
 * lambdas/store/interviews.ts and lambdas/journeys/interview-tasks.ts.
 */
export const interviewRules = {
  /** Customers a weak touchpoint lists: a short list an owner can act on this week. */
  candidatesPerTouchpoint: 5,
  /** Answers a touchpoint's month keeps as candidates: bounds its summary item (20 × under 0.5 KB, of DynamoDB's 400 KB). */
  candidatesKeptPerPeriod: 20,
  /** Characters of the comment a candidate carries: enough to choose whom to call. */
  commentExcerptLength: 200,
  /** Candidates come from the invitations of the current month and the two before it. */
  recentPeriods: 3,
  /** A contact with an interview task this recent is neither listed nor given another. */
  notAgainWithinDays: 90,
  /** An interview task is due this long after it is made. */
  dueAfterDays: 7,
  /** The interview tasks whose notes one report load checks: one HubSpot batch read. */
  notesCheckedPerLoad: 100,
} as const;

/**
 * An answer worth an interview, as the summary of its touchpoint's month keeps it: the customer
 * (deal and contact), the deal owner when the invitation was made, the score and a comment excerpt.
 */
export const InterviewCandidate = z.object({
  dealId: z.string(),
  contactId: z.string(),
  ownerId: z.string().optional(),
  score: Score,
  answeredAt: z.iso.datetime(),
  comment: z.string().max(interviewRules.commentExcerptLength),
});
export type InterviewCandidate = z.infer<typeof InterviewCandidate>;

/**
 * One interview task the app made: for one customer's answer about one touchpoint, kept in the
 * month of the answered invitation (the month whose coverage it adds to).
 */
export interface Interview {
  touchpointId: string;
  dealId: string;
  contactId: string;
  /** The answered invitation's month. */
  period: Period;
  /** The deal owner the task went to, if the deal had one. */
  ownerId?: string;
  ownerName?: string;
  taskId: string;
  subject: string;
  requestedAt: Date;
  /** When the app first saw the owner's notes in the task. */
  notedAt?: Date;
}

const customerOf = ({ dealId, contactId }: { dealId: string; contactId: string }) => `${dealId}/${contactId}`;

/** Lowest score (the reddest) first, then the latest answer, then by customer: one order, so a recomputed summary is identical. */
const byScoreThenLatest = (a: InterviewCandidate, b: InterviewCandidate) =>
  a.score - b.score || b.answeredAt.localeCompare(a.answeredAt) || customerOf(a).localeCompare(customerOf(b));

function excerpt(comment: string): string {
  const { commentExcerptLength: length } = interviewRules;
  return comment.length <= length ? comment : `${comment.slice(0, length - 1).trimEnd()}…`;
}

/**
 * The candidates a touchpoint's month keeps: answers with a comment, lowest scores first, at most
 * 20. The portal's light thresholds may change after the summary is saved (yellow ends at 9 at
 * most), so every score below 10 is kept and the lights are applied when the report is read.
 */
export function interviewCandidatesOf(answers: readonly SurveyResponse[], ownerOf: ReadonlyMap<string, string | undefined>): InterviewCandidate[] {
  return answers
    .filter(({ comment, score }) => !!comment?.trim() && score < highestScore)
    .map(({ dealId, contactId, score, answeredAt, comment }): InterviewCandidate => {
      const ownerId = ownerOf.get(customerOf({ dealId, contactId }));
      return { dealId, contactId, ...(ownerId ? { ownerId } : {}), score, answeredAt: answeredAt.toISOString(), comment: excerpt(comment!.trim()) };
    })
    .sort(byScoreThenLatest)
    .slice(0, interviewRules.candidatesKeptPerPeriod);
}

/** The month's interviews that count toward its knowledge: those with the owner's notes, of customers the summary counts. */
export function notedInterviewsOf(interviews: readonly Pick<Interview, 'dealId' | 'contactId' | 'notedAt'>[], customers: ReadonlySet<string>): number {
  return interviews.filter((interview) => interview.notedAt && customers.has(customerOf(interview))).length;
}

/** What the weakness ranking needs of each touchpoint's report. */
export interface RankedTouchpoint {
  touchpointId: string;
  measuresOverall: boolean;
  stats: { light: TrafficLight | null; answers: number; mean: number | null };
}

/**
 * The touchpoints worth interviews, weakest first: those whose mean is red or yellow. A portal
 * where every mean is green still gets one list, the worst-ranked touchpoint's with answers: its
 * red and yellow answers say what could be better. Before the ranking has its customers, the
 * lowest means come first: interviews matter most while the answers are few.
 */
export function weakTouchpoints(touchpoints: readonly RankedTouchpoint[], weakestFirst: readonly string[]): string[] {
  const byMean = touchpoints.filter(({ measuresOverall, stats }) => !measuresOverall && stats.mean !== null).sort((a, b) => a.stats.mean! - b.stats.mean!);
  const ranked = weakestFirst.length > 0 ? weakestFirst.flatMap((id) => touchpoints.filter(({ touchpointId }) => touchpointId === id)) : byMean;
  const redOrYellow = ranked.filter(({ stats }) => stats.light === 'red' || stats.light === 'yellow');
  const weak = redOrYellow.length > 0 ? redOrYellow : ranked.filter(({ stats }) => stats.answers > 0).slice(0, 1);
  return weak.map(({ touchpointId }) => touchpointId);
}

/** A candidate as the report lists it: with the light its score has under the portal's thresholds. */
export type ListedCandidate = InterviewCandidate & { light: TrafficLight };

export interface CandidateChoice {
  /** Weakest first. */
  weakTouchpointIds: readonly string[];
  /** Per touchpoint, the candidates its recent months' summaries keep. */
  candidatesByTouchpoint: ReadonlyMap<string, readonly InterviewCandidate[]>;
  /** Contacts with an interview task in the last 90 days. */
  recentlyInterviewed: ReadonlySet<string>;
  thresholds: LightThresholds;
}

/**
 * Up to 5 customers per weak touchpoint: red or yellow answers with a comment, the reddest and
 * latest first, taken from the owners in turn (one each, round after round) so no one owner's
 * customers fill the list. A contact interviewed in the last 90 days is left out, and a contact
 * is listed once, under the weakest touchpoint they answered.
 */
export function chooseInterviewCandidates({ weakTouchpointIds, candidatesByTouchpoint, recentlyInterviewed, thresholds }: CandidateChoice): Map<string, ListedCandidate[]> {
  const listed = new Set<string>();
  const chosen = new Map<string, ListedCandidate[]>();
  for (const touchpointId of weakTouchpointIds) {
    const seen = new Set<string>();
    const eligible = [...(candidatesByTouchpoint.get(touchpointId) ?? [])]
      .sort(byScoreThenLatest)
      .map((candidate) => ({ ...candidate, light: trafficLight(candidate.score, thresholds) }))
      .filter(({ contactId, light }) => {
        if (light === 'green' || recentlyInterviewed.has(contactId) || listed.has(contactId) || seen.has(contactId)) return false;
        seen.add(contactId);
        return true;
      });
    const picked = takeInTurn(eligible, ({ ownerId }) => ownerId ?? '', interviewRules.candidatesPerTouchpoint);
    for (const { contactId } of picked) listed.add(contactId);
    chosen.set(touchpointId, picked);
  }
  return chosen;
}

/** Up to `limit` items, one from each group in turn (groups in the order their first item comes), keeping each group's order. */
function takeInTurn<Item>(items: readonly Item[], groupOf: (item: Item) => string, limit: number): Item[] {
  const groups = [...Map.groupBy(items, groupOf).values()];
  const taken: Item[] = [];
  for (let round = 0; taken.length < limit && groups.some((group) => group.length > round); round += 1) {
    for (const group of groups) {
      const next = group[round];
      if (next !== undefined && taken.length < limit) taken.push(next);
    }
  }
  return taken;
}

/** Since when an interview task keeps its contact from another: 90 days before `now`. */
export function interviewedSince(now: Date): Date {
  return new Date(now.getTime() - interviewRules.notAgainWithinDays * dayMs);
}

/** Contacts with an interview task made in the last 90 days. */
export function recentlyInterviewedContacts(interviews: readonly Pick<Interview, 'contactId' | 'requestedAt'>[], now: Date): Set<string> {
  const since = interviewedSince(now);
  return new Set(interviews.filter(({ requestedAt }) => requestedAt > since).map(({ contactId }) => contactId));
}

/**
 * Why this answer gets no interview task, if it gets none: a green answer (under the portal's
 * thresholds now), or a contact interviewed about something else in the last 90 days.
 */
export function interviewRefusal(
  answer: { dealId: string; touchpointId: string; contactId: string; score: number },
  thresholds: LightThresholds,
  recentInterviews: readonly Pick<Interview, 'dealId' | 'touchpointId' | 'contactId' | 'requestedAt'>[],
  now: Date,
): string | undefined {
  if (trafficLight(answer.score, thresholds) === 'green') return `The answer is ${answer.score}/10, green: interviews are for red and yellow answers`;
  const since = interviewedSince(now);
  const other = recentInterviews.find(
    (interview) => interview.contactId === answer.contactId && interview.requestedAt > since && (interview.dealId !== answer.dealId || interview.touchpointId !== answer.touchpointId),
  );
  return other && `This contact got an interview task on ${other.requestedAt.toISOString().slice(0, 10)}: not again within ${interviewRules.notAgainWithinDays} days`;
}

/** The interview task as the owner reads it. */
export function interviewTask(facts: { customerName: string; touchpointName: string; score: number; light: TrafficLight; comment: string | undefined; answeredAt: Date; dealName: string }): { subject: string; body: string } {
  const said = facts.comment ? ` and wrote: "${facts.comment}"` : '';
  return {
    subject: `Interview ${facts.customerName} about ${facts.touchpointName}`,
    body: [
      `${facts.customerName} rated "${facts.touchpointName}" ${facts.score}/10 (${facts.light}) on ${facts.answeredAt.toISOString().slice(0, 10)}${said}.`,
      `Deal: ${facts.dealName}.`,
      'Ask what happened and what would have made it better. Write what you learn in this task’s notes: Touchpoints counts the interview toward the touchpoint’s knowledge once the notes are there.',
    ].join('\n'),
  };
}

/** One version of a HubSpot property, as its history reports it. */
export interface PropertyVersion {
  value: string;
  timestamp: Date;
  sourceType?: string;
  sourceId?: string;
}

/**
 * Whether the owner logged notes in the interview task. HubSpot calls a task's `hs_task_body`
 * its notes ("hs_task_body: The task notes", https://developers.hubspot.com/docs/api/crm/tasks),
 * and notes (engagements) cannot be associated with a task, only with records. So the interview is
 * noted when a person wrote the task's notes after the app made it: the latest version of
 * `hs_task_body` that a HubSpot user wrote (HubSpot attributes a change made in its app to
 * `sourceId` "userId:{id}",
 * https://developers.hubspot.com/changelog/crm-property-change-source-will-show-owner-id-instead-of-owner-email)
 * has text in it. The app's own writes come from the integration and never count.
 */
export function ownerWroteNotes(history: readonly PropertyVersion[]): boolean {
  const latestByPerson = [...history].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime()).find(({ sourceId }) => /^userId:\d+$/.test(sourceId ?? ''));
  // Only emptiness is asked of the rich text ("<p></p>" is empty), so its markup is dropped, not parsed.
  return !!latestByPerson && latestByPerson.value.replace(/<[^>]*>|&nbsp;/g, '').trim() !== '';
}
