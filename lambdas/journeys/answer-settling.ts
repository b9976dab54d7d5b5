import { defaultLightThresholds, trafficLight } from '@touchpoints/contracts';
import { settleTimerId } from '../domain/journey.js';
import { clicksSettleAt, judgeClicks } from '../domain/survey-clicks.js';
import type { AnswerRecorded } from '../domain/webhook-event.js';
import { logger } from '../logger.js';
import { count } from '../metrics.js';
import type { InvitationKey, TouchpointsStore } from '../store/store.js';

export interface AnswerSettlingPorts {
  store: Pick<TouchpointsStore, 'getClicks' | 'getInvitation' | 'getResponse' | 'getSettings' | 'recordVerdicts' | 'saveResponse' | 'setTimer'>;
  /** Hands the answer to the events λ: the closed loop (note, owner task and mail, reply, properties). */
  announceAnswer: (event: AnswerRecorded) => Promise<void>;
}

/**
 * What settling an invitation's clicks came to: `answered` (a person's first answer), `changed`
 * (their answer is different now), `unchanged`, `automated` (only a machine clicked a score), or
 * `not_yet` (a click came since the timer was set: it waits for the window after that one).
 */
export type SettleOutcome = 'answered' | 'changed' | 'unchanged' | 'automated' | 'not_yet';

const answerMetrics = { red: 'AnswersRed', yellow: 'AnswersYellow', green: 'AnswersGreen' } as const;

/**
 * The settle timer came due: the invitation's clicks are judged (domain/survey-clicks.ts), the
 * verdicts kept for audit, and a person's answer, if it is new or changed, saved and announced.
 * Nothing a machine clicked reaches the answers, the card, the report or HubSpot.
 */
export async function settleAnswer(ports: AnswerSettlingPorts, portalId: number, key: InvitationKey, now: Date): Promise<SettleOutcome> {
  const { store } = ports;
  const [clicks, invitation] = await Promise.all([store.getClicks(portalId, key), store.getInvitation(portalId, key.dealId, key.touchpointId, key.contactId)]);
  const settlesAt = clicks && clicksSettleAt(clicks.clicks);
  if (!clicks || !settlesAt || !invitation) return 'unchanged';
  if (settlesAt > now) {
    await store.setTimer(portalId, { id: settleTimerId(key.dealId, key.touchpointId, key.contactId), kind: 'settle_answer', dueAt: settlesAt, ...key });
    return 'not_yet';
  }

  const { verdicts, answer } = judgeClicks(clicks.clicks, invitation.sentAt);
  const newlyAutomated = verdicts.slice(clicks.verdicts.length).filter((verdict) => verdict !== null);
  await store.recordVerdicts(portalId, key, verdicts);
  if (newlyAutomated.length > 0) {
    count('ClicksJudgedAutomated', newlyAutomated.length);
    logger.info('survey clicks judged automated', { portalId, dealId: key.dealId, touchpointId: key.touchpointId, signs: newlyAutomated, personAnswered: Boolean(answer) });
  }
  if (!answer) return newlyAutomated.length > 0 ? 'automated' : 'unchanged';

  const existing = await store.getResponse(portalId, key);
  // No comment among the clicks keeps the saved one (an answer saved before clicks were kept has its comment only there).
  const comment = (answer.comment ?? existing?.comment) || undefined;
  const unchanged = existing !== undefined && existing.score === answer.score && existing.comment === comment;
  if (!unchanged) {
    await store.saveResponse(portalId, {
      ...key,
      ...(invitation.companyId ? { companyId: invitation.companyId } : {}),
      score: answer.score,
      ...(comment ? { comment } : {}),
      firstAnsweredAt: existing?.firstAnsweredAt ?? answer.firstAnsweredAt,
      answeredAt: answer.answeredAt,
    });
  }
  if (!existing) {
    // Answers by light count each person's first answer (a changed score or a comment is the same answer).
    const settings = await store.getSettings(portalId);
    count(answerMetrics[trafficLight(answer.score, settings?.value.lightThresholds ?? defaultLightThresholds)]);
  }
  // Announced even when unchanged: the events λ drops an event id it has seen, and an announcement
  // the queue refused after the save is made good by this timer's retry.
  // The saved answer's time names the event: a link reopened with the same score is the same answer.
  const answeredAt = unchanged ? existing.answeredAt : answer.answeredAt;
  await ports.announceAnswer({
    subscriptionType: 'touchpoints.answerRecorded',
    eventId: `answer-${key.dealId}-${key.touchpointId}-${key.contactId}-${answeredAt.getTime()}`,
    portalId,
    occurredAt: answeredAt.getTime(),
    ...key,
  });
  return unchanged ? 'unchanged' : existing ? 'changed' : 'answered';
}
