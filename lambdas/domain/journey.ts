import type { SurveyLanguage } from './language.js';

/** A deal entering a stage, recorded once per HubSpot event. */
export interface DealStageVisit {
  dealId: string;
  pipelineId: string;
  stageId: string;
  enteredAt: Date;
  eventId: string;
}

export type InvitationStatus = 'scheduled' | 'skipped' | 'sent' | 'answered' | 'opted_out';
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
