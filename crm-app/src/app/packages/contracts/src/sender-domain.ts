import { z } from 'zod';

/**
 * Where the portal's sender domain stands in SES: `verified` (mail goes out), `pending`
 * (SES has not found the DNS records yet; surveys wait), `failed` (SES gave up looking;
 * surveys wait until the records are fixed and the sender is saved again), `taken` (another
 * HubSpot account using Touchpoints verified the domain first; surveys wait until the sender
 * moves to a domain of the portal's own).
 */
export const SenderDomainState = z.enum(['verified', 'pending', 'failed', 'taken']);
export type SenderDomainState = z.infer<typeof SenderDomainState>;

/** SES's own word for an identity's verification (the SES v1 API's `VerificationStatus`). */
export const SesVerificationStatus = z.enum(['Pending', 'Success', 'Failed', 'TemporaryFailure', 'NotStarted']);
export type SesVerificationStatus = z.infer<typeof SesVerificationStatus>;

/** One DNS record the admin adds at their DNS provider, with what SES last said of it. */
export const SenderDnsRecord = z.object({
  name: z.string(),
  type: z.literal('CNAME'),
  value: z.string(),
  status: SesVerificationStatus,
});
export type SenderDnsRecord = z.infer<typeof SenderDnsRecord>;

/** The settings page's view of the sender domain: its state, the records to add, and when SES was last asked. */
export const SenderDomainView = z.object({
  domain: z.string(),
  state: SenderDomainState,
  records: z.array(SenderDnsRecord),
  checkedAt: z.iso.datetime(),
});
export type SenderDomainView = z.infer<typeof SenderDomainView>;

/** Why a portal's surveys and reminders wait: said the same way on the settings page and the card. */
export function surveysPausedMessage(domain: string): string {
  return `Surveys and reminders are paused until ${domain} is verified: add its DNS records (Touchpoints settings → Portal). Nothing is lost; they go out once it is verified.`;
}
