import { dayMs, type CardData, type CardRequest, type CardTouchpoint, type CardFollowUp, inJourneyOrder, type LightThresholds, type MissedFollowUp, type TouchpointDefinition } from '@touchpoints/contracts';
import { daysLate, type FollowUp } from './follow-up.js';
import type { Invitation } from './journey.js';
import type { SenderDomainCheck } from './sender-domain.js';
import type { MailSuppression } from './mail-feedback.js';
import { scorecards, type SurveyResponse } from './response.js';

const sentStatuses = new Set(['sent', 'answered']);
const minuteMs = 60_000;

export interface RecordCardInput {
  record: CardRequest;
  touchpoints: readonly TouchpointDefinition[];
  thresholds: LightThresholds;
  responses: readonly SurveyResponse[];
  invitations: readonly Invitation[];
  followUps: readonly FollowUp[];
  /** The portal's sender domain as last checked with SES; undefined before its first check. */
  senderDomain: Pick<SenderDomainCheck, 'domain' | 'state'> | undefined;
  /** The contact's own, on a contact's card. */
  mailSuppression?: MailSuppression;
  now: Date;
}

/**
 * The card of one record, from that record's own items: each touchpoint of
 * the journey with its light (or why there is none yet), the follow-ups
 * missed, those pending (with the time left) and those kept (in time or
 * late), how many of the surveys sent were answered, whether the portal's
 * surveys wait for its sender domain to be verified, and on a contact's card
 * whether their mail bounced or they marked it as spam.
 */
export function recordCard({ record, touchpoints, thresholds, responses, invitations, followUps, senderDomain, mailSuppression, now }: RecordCardInput): CardData {
  const cards = new Map(scorecards(responses, thresholds).map((card) => [card.touchpointId, card]));
  const invitationsOf = Map.groupBy(invitations, ({ touchpointId }) => touchpointId);
  const nameOf = new Map(touchpoints.map(({ id, name }) => [id, name]));

  // A touchpoint asked after a lost deal is no step of the journey: shown last, and only where this record was asked it.
  const shown = inJourneyOrder(touchpoints.filter(({ enabled, id, afterLostDeal }) => (enabled || cards.has(id)) && (!afterLostDeal || invitationsOf.has(id) || cards.has(id))));
  const journey = [...shown.filter(({ afterLostDeal }) => !afterLostDeal), ...shown.filter(({ afterLostDeal }) => afterLostDeal)].map((touchpoint): CardTouchpoint => {
    const card = cards.get(touchpoint.id);
    const asked = invitationsOf.get(touchpoint.id) ?? [];
    const upcoming = asked.filter(({ status, sendAt }) => status === 'scheduled' && sendAt).map(({ sendAt }) => sendAt!.getTime());
    const state = card ? 'answered' : asked.some(({ status }) => status === 'sent') ? 'waiting' : upcoming.length ? 'scheduled' : 'not_asked';
    return {
      touchpointId: touchpoint.id,
      name: touchpoint.name,
      phase: touchpoint.phase,
      state,
      light: card?.light ?? null,
      lastScore: card?.lastScore ?? null,
      meanScore: card ? Math.round(card.meanScore * 10) / 10 : null,
      responses: card?.responses ?? 0,
      lastComment: card?.lastComment ?? null,
      lastAnsweredAt: card?.lastAnsweredAt.toISOString() ?? null,
      nextSendAt: state === 'scheduled' ? new Date(Math.min(...upcoming)).toISOString() : null,
    };
  });

  const missedFollowUps = followUps
    .filter(({ status }) => status === 'missed')
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .map(
      (followUp): MissedFollowUp => ({
        touchpointId: followUp.touchpointId,
        touchpointName: nameOf.get(followUp.touchpointId) ?? followUp.touchpointId,
        dealId: followUp.dealId,
        promise: followUp.promise,
        dueAt: followUp.dueAt.toISOString(),
        daysOverdue: Math.max(0, Math.floor((now.getTime() - followUp.dueAt.getTime()) / dayMs)),
        ownerId: followUp.ownerId ?? null,
        ownerName: followUp.ownerName ?? null,
      }),
    );

  const pending = followUps.filter(({ status }) => status === 'pending').sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const kept = followUps.filter(({ status }) => status === 'kept' || status === 'kept_late').sort((a, b) => (b.keptAt?.getTime() ?? 0) - (a.keptAt?.getTime() ?? 0));
  const pendingAndKeptFollowUps = [...pending, ...kept].map(
    (followUp): CardFollowUp => ({
      touchpointId: followUp.touchpointId,
      touchpointName: nameOf.get(followUp.touchpointId) ?? followUp.touchpointId,
      dealId: followUp.dealId,
      promise: followUp.promise,
      status: followUp.status as CardFollowUp['status'],
      dueAt: followUp.dueAt.toISOString(),
      minutesLeft: followUp.status === 'pending' ? Math.max(0, Math.ceil((followUp.dueAt.getTime() - now.getTime()) / minuteMs)) : null,
      keptAt: followUp.keptAt?.toISOString() ?? null,
      daysLate: followUp.status === 'kept_late' ? daysLate(followUp) : null,
    }),
  );

  return {
    record,
    configured: touchpoints.length > 0,
    touchpoints: journey,
    missedFollowUps,
    pendingAndKeptFollowUps,
    responseRate: {
      answered: invitations.filter(({ status }) => status === 'answered').length,
      sent: invitations.filter(({ status }) => sentStatuses.has(status)).length,
    },
    surveysPaused: senderDomain && senderDomain.state !== 'verified' ? { senderDomain: senderDomain.domain } : null,
    mailSuppression: mailSuppression ? { reason: mailSuppression.reason, address: mailSuppression.address, since: mailSuppression.at.toISOString() } : null,
  };
}
