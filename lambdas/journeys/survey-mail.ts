import { dayMs, type PortalSettings, type SurveyLanguage, surveyQuestionFor, type TouchpointDefinition } from '@touchpoints/contracts';
import { signSurveyToken, surveyLinkLifetimeDays } from '../domain/survey-token.js';
import { composeSurveyMail } from '../mail/survey-mail.js';
import type { InvitationKey } from '../store/store.js';

/** Where survey links point and what signs them. */
export interface SurveyLinks {
  surveyBaseUrl: string;
  surveyTokenSecret: string;
}

export interface SurveyMailJob {
  portalId: number;
  invitation: InvitationKey;
  touchpoint: TouchpointDefinition;
  settings: PortalSettings;
  to: string;
  firstName?: string;
  language: SurveyLanguage;
  kind: 'survey' | 'reminder';
  /** When the survey first went out: its links live from then. */
  sentAt: Date;
}


/**
 * One survey (or reminder) email as raw MIME: the question in the contact's
 * language (or the portal's default, when not translated; the whole mail
 * then follows it), ten signed one-click score links, the unsubscribe link, and a hidden link
 * that only a scanner follows.
 */
export function surveyMailFor(links: SurveyLinks, job: SurveyMailJob): Promise<Buffer> {
  const question = surveyQuestionFor(job.touchpoint, job.language, job.settings.defaultLanguage);
  const token = signSurveyToken(
    { portalId: job.portalId, ...job.invitation, language: question.language, expiresAt: new Date(job.sentAt.getTime() + surveyLinkLifetimeDays * dayMs) },
    links.surveyTokenSecret,
  );
  const base = links.surveyBaseUrl.replace(/\/$/, '');
  return composeSurveyMail({
    from: job.settings.sender,
    to: job.to,
    recipient: { portalId: job.portalId, contactId: job.invitation.contactId },
    content: {
      kind: job.kind,
      language: question.language,
      companyName: job.settings.sender.name,
      ...(job.firstName ? { firstName: job.firstName } : {}),
      question: question.text,
      scoreUrls: Array.from({ length: 10 }, (_, index) => `${base}/s/${token}?score=${index + 1}`),
      unsubscribeUrl: `${base}/u/${token}`,
      hiddenLinkUrl: `${base}/s/${token}/check`,
    },
  });
}
