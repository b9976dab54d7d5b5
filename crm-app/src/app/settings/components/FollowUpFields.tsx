import { Flex, Select } from '@hubspot/ui-extensions';
import type { PipelineView } from '@touchpoints/contracts';
import { DurationFields } from './DurationFields.js';
import { shownBeside, type FieldProblems } from './field-problems.js';
import { stageOptions, stagesAfter } from './stage-options.js';
import type { FollowUpKind, TouchpointDraft, TouchpointField } from './touchpoint-draft.js';

const followUpKindOptions: { label: string; value: FollowUpKind }[] = [
  { label: 'No promise', value: 'none' },
  { label: 'The deal reaches a later stage', value: 'stage' },
  { label: 'Any logged sales activity', value: 'engagement' },
];

interface FollowUpFieldsProps {
  followUp: TouchpointDraft['followUp'];
  /** The trigger's pipeline: the deal moves on within it. */
  pipeline: PipelineView | undefined;
  triggerStageId: string;
  onChange: (followUp: TouchpointDraft['followUp']) => void;
  problems: FieldProblems<TouchpointField>;
}

/** What the company promises after the touchpoint, and how soon; a missed promise shows on the record. */
export function FollowUpFields({ followUp, pipeline, triggerStageId, onChange, problems }: FollowUpFieldsProps) {
  return (
    <Flex direction="column" gap="sm">
      <Select
        label="Follow-up promise"
        name="followUp.expect"
        description="Touchpoints flags the deal when the promise is not kept in time."
        options={followUpKindOptions}
        value={followUp.kind}
        onChange={(kind) => onChange({ ...followUp, kind: kind as FollowUpKind })}
        {...shownBeside(problems, 'followUp.expect')}
      />
      {followUp.kind === 'stage' && (
        <Select
          label="Stage the deal reaches"
          name="followUp.stageId"
          placeholder="Choose a stage"
          options={stageOptions(stagesAfter(pipeline, triggerStageId), followUp.stageId)}
          value={followUp.stageId}
          onChange={(stageId) => onChange({ ...followUp, stageId: String(stageId) })}
          {...shownBeside(problems, 'followUp.stageId')}
        />
      )}
      {followUp.kind !== 'none' && (
        <DurationFields
          label="Within"
          path="followUp.within"
          duration={followUp.within}
          onChange={(within) => onChange({ ...followUp, within })}
          amountProblems={shownBeside(problems, 'followUp.within.amount')}
          unitProblems={shownBeside(problems, 'followUp.within.unit')}
        />
      )}
    </Flex>
  );
}
