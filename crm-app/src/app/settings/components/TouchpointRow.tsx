import { Button, ButtonRow, Flex, StatusTag, TableCell, TableRow, Text } from '@hubspot/ui-extensions';
import type { PipelineView, SurveyLanguage, TouchpointView } from '@touchpoints/contracts';
import { DeleteTouchpointButton } from './DeleteTouchpointButton.js';
import { triggerLabel } from './format.js';
import { LanguageTags } from './LanguageTags.js';
import { touchpointProblemInWords } from './touchpoint-draft.js';

/** What the admin can do with one touchpoint of the list. */
export interface TouchpointRowActions {
  onEdit: (row: TouchpointView) => void;
  onDuplicate: (row: TouchpointView) => void;
  onToggleEnabled: (row: TouchpointView) => void;
  onDelete: (row: TouchpointView) => void;
  onSendTestSurvey: (row: TouchpointView) => void;
}

interface TouchpointRowProps {
  row: TouchpointView;
  pipelines: readonly PipelineView[];
  defaultLanguage: SurveyLanguage;
  /** An action on this touchpoint is on its way: no second one until it is back. */
  busy: boolean;
  actions: TouchpointRowActions;
}

function NameCell({ row, defaultLanguage }: { row: TouchpointView; defaultLanguage: SurveyLanguage }) {
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }}>{row.touchpoint.name}</Text>
      <Text variant="microcopy">{row.touchpoint.id}</Text>
      {row.problems.length > 0 && (
        <>
          <StatusTag variant="warning">Needs attention</StatusTag>
          {row.problems.map((problem) => (
            <Text key={problem} variant="microcopy">
              {touchpointProblemInWords(problem, defaultLanguage)}
            </Text>
          ))}
        </>
      )}
    </Flex>
  );
}

/** One touchpoint: what starts it, which languages it asks in, whether it is on, and what to do with it. */
export function TouchpointRow({ row, pipelines, defaultLanguage, busy, actions }: TouchpointRowProps) {
  const { touchpoint } = row;
  return (
    <TableRow testId={`touchpoint-${touchpoint.id}`}>
      <TableCell>
        <NameCell row={row} defaultLanguage={defaultLanguage} />
      </TableCell>
      <TableCell>
        <Text>{triggerLabel(pipelines, touchpoint.trigger.pipelineId, touchpoint.trigger.stageId)}</Text>
      </TableCell>
      <TableCell>
        <LanguageTags touchpoint={touchpoint} defaultLanguage={defaultLanguage} />
      </TableCell>
      <TableCell>
        <StatusTag variant={touchpoint.enabled ? 'success' : 'default'}>{touchpoint.enabled ? 'Enabled' : 'Disabled'}</StatusTag>
      </TableCell>
      <TableCell>
        {/* No dropdown: the delete confirmation hangs on its button, which must stay a button. */}
        <ButtonRow disableDropdown>
          <Button size="xs" disabled={busy} onClick={() => actions.onEdit(row)}>
            Edit
          </Button>
          <Button size="xs" disabled={busy} onClick={() => actions.onDuplicate(row)}>
            Duplicate
          </Button>
          <Button size="xs" disabled={busy} onClick={() => actions.onToggleEnabled(row)}>
            {touchpoint.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="xs" disabled={busy} onClick={() => actions.onSendTestSurvey(row)}>
            Send me a test survey
          </Button>
          <DeleteTouchpointButton touchpoint={touchpoint} disabled={busy} onConfirm={() => actions.onDelete(row)} />
        </ButtonRow>
      </TableCell>
    </TableRow>
  );
}
