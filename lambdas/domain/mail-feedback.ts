/**
 * What SES tells us after a mail left: a bounce or a complaint, and what it means for the
 * contact. SES publishes them through the configuration set's event destination as JSON
 * (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html,
 * "Contents of event data that Amazon SES publishes to Amazon SNS"): `eventType`, the `bounce`
 * or `complaint` object, and `mail` with SES's `messageId` and the message tags the mail carried.
 */
import { z } from 'zod';
import type { DealContact } from './deal.js';

/** A contact Touchpoints no longer mails, and why. */
export type SuppressionReason = 'bounced' | 'complained';

export interface MailSuppression {
  reason: SuppressionReason;
  /** The address that bounced or whose owner complained. */
  address: string;
  /** When the receiving side bounced the mail or the person complained. */
  at: Date;
  /** SES's id of the mail it happened to. */
  messageId: string;
}

/** Who a mail went to, as our message tags name them; only mails to a contact carry them. */
export interface MailRecipient {
  portalId: number;
  contactId: string;
}

/** Tag names and values may hold only letters, digits, `-` and `_` when sent as a header. */
const recipientTagNames = { portalId: 'touchpoints-portal', contactId: 'touchpoints-contact' } as const;
const tagValue = /^[A-Za-z0-9_-]{1,256}$/;

/** The message tags that let a bounce or complaint find its contact again. */
export function recipientTags({ portalId, contactId }: MailRecipient): Record<string, string> {
  const tags = { [recipientTagNames.portalId]: String(portalId), [recipientTagNames.contactId]: contactId };
  for (const value of Object.values(tags)) if (!tagValue.test(value)) throw new RangeError(`not usable as an SES message tag: ${JSON.stringify(value)}`);
  return tags;
}

/** The contact a mail went to, from its tags; none for mails to others (a deal owner's notice). */
export function recipientFromTags(tags: Readonly<Record<string, readonly string[]>>): MailRecipient | undefined {
  const portal = tags[recipientTagNames.portalId]?.[0];
  const contactId = tags[recipientTagNames.contactId]?.[0];
  if (!portal || !contactId || !/^\d{1,15}$/.test(portal)) return undefined;
  return { portalId: Number(portal), contactId };
}

const Recipient = z.object({ emailAddress: z.string().min(1) });

const SesMail = z.object({
  messageId: z.string().min(1),
  destination: z.array(z.string()),
  /** Absent on mails sent without tags outside a configuration set; ours always go through one. */
  tags: z.record(z.string(), z.array(z.string())).default({}),
});

/** The two kinds of sending event the configuration set publishes to our topic. */
export const SesFeedbackEvent = z.discriminatedUnion('eventType', [
  z.object({
    eventType: z.literal('Bounce'),
    bounce: z.object({
      /** Permanent: a hard bounce. Transient: a soft one SES already retried. Undetermined: SES could not tell. */
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string(),
      bouncedRecipients: z.array(Recipient).min(1),
      timestamp: z.iso.datetime({ offset: true }),
    }),
    mail: SesMail,
  }),
  z.object({
    eventType: z.literal('Complaint'),
    complaint: z.object({
      complainedRecipients: z.array(Recipient).min(1),
      timestamp: z.iso.datetime({ offset: true }),
    }),
    mail: SesMail,
  }),
]);
export type SesFeedbackEvent = z.infer<typeof SesFeedbackEvent>;

/**
 * What one event means. A hard bounce (the address does not exist) and a complaint (the person
 * marked the mail as spam) suppress the contact; a soft bounce (mailbox full, server down)
 * suppresses nothing: SES retried it for hours already, and the reminder is another try.
 * SES's own verdict "undetermined" is treated like a soft bounce: not proof the address is dead.
 */
export type MailFeedback =
  | { kind: 'suppress'; recipient: MailRecipient; suppression: MailSuppression }
  | { kind: 'soft_bounce'; recipient: MailRecipient | undefined; messageId: string }
  | { kind: 'not_a_contact'; messageId: string };

export function mailFeedback(event: SesFeedbackEvent): MailFeedback {
  const { messageId } = event.mail;
  const recipient = recipientFromTags(event.mail.tags);
  if (event.eventType === 'Bounce' && event.bounce.bounceType !== 'Permanent') return { kind: 'soft_bounce', recipient, messageId };
  if (!recipient) return { kind: 'not_a_contact', messageId };
  const [reason, recipients, timestamp] =
    event.eventType === 'Bounce'
      ? (['bounced', event.bounce.bouncedRecipients, event.bounce.timestamp] as const)
      : (['complained', event.complaint.complainedRecipients, event.complaint.timestamp] as const);
  return { kind: 'suppress', recipient, suppression: { reason, address: recipients[0]!.emailAddress, at: new Date(timestamp), messageId } };
}

/**
 * Whether a suppression still stands for the contact's current address. A bounce belongs to the
 * address that bounced: a contact whose address was corrected in HubSpot is mailed again. A
 * complaint belongs to the person, whatever address they use now.
 */
export function suppressionApplies(suppression: MailSuppression, currentAddress: string | undefined): boolean {
  if (suppression.reason === 'complained') return true;
  return currentAddress !== undefined && currentAddress.trim().toLowerCase() === suppression.address.trim().toLowerCase();
}

/** Why a contact gets no survey or reminder now; undefined when they may be mailed. */
export type NoMailReason = 'no_email' | 'opted_out' | SuppressionReason;

export function reasonNotToMail(
  contact: Pick<DealContact, 'email' | 'optedOutOfEmail'> | undefined,
  optedOutWithUs: boolean,
  suppression: MailSuppression | undefined,
): NoMailReason | undefined {
  if (!contact?.email) return 'no_email';
  if (contact.optedOutOfEmail || optedOutWithUs) return 'opted_out';
  if (suppression && suppressionApplies(suppression, contact.email)) return suppression.reason;
  return undefined;
}
