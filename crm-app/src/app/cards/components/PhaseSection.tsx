import { Flex, Heading, Table, TableBody, TableHead, TableHeader, TableRow } from '@hubspot/ui-extensions';
import type { CardTouchpoint, Phase } from '@touchpoints/contracts';
import { phaseHeadings } from './format.js';
import { TouchpointRow } from './TouchpointRow.js';

interface PhaseSectionProps {
  phase: Phase;
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
