import { EmptyState, List, Text } from '@hubspot/ui-extensions';
import type { CardTouchpoint } from '@touchpoints/contracts';
import { formatDateTime } from './format.js';

interface ScheduledSurveysStateProps {
  scheduled: readonly CardTouchpoint[];
  timeZone?: string;
}

/** Nothing has gone out yet, but surveys are on their way: say which and when. */
export function ScheduledSurveysState({ scheduled, timeZone }: ScheduledSurveysStateProps) {
  return (
    <EmptyState title="Surveys scheduled" layout="vertical" imageName="task">
      <Text>The first surveys for this record go out soon:</Text>
      <List>
        {scheduled.map((touchpoint) => (
          <Text key={touchpoint.touchpointId}>
            {touchpoint.nextSendAt
              ? `${touchpoint.name} — ${formatDateTime(touchpoint.nextSendAt, timeZone)}`
              : touchpoint.name}
          </Text>
        ))}
      </List>
    </EmptyState>
  );
}
