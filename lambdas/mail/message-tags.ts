import { recipientTags, type MailRecipient } from '../domain/mail-feedback.js';

/**
 * SES message tags in the raw mail itself: SendRawEmail reads the `X-SES-MESSAGE-TAGS` header
 * (and strips it before sending), and the configuration set's bounce and complaint events carry
 * the tags back in `mail.tags` (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-send-email.html).
 * In the header rather than as API parameters, so every sender of mail to a contact stays a
 * plain "send these bytes" port.
 */
export function recipientTagHeader(recipient: MailRecipient): Record<string, string> {
  const tags = Object.entries(recipientTags(recipient)).map(([name, value]) => `${name}=${value}`);
  return { 'X-SES-MESSAGE-TAGS': tags.join(', ') };
}
