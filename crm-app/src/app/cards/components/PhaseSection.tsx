import { Flex, Heading, Table, TableBody, TableHead, TableHeader, TableRow } from '@hubspot/ui-extensions';
import type { CardTouchpoint } from '../card-data.js';
import { phaseHeadings, type JourneyPhase } from './format.js';
import { TouchpointRow } from './TouchpointRow.js';

interface PhaseSectionProps {
  phase: JourneyPhase;
  touchpoints: readonly CardTouchpoint[];
  timeZone?: string;
}

/** One phase of the journey: a heading and its touchpoints in the order the portal set them up. */
export function PhaseSection({ phase, touchpoints, timeZone }: PhaseSectionProps) {
  return (
    <Flex direction="column" gap="xs">
      <Heading>{phaseHeadings[phase]}</Heading>
      <Table bordered={false}>
        <TableHead>
          <TableRow>
            <TableHeader>Touchpoint</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Last score</TableHeader>
            <TableHeader>Latest comment</TableHeader>
            <TableHeader>Answered</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {touchpoints.map((touchpoint) => (
            <TouchpointRow key={touchpoint.touchpointId} touchpoint={touchpoint} timeZone={timeZone} />
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
