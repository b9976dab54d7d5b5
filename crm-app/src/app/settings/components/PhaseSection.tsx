import { Flex, Heading, Table, TableBody, TableHead, TableHeader, TableRow } from '@hubspot/ui-extensions';
import type { Phase, PipelineView, SurveyLanguage, TouchpointView } from '@touchpoints/contracts';
import { phaseLabels } from './format.js';
import { TouchpointRow, type TouchpointRowActions } from './TouchpointRow.js';

interface PhaseSectionProps {
  phase: Phase;
  rows: readonly TouchpointView[];
  pipelines: readonly PipelineView[];
  defaultLanguage: SurveyLanguage;
  busyTouchpointId: string | null;
  actions: TouchpointRowActions;
}

/** One phase of the journey: its heading and its touchpoints in the admin's order. */
export function PhaseSection({ phase, rows, pipelines, defaultLanguage, busyTouchpointId, actions }: PhaseSectionProps) {
  return (
    <Flex direction="column" gap="xs" testId={`phase-${phase}`}>
      <Heading>{phaseLabels[phase]}</Heading>
      <Table bordered={false}>
        <TableHead>
          <TableRow>
            <TableHeader>Touchpoint</TableHeader>
            <TableHeader>Trigger</TableHeader>
            <TableHeader>Languages</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Actions</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TouchpointRow
              key={row.touchpoint.id}
              row={row}
              pipelines={pipelines}
              defaultLanguage={defaultLanguage}
              busy={busyTouchpointId === row.touchpoint.id}
              actions={actions}
            />
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
