import type { DealContact } from '../domain/deal.js';
import { mailFeedback, reasonNotToMail, type NoMailReason, type SesFeedbackEvent } from '../domain/mail-feedback.js';
import { logger } from '../logger.js';
import type { TouchpointsStore } from '../store/store.js';

export interface MailFeedbackPorts {
  store: Pick<TouchpointsStore, 'suppressMail'>;
}

/**
 * What a bounce or complaint did: `bounced`/`complained` when it suppressed the contact now,
 * `already_suppressed` for a replay or an older event, `soft_bounce` (nothing to do), and
 * `not_a_contact` for a mail to someone who is no contact (a deal owner's notice).
 */
export type MailFeedbackOutcome = 'bounced' | 'complained' | 'already_suppressed' | 'soft_bounce' | 'not_a_contact';

/** Records what one SES bounce or complaint means for the contact the mail went to. */
export async function recordMailFeedback(ports: MailFeedbackPorts, event: SesFeedbackEvent): Promise<MailFeedbackOutcome> {
  const feedback = mailFeedback(event);
  if (feedback.kind === 'soft_bounce') {
    logger.info('soft bounce: SES retried, nothing suppressed', { ...feedback.recipient, messageId: feedback.messageId });
    return 'soft_bounce';
  }
  if (feedback.kind === 'not_a_contact') {
    logger.warn('a mail to no contact bounced or was marked as spam', { messageId: feedback.messageId, eventType: event.eventType });
    return 'not_a_contact';
  }
  const { recipient, suppression } = feedback;
  const written = await ports.store.suppressMail(recipient.portalId, recipient.contactId, suppression);
  // The address stays out of the log: it is personal data, and the contact id finds it.
  logger.info('contact suppressed', { ...recipient, reason: suppression.reason, messageId: suppression.messageId, written });
  return written ? suppression.reason : 'already_suppressed';
}

/**
 * Why the due λ sends this contact no survey or reminder now, from HubSpot's view of the
 * contact (address, global opt-out) and ours (our unsubscribe page, bounces and complaints).
 */
export async function reasonNotToMailContact(
  store: Pick<TouchpointsStore, 'mailSuppression' | 'surveyOptOuts'>,
  portalId: number,
  contactId: string,
  contact: DealContact | undefined,
): Promise<NoMailReason | undefined> {
  if (!contact?.email || contact.optedOutOfEmail) return reasonNotToMail(contact, false, undefined);
  const [optOuts, suppression] = await Promise.all([store.surveyOptOuts(portalId, [contactId]), store.mailSuppression(portalId, contactId)]);
  return reasonNotToMail(contact, optOuts.has(contactId), suppression);
}
