import { z } from 'zod';
import { dayMs, defaultLightThresholds, type LightThresholds, type Score, trafficLight, type TrafficLight } from '@touchpoints/contracts';

export const maxCommentLength = 2_000;
/** A customer may change their score this long after first answering; then it stands. */
export const scoreChangeWindowDays = 7;

/** A comment from the public survey form: trimmed, at most 2,000 characters, empty means none. */
export const SurveyComment = z
  .string({ error: 'must be text' })
  .max(maxCommentLength, { error: `must be at most ${maxCommentLength} characters` })
  .transform((comment) => comment.trim());

/** One contact's answer about one touchpoint of one deal (the invitation's answer). */
export interface SurveyResponse {
  dealId: string;
  touchpointId: string;
  contactId: string;
  companyId?: string;
  score: Score;
  comment?: string;
  firstAnsweredAt: Date;
  answeredAt: Date;
}

export function canChangeScore(firstAnsweredAt: Date, now: Date): boolean {
  return now.getTime() - firstAnsweredAt.getTime() <= scoreChangeWindowDays * dayMs;
}

/** How one record (deal, contact or company) rated one touchpoint. */
export interface TouchpointScorecard {
  touchpointId: string;
  /** The most recent answer's score and comment. */
  lastScore: Score;
  lastComment: string | undefined;
  lastAnsweredAt: Date;
  meanScore: number;
  responses: number;
  /** The light of the mean score, rounded to a whole score. */
  light: TrafficLight;
}

/**
 * A record's scorecards, derived from its own responses when read: a record
 * holds tens of responses, so nothing is counted ahead of time.
 */
export function scorecards(responses: readonly SurveyResponse[], thresholds: LightThresholds = defaultLightThresholds): TouchpointScorecard[] {
  const byTouchpoint = Map.groupBy(responses, ({ touchpointId }) => touchpointId);
  return [...byTouchpoint].map(([touchpointId, answers]) => {
    const last = answers.reduce((latest, answer) => (answer.answeredAt > latest.answeredAt ? answer : latest));
    const meanScore = answers.reduce((sum, { score }) => sum + score, 0) / answers.length;
    return {
      touchpointId,
      lastScore: last.score,
      lastComment: last.comment || undefined,
      lastAnsweredAt: last.answeredAt,
      meanScore,
      responses: answers.length,
      light: trafficLight(Math.round(meanScore), thresholds),
    };
  });
}
