import { Flex, Heading, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { SenderDomainState, SenderDomainView, SesVerificationStatus } from '@touchpoints/contracts';
import { formatDateTime } from './format.js';
import { SurveysPausedAlert } from './SurveysPausedAlert.js';

interface SenderDomainPanelProps {
  senderDomain: SenderDomainView;
  timeZone?: string;
}

const stateTags: Record<SenderDomainState, { variant: 'success' | 'warning' | 'danger'; label: string }> = {
  verified: { variant: 'success', label: 'Verified' },
  pending: { variant: 'warning', label: 'Waiting for the DNS records' },
  failed: { variant: 'danger', label: 'Verification failed' },
  taken: { variant: 'danger', label: 'Used by another HubSpot account' },
};

const recordStatusLabels: Record<SesVerificationStatus, string> = {
  Success: 'Found',
  Pending: 'Not found yet',
  TemporaryFailure: 'Not found yet (SES keeps looking)',
  Failed: 'Not found',
  NotStarted: 'Not checked yet',
};

const stateExplanations: Record<SenderDomainState, string> = {
  verified: 'SES found the records: survey mail goes out from this domain, signed with DKIM.',
  pending: 'Add these three CNAME records at your DNS provider. SES looks for them for up to 72 hours; this page shows when it has found them.',
  failed: 'SES stopped looking for the records. Check them at your DNS provider, then save the portal settings again to restart the verification.',
  taken: 'Another HubSpot account using Touchpoints verified this domain first, so surveys cannot come from it here. Choose a sender address on a domain of your own.',
};

/** The sender's domain in SES: its state, and the DKIM records to add with what SES last found of each. */
export function SenderDomainPanel({ senderDomain, timeZone }: SenderDomainPanelProps) {
  const tag = stateTags[senderDomain.state];
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <Heading>Sender domain: {senderDomain.domain}</Heading>
        <StatusTag variant={tag.variant}>{tag.label}</StatusTag>
      </Flex>
      {senderDomain.state !== 'verified' && <SurveysPausedAlert domain={senderDomain.domain} />}
      <Text>{stateExplanations[senderDomain.state]}</Text>
      <Table bordered={false}>
        <TableHead>
          <TableRow>
            <TableHeader>Name</TableHeader>
            <TableHeader>Type</TableHeader>
            <TableHeader>Value</TableHeader>
            <TableHeader>Status</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {senderDomain.records.map((record) => (
            <TableRow key={record.name}>
              <TableCell>{record.name}</TableCell>
              <TableCell>{record.type}</TableCell>
              <TableCell>{record.value}</TableCell>
              <TableCell>{recordStatusLabels[record.status]}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text variant="microcopy">Checked with SES {formatDateTime(senderDomain.checkedAt, timeZone)}</Text>
    </Flex>
  );
}
