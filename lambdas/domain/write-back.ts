import { type LightThresholds, trafficLight } from '@touchpoints/contracts';
import type { FollowUp } from './follow-up.js';
import type { SurveyResponse } from './response.js';

/** What the app writes onto a HubSpot record's "Touchpoints" properties. */
export interface RecordProperties {
  touchpoints_overall_light: 'red' | 'yellow' | 'green' | null;
  touchpoints_last_score: number | null;
  touchpoints_last_touchpoint: string | null;
  touchpoints_answers: number;
  touchpoints_missed_follow_ups: number;
}

/**
 * A record's properties from its own answers and promises: the light of the
 * mean of all its answers, the latest answer, and the promises still missed
 * (a promise kept late no longer counts).
 */
export function recordProperties(
  responses: readonly SurveyResponse[],
  followUps: readonly FollowUp[],
  thresholds: LightThresholds,
  touchpointName: (touchpointId: string) => string,
): RecordProperties {
  const latest = responses.reduce<SurveyResponse | undefined>((last, answer) => (!last || answer.answeredAt > last.answeredAt ? answer : last), undefined);
  const mean = responses.length ? responses.reduce((sum, { score }) => sum + score, 0) / responses.length : undefined;
  return {
    touchpoints_overall_light: mean === undefined ? null : trafficLight(Math.round(mean), thresholds),
    touchpoints_last_score: latest?.score ?? null,
    touchpoints_last_touchpoint: latest ? touchpointName(latest.touchpointId) : null,
    touchpoints_answers: responses.length,
    touchpoints_missed_follow_ups: followUps.filter(({ status }) => status === 'missed').length,
  };
}
