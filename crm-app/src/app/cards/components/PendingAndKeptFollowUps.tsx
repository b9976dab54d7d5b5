import { Flex, Heading, StatusTag, type StatusTagProps, Text } from '@hubspot/ui-extensions';
import type { CardFollowUp } from '@touchpoints/contracts';
import { countOf, formatDate, formatTimeLeft } from './format.js';

const tags: Record<CardFollowUp['status'], { variant: NonNullable<StatusTagProps['variant']>; label: string }> = {
  pending: { variant: 'info', label: 'Pending' },
  kept: { variant: 'success', label: 'Kept' },
  kept_late: { variant: 'warning', label: 'Kept late' },
};

function when(followUp: CardFollowUp, timeZone: string | undefined): string {
  switch (followUp.status) {
    case 'pending':
      return `due ${formatDate(followUp.dueAt, timeZone)}, ${formatTimeLeft(followUp.minutesLeft ?? 0)}`;
    case 'kept':
      return followUp.keptAt ? `kept ${formatDate(followUp.keptAt, timeZone)}` : 'kept';
    case 'kept_late':
      return `kept ${countOf(followUp.daysLate ?? 0, 'day', 'days')} late${followUp.keptAt ? `, ${formatDate(followUp.keptAt, timeZone)}` : ''}`;
  }
}

/** The promises to this customer still open, and those kept: what the rep has to do next, and what was done. */
export function PendingAndKeptFollowUps({ followUps, timeZone }: { followUps: readonly CardFollowUp[]; timeZone?: string }) {
  if (followUps.length === 0) return null;
  return (
    <Flex direction="column" gap="xs">
      <Heading>Follow-ups</Heading>
      {followUps.map((followUp) => (
        <Flex key={`${followUp.dealId}:${followUp.touchpointId}`} testId={`follow-up-${followUp.dealId}-${followUp.touchpointId}`} direction="row" gap="xs" align="center">
          <StatusTag variant={tags[followUp.status].variant}>{tags[followUp.status].label}</StatusTag>
          <Text>{[followUp.touchpointName, followUp.promise, when(followUp, timeZone)].join(' — ')}</Text>
        </Flex>
      ))}
    </Flex>
  );
}
