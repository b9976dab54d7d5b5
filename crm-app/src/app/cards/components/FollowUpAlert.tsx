import { Alert, List, Text } from '@hubspot/ui-extensions';
import type { MissedFollowUp } from '@touchpoints/contracts';
import { countOf, formatOverdue } from './format.js';

function followUpLine(followUp: MissedFollowUp): string {
  // A name when HubSpot gave one; an id still tells the rep whom to ask.
  const owner = followUp.ownerName ?? (followUp.ownerId ? `owner ID ${followUp.ownerId}` : 'no owner');
  return [followUp.touchpointName, followUp.promise, formatOverdue(followUp.daysOverdue), owner].join(' — ');
}

/** Promises to this customer the company has not kept: the first thing the rep should see. */
export function FollowUpAlert({ missedFollowUps }: { missedFollowUps: readonly MissedFollowUp[] }) {
  if (missedFollowUps.length === 0) return null;
  return (
    <Alert variant="danger" title={countOf(missedFollowUps.length, 'missed follow-up', 'missed follow-ups')}>
      <List>
        {missedFollowUps.map((followUp) => (
          <Text key={`${followUp.dealId}:${followUp.touchpointId}:${followUp.dueAt}`}>{followUpLine(followUp)}</Text>
        ))}
      </List>
    </Alert>
  );
}
