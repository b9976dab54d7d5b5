import type { DealContext } from './deal.js';
import { dayMs, durationMs, type PortalSettings, type SurveyLanguage, surveyLanguageOf, type TouchpointDefinition } from '@touchpoints/contracts';
import type { SkipReason } from './journey.js';

/** One contact's survey for one touchpoint: to send at `sendAt`, or skipped for a reason. */
export type InvitationDecision =
  | { touchpointId: string; contactId: string; language: SurveyLanguage; action: 'schedule'; sendAt: Date }
  | { touchpointId: string; contactId: string; language: SurveyLanguage; action: 'skip'; skipReason: SkipReason };

export interface InvitationPlan {
  decisions: InvitationDecision[];
  /** Touchpoints the deal passed with nobody to ask: a gap in what we know, not an error. */
  unaskedTouchpointIds: string[];
}

/**
 * Who is asked about which touchpoint when a deal enters a stage. Contacts
 * without an email address, or who opted out of email in HubSpot or of our
 * surveys, are skipped with the reason kept. The survey goes out the
 * touchpoint's delay after the deal entered the stage. Survey fatigue needs
 * the stored history of each contact and is decided when the invitation is
 * written (see the store's survey slot).
 */
export function planInvitations(
  touchpoints: readonly TouchpointDefinition[],
  deal: DealContext,
  enteredAt: Date,
  settings: PortalSettings,
  surveyOptOuts: ReadonlySet<string>,
): InvitationPlan {
  const decisions: InvitationDecision[] = [];
  for (const touchpoint of touchpoints) {
    for (const contact of deal.contacts) {
      const base = { touchpointId: touchpoint.id, contactId: contact.contactId, language: surveyLanguageOf(contact.hsLanguage, settings.defaultLanguage) };
      const skipReason: SkipReason | undefined = !contact.email
        ? 'no_email'
        : contact.optedOutOfEmail || surveyOptOuts.has(contact.contactId)
          ? 'opted_out'
          : undefined;
      decisions.push(
        skipReason
          ? { ...base, action: 'skip', skipReason }
          : { ...base, action: 'schedule', sendAt: new Date(enteredAt.getTime() + durationMs(touchpoint.sendDelay)) },
      );
    }
  }
  return { decisions, unaskedTouchpointIds: deal.contacts.length === 0 ? touchpoints.map(({ id }) => id) : [] };
}

/**
 * The fatigue rule around a survey sent at `sendAt`: another survey of the
 * same contact sent strictly inside this window is one too many. Undefined
 * when the portal sets no cap.
 */
export function fatigueWindow(sendAt: Date, settings: PortalSettings): { after: Date; before: Date } | undefined {
  const spanMs = settings.fatigue.atMostOneSurveyPerDays * dayMs;
  if (spanMs === 0) return undefined;
  return { after: new Date(sendAt.getTime() - spanMs), before: new Date(sendAt.getTime() + spanMs) };
}
