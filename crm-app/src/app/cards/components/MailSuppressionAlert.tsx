import { Alert, Text } from '@hubspot/ui-extensions';
import type { MailSuppressionNotice } from '@touchpoints/contracts';
import { formatDate } from './format.js';

const titles: Record<MailSuppressionNotice['reason'], string> = {
  bounced: 'Email bounced',
  complained: 'Marked as spam',
};

function explanation({ reason, address, since }: MailSuppressionNotice, timeZone: string | undefined): string {
  const when = formatDate(since, timeZone);
  return reason === 'bounced'
    ? `Mail to ${address} bounced on ${when}: Touchpoints sends this contact no more surveys or reminders until their email address changes.`
    : `${address} marked a Touchpoints mail as spam on ${when}: Touchpoints sends this contact no more surveys or reminders.`;
}

/** Why this contact is not asked any more: the rep may want to fix the address or call instead. */
export function MailSuppressionAlert({ mailSuppression, timeZone }: { mailSuppression: MailSuppressionNotice | null; timeZone?: string }) {
  if (!mailSuppression) return null;
  return (
    <Alert variant="warning" title={titles[mailSuppression.reason]}>
      <Text>{explanation(mailSuppression, timeZone)}</Text>
    </Alert>
  );
}
