import { Flex } from '@hubspot/ui-extensions';
import { type CardTouchpoint, phases } from '@touchpoints/contracts';
import { PhaseSection } from './PhaseSection.js';

interface JourneyPhasesProps {
  touchpoints: readonly CardTouchpoint[];
  timeZone?: string;
}

/** Every phase that has touchpoints, in journey order whatever order the API sent them in. */
export function JourneyPhases({ touchpoints, timeZone }: JourneyPhasesProps) {
  // The schema lists the phases in the order a customer lives them.
  const groups = phases
    .map((phase) => ({ phase, touchpoints: touchpoints.filter((touchpoint) => touchpoint.phase === phase) }))
    .filter((group) => group.touchpoints.length > 0);
  return (
    <Flex direction="column" gap="md">
      {groups.map((group) => (
        <PhaseSection key={group.phase} phase={group.phase} touchpoints={group.touchpoints} timeZone={timeZone} />
      ))}
    </Flex>
  );
}
