import { Flex } from '@hubspot/ui-extensions';
import { inJourneyOrder, phases, type PipelineView, type SurveyLanguage, type TouchpointView } from '@touchpoints/contracts';
import { PhaseSection } from './PhaseSection.js';
import type { TouchpointRowActions } from './TouchpointRow.js';

interface TouchpointListProps {
  rows: readonly TouchpointView[];
  pipelines: readonly PipelineView[];
  defaultLanguage: SurveyLanguage;
  busyTouchpointId: string | null;
  actions: TouchpointRowActions;
}

/** The touchpoints by phase, in the order a customer lives them, whatever order the λ sent. */
export function TouchpointList({ rows, ...shared }: TouchpointListProps) {
  const ordered = inJourneyOrder(rows.map((row) => ({ ...row.touchpoint, row }))).map(({ row }) => row);
  const groups = phases
    .map((phase) => ({ phase, rows: ordered.filter((row) => row.touchpoint.phase === phase) }))
    .filter((group) => group.rows.length > 0);
  return (
    <Flex direction="column" gap="lg">
      {groups.map((group) => (
        <PhaseSection key={group.phase} phase={group.phase} rows={group.rows} {...shared} />
      ))}
    </Flex>
  );
}
