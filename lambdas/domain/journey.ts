import type { SurveyLanguage } from '@touchpoints/contracts';

/** A deal entering a stage, recorded once per HubSpot event. */
export interface DealStageVisit {
  dealId: string;
  pipelineId: string;
  stageId: string;
  enteredAt: Date;
  /** HubSpot's webhook event id, or `history-…` for one read from HubSpot's history. */
  eventId: string;
  /** The deal's owner when it entered the stage (the report's owner filter). */
  ownerId?: string;
}

export type InvitationStatus = 'scheduled' | 'skipped' | 'cancelled' | 'sent' | 'answered' | 'opted_out';
export type SkipReason = 'no_email' | 'opted_out' | 'fatigue' | 'bounced' | 'complained';

/** One contact asked to rate one touchpoint of one deal: never two for the same three. */
export interface Invitation {
  dealId: string;
  touchpointId: string;
  contactId: string;
  status: InvitationStatus;
  skipReason?: SkipReason;
  language: SurveyLanguage;
  createdAt: Date;
  /** When the survey goes out (scheduled invitations). */
  sendAt?: Date;
  /** The deal's primary company, whose record the answer lands on too. */
  companyId?: string;
  /** The deal owner when the invitation was made (the report's owner filter). */
  ownerId?: string;
  /** When a run claimed the survey for sending (and the links' lifetime starts). */
  sentAt?: Date;
  /** SES's id for the survey mail: the send is confirmed, not just claimed. */
  surveyMessageId?: string;
  /** When a run claimed the one reminder for sending. */
  reminderSentAt?: Date;
  /** SES's id for the reminder. */
  reminderMessageId?: string;
  score?: number;
  firstAnsweredAt?: Date;
  answeredAt?: Date;
}

/** The one reminder for a survey: one per invitation. */
export function reminderTimerId(dealId: string, touchpointId: string, contactId: string): string {
  return `reminder-${dealId}-${touchpointId}-${contactId}`;
}

/** The timer that sends one invitation's survey: one per invitation, so setting it twice is harmless. */
export function surveyTimerId(dealId: string, touchpointId: string, contactId: string): string {
  return `survey-${dealId}-${touchpointId}-${contactId}`;
}

/** The timer that judges one invitation's clicks once they have settled: moved by every click. */
export function settleTimerId(dealId: string, touchpointId: string, contactId: string): string {
  return `settle-${dealId}-${touchpointId}-${contactId}`;
}

export type TimerKind = 'survey' | 'reminder' | 'follow_up' | 'settle_answer';

/** Work the due λ does when its minute comes: send a survey, a reminder, check a promise, settle an answer. */
export interface Timer {
  id: string;
  kind: TimerKind;
  dueAt: Date;
  dealId: string;
  touchpointId: string;
  contactId?: string;
}

export type MailKind = 'survey' | 'reminder';

/**
 * How long a run's claim on a side effect (a survey mail, a task) protects it
 * before it counts as abandoned: well past the due and events λs' 60 s timeout,
 * so only a run that died holds a claim this old.
 */
export const claimLeaseMs = 5 * 60_000;

/**
 * Where an invitation's survey or reminder mail stands. A run claims a mail
 * before sending it and confirms it with SES's message id after; a claim that
 * was never confirmed belongs to a run still sending (`in_flight`) or to one
 * that died (`abandoned`: released and sent again, so a killed run loses nothing).
 */
export type MailClaim =
  | { state: 'unclaimed' | 'in_flight' | 'mailed' | 'closed' }
  | { state: 'abandoned'; claimedAt: Date };

export function mailClaim(invitation: Invitation, kind: MailKind, now: Date): MailClaim {
  if (kind === 'survey' && invitation.status === 'scheduled') return { state: 'unclaimed' };
  // Answered, opted out, skipped or cancelled: no mail left to send.
  if (invitation.status !== 'sent') return { state: 'closed' };
  const claimedAt = kind === 'survey' ? invitation.sentAt : invitation.reminderSentAt;
  const messageId = kind === 'survey' ? invitation.surveyMessageId : invitation.reminderMessageId;
  if (!claimedAt) return { state: 'unclaimed' };
  if (messageId) return { state: 'mailed' };
  return now.getTime() - claimedAt.getTime() < claimLeaseMs ? { state: 'in_flight' } : { state: 'abandoned', claimedAt };
}

/** Who holds a contact's survey slot: the deal and touchpoint of the survey it was claimed for. */
export function surveySlotHolder(dealId: string, touchpointId: string): string {
  return `${dealId}/${touchpointId}`;
}

/** The deal and touchpoint a survey slot's holder names, or none for a value that is not one. */
export function surveySlotHolderOf(holder: string): { dealId: string; touchpointId: string } | undefined {
  const [dealId, touchpointId, ...rest] = holder.split('/');
  return dealId && touchpointId && rest.length === 0 ? { dealId, touchpointId } : undefined;
}
