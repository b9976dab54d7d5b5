import type { SurveyLanguage } from '../../crm-app/src/app/shared/language.js';

/** A deal entering a stage, recorded once per HubSpot event. */
export interface DealStageVisit {
  dealId: string;
  pipelineId: string;
  stageId: string;
  enteredAt: Date;
  eventId: string;
}

export type InvitationStatus = 'scheduled' | 'skipped' | 'cancelled' | 'sent' | 'answered' | 'opted_out';
export type SkipReason = 'no_email' | 'opted_out' | 'fatigue';

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
  sentAt?: Date;
  reminderSentAt?: Date;
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

export type TimerKind = 'survey' | 'reminder' | 'follow_up';

/** Work the due λ does when its minute comes: send a survey, a reminder, check a promise. */
export interface Timer {
  id: string;
  kind: TimerKind;
  dueAt: Date;
  dealId: string;
  touchpointId: string;
  contactId?: string;
}
